"""What a buyer asks for: reasons, item condition, resolution, and the request itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class Reason(str, Enum):
    DAMAGED = "damaged"
    DEFECTIVE = "defective"
    WRONG_ITEM = "wrong_item"
    MISSING_PARTS = "missing_parts"
    NOT_AS_DESCRIBED = "not_as_described"
    SIZE_FIT = "size_fit"
    CHANGED_MIND = "changed_mind"
    NOT_RECEIVED = "not_received"
    LATE_DELIVERY = "late_delivery"
    OTHER = "other"

    @property
    def fault(self) -> Fault:
        return _FAULT[self]


class Fault(str, Enum):
    """Who is at fault for a reason: decides which rule of the policy applies."""

    SELLER = "seller"
    BUYER = "buyer"
    DELIVERY = "delivery"
    PERSON_DECIDES = "person_decides"


_FAULT = {
    Reason.DAMAGED: Fault.SELLER,
    Reason.DEFECTIVE: Fault.SELLER,
    Reason.WRONG_ITEM: Fault.SELLER,
    Reason.MISSING_PARTS: Fault.SELLER,
    Reason.NOT_AS_DESCRIBED: Fault.SELLER,
    Reason.SIZE_FIT: Fault.BUYER,
    Reason.CHANGED_MIND: Fault.BUYER,
    Reason.NOT_RECEIVED: Fault.DELIVERY,
    Reason.LATE_DELIVERY: Fault.DELIVERY,
    Reason.OTHER: Fault.PERSON_DECIDES,
}


class Condition(str, Enum):
    NEW_UNOPENED = "new_unopened"
    OPENED_UNUSED = "opened_unused"
    USED = "used"


class Resolution(str, Enum):
    REFUND = "refund"
    STORE_CREDIT = "store_credit"
    REPLACEMENT = "replacement"
    EXCHANGE = "exchange"


def resolutions_offered(reason: Reason) -> tuple[Resolution, ...]:
    """The resolutions the policy offers for a reason (policy-spec.md, rules 3-5)."""
    if reason.fault in (Fault.SELLER, Fault.DELIVERY):
        return (Resolution.REFUND, Resolution.STORE_CREDIT, Resolution.REPLACEMENT)
    if reason is Reason.SIZE_FIT:
        return (Resolution.REFUND, Resolution.STORE_CREDIT, Resolution.EXCHANGE)
    if reason is Reason.CHANGED_MIND:
        return (Resolution.REFUND, Resolution.STORE_CREDIT)
    return (Resolution.REFUND,)


def condition_matters(reason: Reason) -> bool:
    """Only buyer reasons look at the item's condition (hygiene, used items)."""
    return reason.fault is Fault.BUYER


class InvalidRequest(ValueError):
    """A request the engine cannot decide: no items, or a quantity below one."""


@dataclass(frozen=True)
class ReturnRequest:
    """Units to return by SKU, why, in what state, and what the buyer wants."""

    items: Mapping[str, int]
    reason: Reason
    condition: Condition | None = None
    resolution: Resolution = Resolution.REFUND

    def __post_init__(self) -> None:
        if not self.items:
            raise InvalidRequest("a return needs at least one item")
        for sku, quantity in self.items.items():
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
                raise InvalidRequest(f"quantity for {sku!r} must be a whole number >= 1")


@dataclass(frozen=True)
class BuyerHistory:
    """Units of this order already in open or approved returns; returns in 12 months."""

    returned_units: Mapping[str, int] = field(default_factory=dict)
    returns_last_12_months: int = 0
