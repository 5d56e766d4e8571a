"""Return records: status lifecycle, RMA numbers and the idempotency key.

Pure: the repository stores these, the service layer moves them through
their lifecycle, and nothing here knows about a database.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

# Crockford-style alphabet without 0/O, 1/I/L and U: easy to read aloud and type.
RMA_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RMA_LENGTH = 6
RMA_PREFIX = "RMA-"


class ReturnStatus(str, Enum):
    APPROVED = "approved"
    DENIED = "denied"
    ESCALATED = "escalated"
    LABEL_SENT = "label_sent"
    RECEIVED = "received"
    REFUNDED = "refunded"
    CLOSED = "closed"


# Which status may follow which. An escalated return is decided by a person;
# a return that needs no parcel goes straight from approved to refunded.
ALLOWED_TRANSITIONS: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.ESCALATED: frozenset(
        {ReturnStatus.APPROVED, ReturnStatus.DENIED, ReturnStatus.CLOSED}
    ),
    ReturnStatus.APPROVED: frozenset(
        {ReturnStatus.LABEL_SENT, ReturnStatus.RECEIVED, ReturnStatus.REFUNDED, ReturnStatus.CLOSED}
    ),
    ReturnStatus.LABEL_SENT: frozenset({ReturnStatus.RECEIVED, ReturnStatus.CLOSED}),
    ReturnStatus.RECEIVED: frozenset({ReturnStatus.REFUNDED, ReturnStatus.CLOSED}),
    ReturnStatus.REFUNDED: frozenset({ReturnStatus.CLOSED}),
    ReturnStatus.DENIED: frozenset({ReturnStatus.CLOSED}),
    ReturnStatus.CLOSED: frozenset(),
}

# Statuses whose units are taken: they cannot be returned a second time.
UNITS_HELD_BY = frozenset(
    {
        ReturnStatus.APPROVED,
        ReturnStatus.ESCALATED,
        ReturnStatus.LABEL_SENT,
        ReturnStatus.RECEIVED,
        ReturnStatus.REFUNDED,
    }
)


class InvalidTransition(ValueError):
    """A status change the lifecycle does not allow (e.g. refunded -> approved)."""


def check_transition(current: ReturnStatus, new: ReturnStatus) -> None:
    if new not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[current])) or "none"
        raise InvalidTransition(
            f"cannot move a return from {current.value} to {new.value} (allowed: {allowed})"
        )


def new_rma(token_chooser: Any = secrets.choice) -> str:
    """A short, unguessable RMA number such as ``RMA-7K2Q9D`` (30^6 ≈ 7.3e8 values).

    Drawn from ``secrets`` so nobody can predict a neighbour's number; the
    database's unique constraint catches the rare collision and we draw again.
    """
    return RMA_PREFIX + "".join(token_chooser(RMA_ALPHABET) for _ in range(RMA_LENGTH))


def normalise_rma(raw: str) -> str | None:
    """``' rma-7k2q9d '``, ``'RMA 7K2Q9D'``, ``'7k2q9d'`` -> ``'RMA-7K2Q9D'``; None if not one."""
    compact = raw.strip().upper().replace(" ", "").replace("-", "")
    # "RMA" is a prefix only when something follows it: "RMAB23" alone is a code.
    code = compact[3:] if compact.startswith("RMA") and len(compact) > RMA_LENGTH else compact
    if len(code) != RMA_LENGTH or any(ch not in RMA_ALPHABET for ch in code):
        return None
    return RMA_PREFIX + code


def idempotency_key(
    conversation_id: str,
    order_key: str,
    items: Mapping[str, int],
    reason: str,
    condition: str | None,
    resolution: str,
) -> str:
    """Same conversation asking for the same thing twice -> the same key.

    A retry after a timeout or a double click then finds the first return
    instead of creating a second one.
    """
    payload = json.dumps(
        [conversation_id, order_key, sorted(items.items()), reason, condition, resolution],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReturnEvent:
    at: datetime
    actor: str
    action: str
    from_status: str | None = None
    to_status: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReturnRecord:
    """One return as stored: what was asked, what was decided, where it stands."""

    rma: str
    order_id: str
    order_key: str
    buyer_email: str
    created_at: datetime
    language: str
    channel: str
    conversation_id: str
    reason: str
    condition: str | None
    requested_resolution: str
    items: Mapping[str, int]
    decision: str
    resolution: str | None
    refund_total: Decimal | None
    currency: str
    return_required: bool
    return_shipping_paid_by: str | None
    return_by: date | None
    reasons: tuple[str, ...]
    status: ReturnStatus
    events: tuple[ReturnEvent, ...] = ()

    def export(self) -> dict[str, Any]:
        """The export format of contracts.md ("Return record")."""
        return {
            "rma": self.rma,
            "order_id": self.order_id,
            "created_at": self.created_at.isoformat(),
            "language": self.language,
            "channel": self.channel,
            "reason": self.reason,
            "items": [{"sku": sku, "quantity": qty} for sku, qty in self.items.items()],
            "decision": self.decision,
            "resolution": self.resolution,
            "refund_total": None if self.refund_total is None else str(self.refund_total),
            "currency": self.currency,
            "return_required": self.return_required,
            "status": self.status.value,
            "reasons": list(self.reasons),
            "return_by": self.return_by.isoformat() if self.return_by else None,
            "return_shipping_paid_by": self.return_shipping_paid_by,
            "condition": self.condition,
        }
