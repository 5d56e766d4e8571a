"""Orders as the policy engine sees them, and the import format that builds them.

Only the standard library: every order source (the store database, a store
platform's API, a JSON file) turns its own shape into these frozen dataclasses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from actions.domain.money import MoneyFormatError, parse_amount

# Free-form ids: digits, letters, '#' and '-' (contracts.md); a bound on length
# keeps a pasted paragraph from being looked up as an order number.
MAX_ORDER_ID_LENGTH = 40
_ORDER_ID_PATTERN = re.compile(r"#?[A-Za-z0-9][A-Za-z0-9-]*")
_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class OrderFormatError(ValueError):
    """An order record that does not follow the import format; names the field."""


class TrackingStatus(str, Enum):
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


@dataclass(frozen=True)
class Tracking:
    status: TrackingStatus
    last_update: date | None = None
    carrier: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class OrderItem:
    sku: str
    name: str
    category: str
    unit_price: Decimal
    quantity: int
    final_sale: bool = False

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    order_id: str
    email: str
    country: str
    currency: str
    placed_at: date
    items: tuple[OrderItem, ...]
    shipped_at: date | None = None
    delivered_at: date | None = None
    promised_delivery_by: date | None = None
    shipping_cost: Decimal = Decimal("0")
    duties_paid: Decimal = Decimal("0")
    withdrawal_info_given: bool = True
    tracking: Tracking | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """The id under which the order is stored and looked up."""
        return normalise_order_id(self.order_id)

    @property
    def total_value(self) -> Decimal:
        return sum((item.line_total for item in self.items), Decimal("0"))

    def item(self, sku: str) -> OrderItem | None:
        return next((item for item in self.items if item.sku == sku), None)

    def belongs_to(self, email: str) -> bool:
        return normalise_email(email) == normalise_email(self.email)


def normalise_order_id(raw: str) -> str:
    """Canonical lookup key: ``' #so-2026-0042 '`` and ``'SO-2026-0042'`` match.

    Raises ValueError for text that cannot be an order id (so it is never
    sent to a database or an API).
    """
    candidate = raw.strip()
    if not candidate or len(candidate) > MAX_ORDER_ID_LENGTH:
        raise ValueError("order id must be 1 to 40 characters")
    if not _ORDER_ID_PATTERN.fullmatch(candidate):
        raise ValueError("order id may contain only letters, digits, '#' and '-'")
    return candidate.lstrip("#").upper()


def is_valid_order_id(raw: str) -> bool:
    try:
        normalise_order_id(raw)
    except ValueError:
        return False
    return True


def normalise_email(raw: str) -> str:
    return raw.strip().lower()


def is_valid_email(raw: str) -> bool:
    return len(raw) <= 254 and bool(_EMAIL_PATTERN.fullmatch(raw.strip()))


def mask_email(email: str) -> str:
    """``jane.doe@example.com -> j***@e***.com``: enough to correlate logs, no more."""
    local, _, domain = email.strip().partition("@")
    if not domain:
        return "***"
    host, _, tld = domain.rpartition(".")
    masked_host = (host[:1] + "***") if host else "***"
    return f"{local[:1]}***@{masked_host}.{tld}"


# --- the import format (contracts.md, "Order") -------------------------------


def parse_order(record: Mapping[str, Any]) -> Order:
    """Build an Order from one record of the import format; names a bad field."""
    if not isinstance(record, Mapping):
        raise OrderFormatError(f"expected a JSON object, got {type(record).__name__}")
    order_id = _text(record, "order_id")
    if not is_valid_order_id(order_id):
        raise OrderFormatError(f"order_id: not a valid order id: {order_id!r}")
    email = _text(record, "email")
    if not is_valid_email(email):
        raise OrderFormatError(f"email: not an email address: {email!r}")
    items_raw = record.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise OrderFormatError("items: expected a non-empty list")
    items = tuple(_parse_item(raw, f"items[{i}]") for i, raw in enumerate(items_raw))
    skus = [item.sku for item in items]
    if len(set(skus)) != len(skus):
        raise OrderFormatError("items: the same sku appears twice")
    currency = _text(record, "currency").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise OrderFormatError(f"currency: expected an ISO 4217 code, got {currency!r}")
    country = _text(record, "country").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise OrderFormatError(f"country: expected an ISO 3166-1 alpha-2 code, got {country!r}")
    known = {
        "order_id", "email", "country", "currency", "placed_at", "shipped_at",
        "delivered_at", "promised_delivery_by", "shipping_cost", "duties_paid",
        "withdrawal_info_given", "tracking", "items",
    }  # fmt: skip
    return Order(
        order_id=order_id.strip(),
        email=email.strip(),
        country=country,
        currency=currency,
        placed_at=_required_date(record, "placed_at"),
        shipped_at=_optional_date(record, "shipped_at"),
        delivered_at=_optional_date(record, "delivered_at"),
        promised_delivery_by=_optional_date(record, "promised_delivery_by"),
        shipping_cost=_amount(record, "shipping_cost"),
        duties_paid=_amount(record, "duties_paid"),
        withdrawal_info_given=_bool(record, "withdrawal_info_given", default=True),
        tracking=_parse_tracking(record.get("tracking")),
        items=items,
        extra={k: v for k, v in record.items() if k not in known},
    )


def order_to_record(order: Order) -> dict[str, Any]:
    """The import format of an order: ``parse_order(order_to_record(o)) == o``."""

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    record: dict[str, Any] = {
        "order_id": order.order_id,
        "email": order.email,
        "country": order.country,
        "currency": order.currency,
        "placed_at": iso(order.placed_at),
        "shipped_at": iso(order.shipped_at),
        "delivered_at": iso(order.delivered_at),
        "promised_delivery_by": iso(order.promised_delivery_by),
        "shipping_cost": str(order.shipping_cost),
        "duties_paid": str(order.duties_paid),
        "withdrawal_info_given": order.withdrawal_info_given,
        "tracking": None,
        "items": [
            {
                "sku": item.sku,
                "name": item.name,
                "category": item.category,
                "unit_price": str(item.unit_price),
                "quantity": item.quantity,
                "final_sale": item.final_sale,
            }
            for item in order.items
        ],
    }
    if order.tracking:
        record["tracking"] = {
            "carrier": order.tracking.carrier,
            "number": order.tracking.number,
            "status": order.tracking.status.value,
            "last_update": iso(order.tracking.last_update),
        }
    record.update(order.extra)
    return record


def parse_date(value: object, *, field: str) -> date:
    """An ISO date or datetime (its calendar day counts) as a ``date``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise OrderFormatError(f"{field}: expected an ISO date, got {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise OrderFormatError(f"{field}: expected an ISO date, got {value!r}") from None


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise OrderFormatError(f"{key}: required text, got {value!r}")
    return value


def _required_date(record: Mapping[str, Any], key: str) -> date:
    if record.get(key) in (None, ""):
        raise OrderFormatError(f"{key}: required date is missing")
    return parse_date(record[key], field=key)


def _optional_date(record: Mapping[str, Any], key: str) -> date | None:
    value = record.get(key)
    return None if value in (None, "") else parse_date(value, field=key)


def _amount(record: Mapping[str, Any], key: str, default: str = "0") -> Decimal:
    value = record.get(key, default)
    try:
        amount = parse_amount(default if value is None else value, field=key)
    except MoneyFormatError as error:
        raise OrderFormatError(str(error)) from None
    if amount < 0:
        raise OrderFormatError(f"{key}: must not be negative, got {value!r}")
    return amount


def _bool(record: Mapping[str, Any], key: str, *, default: bool) -> bool:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise OrderFormatError(f"{key}: expected true or false, got {value!r}")
    return value


def _parse_item(raw: object, path: str) -> OrderItem:
    if not isinstance(raw, Mapping):
        raise OrderFormatError(f"{path}: expected an object")
    try:
        sku = _text(raw, "sku").strip()
        name = _text(raw, "name").strip()
    except OrderFormatError as error:
        raise OrderFormatError(f"{path}.{error}") from None
    quantity = raw.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise OrderFormatError(f"{path}.quantity: expected a whole number >= 1, got {quantity!r}")
    category = raw.get("category") or "general"
    if not isinstance(category, str):
        raise OrderFormatError(f"{path}.category: expected text, got {category!r}")
    try:
        unit_price = _amount(raw, "unit_price", default="")
        final_sale = _bool(raw, "final_sale", default=False)
    except OrderFormatError as error:
        raise OrderFormatError(f"{path}.{error}") from None
    return OrderItem(
        sku=sku,
        name=name,
        category=category.strip().lower(),
        unit_price=unit_price,
        quantity=quantity,
        final_sale=final_sale,
    )


def _parse_tracking(raw: object) -> Tracking | None:
    if raw in (None, {}):
        return None
    if not isinstance(raw, Mapping):
        raise OrderFormatError("tracking: expected an object")
    status_raw = raw.get("status")
    try:
        status = TrackingStatus(status_raw)
    except ValueError:
        allowed = ", ".join(s.value for s in TrackingStatus)
        raise OrderFormatError(
            f"tracking.status: expected one of {allowed}, got {status_raw!r}"
        ) from None
    last_update = raw.get("last_update")
    return Tracking(
        status=status,
        last_update=None
        if last_update in (None, "")
        else parse_date(last_update, field="tracking.last_update"),
        carrier=raw.get("carrier") or None,
        number=raw.get("number") or None,
    )
