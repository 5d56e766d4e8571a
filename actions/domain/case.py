"""A policy case: the input of ``returnbot policy decide CASE.json``.

``{"order": <import-format order>, "request": {...}, "history": {...}, "now": "..."}``
(contracts.md). Parsing is strict, because a typo in a case file (``"resolutoin"``)
would otherwise be decided silently on a default; every error names the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time
from enum import Enum
from typing import Any, NamedTuple, TypeVar

from actions.domain.orders import Order, OrderFormatError, parse_order
from actions.domain.requests import (
    BuyerHistory,
    Condition,
    Reason,
    Resolution,
    ReturnRequest,
)


class CaseFormatError(ValueError):
    """A case that does not follow the case format; the message names the field."""


class Case(NamedTuple):
    """The arguments of ``engine.decide`` except the policy, in its order."""

    order: Order
    request: ReturnRequest
    history: BuyerHistory
    now: datetime


_E = TypeVar("_E", bound=Enum)

_CASE_KEYS = ("order", "request", "history", "now")
_REQUEST_KEYS = ("items", "reason", "condition", "resolution")
_HISTORY_KEYS = ("returned_units", "returns_last_12_months")


def parse_case_json(text: str, *, default_now: datetime | None = None) -> Case:
    """Parse the JSON text of a case file (see ``parse_case``)."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseFormatError(
            f"not valid JSON: line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    return parse_case(record, default_now=default_now)


def parse_case(record: object, *, default_now: datetime | None = None) -> Case:
    """Build a Case from a decoded case record.

    ``history`` may be left out (no earlier returns). ``now`` is required
    unless ``default_now`` is given (the CLI passes ``RETURNBOT_NOW`` or the clock).
    """
    data = _object(record, "case")
    _reject_unknown(data, _CASE_KEYS, "")
    try:
        order = parse_order(_object(data.get("order"), "order"))
    except OrderFormatError as error:
        raise CaseFormatError(f"order.{error}") from None
    request = _parse_request(_object(data.get("request"), "request"))
    history = _parse_history(data.get("history"))
    now_raw = data.get("now")
    if now_raw is None:
        if default_now is None:
            raise CaseFormatError("now: required ISO date or datetime is missing")
        now = default_now
    else:
        now = parse_now(now_raw, field="now")
    return Case(order=order, request=request, history=history, now=now)


def parse_now(value: object, *, field: str = "now") -> datetime:
    """An ISO date or datetime, read as ``actions.clock.parse_now`` reads ``RETURNBOT_NOW``.

    A date is its midday and a zone is dropped (its wall-clock day counts), so a
    case and the frozen clock agree on the day. The domain may not import the
    clock module, hence the twin.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time(12, 0))
            return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            pass
    raise CaseFormatError(f"{field}: expected an ISO date or datetime, got {value!r}")


def _parse_request(data: Mapping[str, Any]) -> ReturnRequest:
    _reject_unknown(data, _REQUEST_KEYS, "request.")
    items = _parse_items(data.get("items"))
    reason = _enum(Reason, data.get("reason"), "request.reason")
    if reason is None:
        raise CaseFormatError(f"request.reason: required, one of {_choices(Reason)}")
    return ReturnRequest(
        items=items,
        reason=reason,
        condition=_enum(Condition, data.get("condition"), "request.condition"),
        resolution=(
            _enum(Resolution, data.get("resolution"), "request.resolution") or Resolution.REFUND
        ),
    )


def _parse_items(raw: object) -> dict[str, int]:
    """``[{"sku": "A", "quantity": 2}, ...]`` or ``{"A": 2}``; a repeated sku adds up."""
    if isinstance(raw, Mapping):
        entries = [(str(sku), quantity, f"request.items.{sku}") for sku, quantity in raw.items()]
    elif isinstance(raw, list):
        entries = []
        for index, entry in enumerate(raw):
            path = f"request.items[{index}]"
            if not isinstance(entry, Mapping):
                raise CaseFormatError(f"{path}: expected an object with sku and quantity")
            _reject_unknown(entry, ("sku", "quantity"), f"{path}.")
            sku = entry.get("sku")
            if not isinstance(sku, str) or not sku.strip():
                raise CaseFormatError(f"{path}.sku: required text, got {sku!r}")
            entries.append((sku, entry.get("quantity", 1), f"{path}.quantity"))
    else:
        raise CaseFormatError(
            f"request.items: expected a list of {{sku, quantity}} or a {{sku: quantity}} "
            f"object, got {raw!r}"
        )
    if not entries:
        raise CaseFormatError("request.items: a return needs at least one item")
    items: dict[str, int] = {}
    for sku, quantity, path in entries:
        count = _whole(quantity, path, minimum=1)
        key = sku.strip()
        items[key] = items.get(key, 0) + count
    return items


def _parse_history(raw: object) -> BuyerHistory:
    if raw is None:
        return BuyerHistory()
    data = _object(raw, "history")
    _reject_unknown(data, _HISTORY_KEYS, "history.")
    units_raw = data.get("returned_units") or {}
    if not isinstance(units_raw, Mapping):
        raise CaseFormatError(
            f"history.returned_units: expected a {{sku: units}} object, got {units_raw!r}"
        )
    units = {
        str(sku).strip(): _whole(n, f"history.returned_units.{sku}", minimum=0)
        for sku, n in units_raw.items()
    }
    returns = _whole(
        data.get("returns_last_12_months", 0), "history.returns_last_12_months", minimum=0
    )
    return BuyerHistory(returned_units=units, returns_last_12_months=returns)


def _object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        what = "missing" if value is None else f"got {value!r}"
        raise CaseFormatError(f"{path}: expected a JSON object, {what}")
    return value


def _reject_unknown(data: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in data:
        if key not in known:
            raise CaseFormatError(
                f"{prefix}{key}: unknown key (expected one of: {', '.join(known)})"
            )


def _whole(value: object, path: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CaseFormatError(f"{path}: expected a whole number >= {minimum}, got {value!r}")
    return value


def _enum(kind: type[_E], value: object, path: str) -> _E | None:
    """The member named by ``value``; None when the field is left out."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        raise CaseFormatError(f"{path}: expected one of {_choices(kind)}, got {value!r}") from None


def _choices(kind: type[Enum]) -> str:
    return ", ".join(str(member.value) for member in kind)
