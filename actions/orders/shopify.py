"""Shopify as an order source: the Admin REST API's order, mapped to ours.

One client class per outside service (style.md): ``ShopifyOrderSource`` owns
the HTTP conversation with one shop (timeouts, retries, rate limits, errors)
and ``map_order`` turns Shopify's order JSON into ``actions.domain.orders.Order``.
Nothing connects at import time; ``actions.bootstrap`` builds the source from
``ShopifySettings.from_env``.

Wire format: ``GET {shop}/admin/api/{version}/orders.json?name=...&status=any``
with the ``X-Shopify-Access-Token`` header; amounts are read in the shop's
currency (``currency`` and ``*_set.shop_money``), never the presentment one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests

from actions.domain.money import MoneyFormatError, parse_amount
from actions.domain.orders import (
    Order,
    OrderFormatError,
    OrderItem,
    Tracking,
    TrackingStatus,
    is_valid_order_id,
    normalise_order_id,
    parse_date,
)
from actions.orders.source import (
    OrderSourceError,
    OrderSourceMisconfigured,
    OrderSourceUnavailable,
)

DEFAULT_API_VERSION = "2024-01"
_API_VERSION_PATTERN = re.compile(r"\d{4}-\d{2}|unstable")

# Fulfillment.shipment_status values (REST). Anything not listed here (confirmed,
# label_printed, in_transit, out_for_delivery, ready_for_pickup, ...) is in transit.
_DELIVERED_STATUSES = frozenset({"delivered", "picked_up"})
_PROBLEM_STATUSES = frozenset(
    {"failure", "attempted_delivery", "delayed", "not_delivered", "label_voided"}
)
# Fulfillment.status values of a fulfillment that never shipped.
_INACTIVE_FULFILLMENTS = frozenset({"cancelled", "error", "failure"})
_TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0"})
_MAX_ERROR_TEXT = 200


class UnexpectedOrderShape(OrderSourceError):
    """Shopify answered, but not with an order we can read; names the field.

    Kept apart from OrderSourceUnavailable because retrying will not help:
    the body is not JSON, or an order lacks a field this adapter needs.
    """


@dataclass(frozen=True)
class ShopifySettings:
    """How to reach one shop and how to read its orders.

    ``category_property`` names the line-item property (or, failing that, the
    ``product_type``) that carries our policy category. When an order has no
    ``promised_delivery_by`` note attribute, ``promised_days_after_shipping``
    (if set) dates the promise from the first shipment.
    """

    shop_url: str
    access_token: str = field(repr=False)  # never in logs or reprs
    api_version: str = DEFAULT_API_VERSION
    timeout_seconds: float = 5.0
    max_attempts: int = 3
    backoff_seconds: float = 0.5
    max_retry_after_seconds: float = 5.0
    category_property: str = "category"
    promised_days_after_shipping: int | None = None

    def __post_init__(self) -> None:
        url = self.shop_url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "shop_url (RETURNBOT_SHOPIFY_URL) must be a URL such as "
                f"https://example.myshopify.com, got {self.shop_url!r}"
            )
        if parts.path or parts.query:
            raise ValueError(
                "shop_url (RETURNBOT_SHOPIFY_URL) must be the shop's root URL without a path, "
                f"got {self.shop_url!r}"
            )
        object.__setattr__(self, "shop_url", url)
        if not self.access_token.strip():
            raise ValueError("access_token (RETURNBOT_SHOPIFY_TOKEN) must not be empty")
        if not _API_VERSION_PATTERN.fullmatch(self.api_version):
            raise ValueError(
                "api_version (RETURNBOT_SHOPIFY_API_VERSION) must look like 2024-01, "
                f"got {self.api_version!r}"
            )
        if self.timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, got {self.timeout_seconds!r}")
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts!r}")
        if self.backoff_seconds < 0 or self.max_retry_after_seconds < 0:
            raise ValueError("backoff_seconds and max_retry_after_seconds must not be negative")
        if not self.category_property.strip():
            raise ValueError("category_property must not be empty")
        if self.promised_days_after_shipping is not None and self.promised_days_after_shipping < 0:
            raise ValueError(
                "promised_days_after_shipping must not be negative, "
                f"got {self.promised_days_after_shipping!r}"
            )

    @property
    def host(self) -> str:
        """The shop's host name: what error messages name instead of the token."""
        return urlsplit(self.shop_url).netloc

    @property
    def orders_url(self) -> str:
        return f"{self.shop_url}/admin/api/{self.api_version}/orders.json"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ShopifySettings | None:
        """Settings from RETURNBOT_SHOPIFY_*; None when no shop is configured.

        A bare host (``example.myshopify.com``) gets ``https://``.

        Raises:
            ValueError: the URL is set but the token is missing, or a value is
                invalid; the message names the variable.
        """
        url = (environ.get("RETURNBOT_SHOPIFY_URL") or "").strip()
        if not url:
            return None
        token = (environ.get("RETURNBOT_SHOPIFY_TOKEN") or "").strip()
        if not token:
            raise ValueError(
                "RETURNBOT_SHOPIFY_TOKEN must be set when RETURNBOT_SHOPIFY_URL is "
                "(the Admin API access token of the shop's custom app)"
            )
        if "://" not in url:
            url = f"https://{url}"
        version = (environ.get("RETURNBOT_SHOPIFY_API_VERSION") or "").strip()
        return cls(shop_url=url, access_token=token, api_version=version or DEFAULT_API_VERSION)


class ShopifyOrderSource:
    """Orders of one Shopify shop, looked up by name (``#1001``) over the Admin REST API.

    Connection errors, timeouts, 429 and 5xx are retried with exponential
    backoff (429 waits for ``Retry-After``, capped); after ``max_attempts`` the
    lookup raises OrderSourceUnavailable. Bad credentials or a wrong shop URL
    raise OrderSourceMisconfigured; an unreadable answer UnexpectedOrderShape.
    """

    def __init__(
        self,
        settings: ShopifySettings,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings
        self._session = session if session is not None else requests.Session()
        self._sleep = sleep

    def find(self, order_key: str) -> Order | None:
        """The order whose name is ``#KEY`` or ``KEY``; None when the shop has neither."""
        key = normalise_order_id(order_key)
        for name in (f"#{key}", key):
            raw = self._matching(self._orders_named(name), key)
            if raw is not None:
                try:
                    return map_order(
                        raw,
                        category_property=self._settings.category_property,
                        promised_days_after_shipping=self._settings.promised_days_after_shipping,
                    )
                except UnexpectedOrderShape as error:
                    raise UnexpectedOrderShape(f"{self._where}, order {name}: {error}") from None
        return None

    @property
    def _where(self) -> str:
        return f"Shopify shop {self._settings.host}"

    def _orders_named(self, name: str) -> list[Any]:
        """The ``orders`` list of one lookup by name, retrying what may pass."""
        settings = self._settings
        last_error = "no attempt made"
        for attempt in range(1, settings.max_attempts + 1):
            wait = settings.backoff_seconds * 2 ** (attempt - 1)
            try:
                response = self._session.get(
                    settings.orders_url,
                    params={"name": name, "status": "any"},
                    headers={
                        "X-Shopify-Access-Token": settings.access_token,
                        "Accept": "application/json",
                    },
                    timeout=settings.timeout_seconds,
                    allow_redirects=False,
                )
            except requests.Timeout:
                last_error = f"no answer within {settings.timeout_seconds:g}s"
            except requests.RequestException as error:
                last_error = self._scrub(f"{type(error).__name__}: {error}")
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return self._orders_in(response)
                self._raise_if_misconfigured(status)
                last_error = f"HTTP {status} {response.reason or ''}".rstrip()
                wait = self._retry_after(response, default=wait)
                if status != 429 and status < 500:
                    raise OrderSourceUnavailable(f"{self._where}: {last_error}")
            if attempt < settings.max_attempts:
                self._sleep(wait)
        raise OrderSourceUnavailable(
            f"{self._where}: no answer after {settings.max_attempts} attempt(s); "
            f"last error: {last_error}"
        )

    def _raise_if_misconfigured(self, status: int) -> None:
        if status == 401:
            raise OrderSourceMisconfigured(
                f"{self._where} rejected the access token (HTTP 401): check RETURNBOT_SHOPIFY_TOKEN"
            )
        if status == 403:
            raise OrderSourceMisconfigured(
                f"{self._where} refused to list orders (HTTP 403): the app's token needs "
                "the read_orders scope (and read_all_orders for orders older than 60 days)"
            )
        if status == 404:
            raise OrderSourceMisconfigured(
                f"{self._where} has no orders endpoint for API version "
                f"{self._settings.api_version} (HTTP 404): check RETURNBOT_SHOPIFY_URL "
                "and RETURNBOT_SHOPIFY_API_VERSION"
            )
        if 300 <= status < 400:
            raise OrderSourceMisconfigured(
                f"{self._where} redirected the API call (HTTP {status}): "
                "RETURNBOT_SHOPIFY_URL should be the shop's https://<name>.myshopify.com URL"
            )

    def _retry_after(self, response: requests.Response, *, default: float) -> float:
        """Seconds Shopify asks us to wait (``Retry-After: 2.0``), capped; else ``default``."""
        try:
            seconds = float(response.headers.get("Retry-After", ""))
        except ValueError:
            return min(default, self._settings.max_retry_after_seconds)
        if seconds != seconds or seconds < 0:  # NaN or negative: ignore
            seconds = default
        return min(seconds, self._settings.max_retry_after_seconds)

    def _orders_in(self, response: requests.Response) -> list[Any]:
        try:
            body = response.json()
        except ValueError:
            content_type = response.headers.get("Content-Type", "no content type")
            raise UnexpectedOrderShape(
                f"{self._where}: response body is not JSON "
                f"(HTTP {response.status_code}, {content_type})"
            ) from None
        orders = body.get("orders") if isinstance(body, dict) else None
        if not isinstance(orders, list):
            raise UnexpectedOrderShape(f"{self._where}: orders: expected a list in the response")
        return orders

    def _matching(self, orders: list[Any], key: str) -> Mapping[str, Any] | None:
        """The order whose name normalises to ``key`` (the filter is not trusted to be exact)."""
        for index, raw in enumerate(orders):
            if not isinstance(raw, Mapping):
                raise UnexpectedOrderShape(f"{self._where}: orders[{index}]: expected an object")
            name = raw.get("name")
            if not isinstance(name, str) or not is_valid_order_id(name):
                continue
            if normalise_order_id(name) == key:
                return raw
        return None

    def _scrub(self, text: str) -> str:
        return text.replace(self._settings.access_token, "***")[:_MAX_ERROR_TEXT]


# --- mapping: Shopify's order JSON -> Order ---------------------------------


def map_order(
    raw: Mapping[str, Any],
    *,
    category_property: str = "category",
    promised_days_after_shipping: int | None = None,
) -> Order:
    """Our Order from one Shopify REST order.

    Raises:
        UnexpectedOrderShape: a field this mapping needs is missing or
            malformed; the message names it (``line_items[1].price``).
    """
    name = _text(raw, "name")
    if not is_valid_order_id(name):
        raise UnexpectedOrderShape(f"name: not an order id we can look up: {name!r}")
    notes = _name_values(raw.get("note_attributes"), "note_attributes")
    shipments = _shipments(raw)
    shipped_at = min((when for when, _ in shipments), default=None)
    promised = _promised_delivery(notes, shipped_at, promised_days_after_shipping)
    extra: dict[str, Any] = {"shopify_id": raw.get("id")}
    if raw.get("cancelled_at"):
        extra["cancelled_at"] = raw["cancelled_at"]
    return Order(
        order_id=name.strip().lstrip("#"),
        email=_email(raw),
        country=_country(raw),
        currency=_currency(raw),
        placed_at=_date(raw.get("created_at"), "created_at"),
        items=_items(raw, category_property),
        shipped_at=shipped_at,
        delivered_at=_delivered_at(shipments),
        promised_delivery_by=promised,
        shipping_cost=_shipping_cost(raw),
        duties_paid=_duties(raw),
        withdrawal_info_given=_flag(
            notes.get("withdrawal_info_given"), "note_attributes.withdrawal_info_given", True
        ),
        tracking=_tracking(shipments),
        extra=extra,
    )


def _text(raw: Mapping[str, Any], key: str, path: str = "") -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UnexpectedOrderShape(f"{path}{key}: expected text, got {value!r}")
    return value.strip()


def _date(value: object, path: str) -> date:
    if value in (None, ""):
        raise UnexpectedOrderShape(f"{path}: required date is missing")
    try:
        return parse_date(value, field=path)
    except OrderFormatError as error:
        raise UnexpectedOrderShape(str(error)) from None


def _amount(value: object, path: str) -> Decimal:
    try:
        amount = parse_amount(value, field=path)
    except MoneyFormatError as error:
        raise UnexpectedOrderShape(str(error)) from None
    if amount < 0:
        raise UnexpectedOrderShape(f"{path}: must not be negative, got {value!r}")
    return amount


def _shop_money(raw: Mapping[str, Any], key: str) -> Decimal | None:
    """``raw[key].shop_money.amount``; None when the set itself is null or absent."""
    money_set = raw.get(key)
    if money_set is None:
        return None
    shop_money = money_set.get("shop_money") if isinstance(money_set, Mapping) else None
    if not isinstance(shop_money, Mapping):
        raise UnexpectedOrderShape(f"{key}.shop_money: expected an object, got {money_set!r}")
    return _amount(shop_money.get("amount"), f"{key}.shop_money.amount")


def _name_values(value: object, path: str) -> dict[str, str]:
    """``[{"name": ..., "value": ...}]`` (note attributes, line properties) as a dict.

    Names are matched case-insensitively and without the leading ``_`` that
    Shopify themes use to hide a property from the buyer.
    """
    if value in (None, ""):
        return {}
    if not isinstance(value, list):
        raise UnexpectedOrderShape(f"{path}: expected a list, got {value!r}")
    pairs: dict[str, str] = {}
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise UnexpectedOrderShape(f"{path}[{index}]: expected an object with a name")
        raw_value = entry.get("value")
        key = entry["name"].strip().lstrip("_").lower()
        pairs.setdefault(key, "" if raw_value is None else str(raw_value).strip())
    return pairs


def _flag(value: str | None, path: str, default: bool) -> bool:
    if value is None or value == "":
        return default
    word = value.lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise UnexpectedOrderShape(f"{path}: expected true or false, got {value!r}")


def _email(raw: Mapping[str, Any]) -> str:
    """The order's email; POS and draft orders may have none (ownership then never matches)."""
    customer = raw.get("customer")
    candidates = (
        raw.get("email"),
        raw.get("contact_email"),
        customer.get("email") if isinstance(customer, Mapping) else None,
    )
    return next((c.strip() for c in candidates if isinstance(c, str) and c.strip()), "")


def _country(raw: Mapping[str, Any]) -> str:
    """Where it was shipped (shipping address), else the billing country."""
    for key in ("shipping_address", "billing_address"):
        address = raw.get(key)
        code = address.get("country_code") if isinstance(address, Mapping) else None
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2}", code.strip()):
            return code.strip().upper()
    raise UnexpectedOrderShape(
        "shipping_address.country_code: missing (and no billing_address.country_code either)"
    )


def _currency(raw: Mapping[str, Any]) -> str:
    currency = _text(raw, "currency").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise UnexpectedOrderShape(f"currency: expected an ISO 4217 code, got {currency!r}")
    return currency


def _shipping_cost(raw: Mapping[str, Any]) -> Decimal:
    total = _shop_money(raw, "total_shipping_price_set")
    if total is not None:
        return total
    lines = raw.get("shipping_lines") or []
    if not isinstance(lines, list):
        raise UnexpectedOrderShape(f"shipping_lines: expected a list, got {lines!r}")
    cost = Decimal("0")
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping):
            raise UnexpectedOrderShape(f"shipping_lines[{index}]: expected an object")
        cost += _amount(line.get("price"), f"shipping_lines[{index}].price")
    return cost


def _duties(raw: Mapping[str, Any]) -> Decimal:
    """Duties the buyer paid: current (net of refunds), else original, else none."""
    for key in ("current_total_duties_set", "original_total_duties_set"):
        amount = _shop_money(raw, key)
        if amount is not None:
            return amount
    return Decimal("0")


def _promised_delivery(
    notes: Mapping[str, str], shipped_at: date | None, days_after_shipping: int | None
) -> date | None:
    promised = notes.get("promised_delivery_by")
    if promised:
        return _date(promised, "note_attributes.promised_delivery_by")
    if days_after_shipping is not None and shipped_at is not None:
        return shipped_at + timedelta(days=days_after_shipping)
    return None


# A shipment: the date it was created, and the fulfillment object.
_Shipment = tuple[date, Mapping[str, Any]]


def _shipments(raw: Mapping[str, Any]) -> list[_Shipment]:
    """Fulfillments that went to a carrier, oldest first.

    Cancelled or failed fulfillments never shipped. Fulfillments without any
    tracking (gift cards, digital goods) are ignored when a tracked one
    exists, so they neither date the shipment nor hide its status.
    """
    fulfillments = raw.get("fulfillments") or []
    if not isinstance(fulfillments, list):
        raise UnexpectedOrderShape(f"fulfillments: expected a list, got {fulfillments!r}")
    active: list[_Shipment] = []
    for index, fulfillment in enumerate(fulfillments):
        if not isinstance(fulfillment, Mapping):
            raise UnexpectedOrderShape(f"fulfillments[{index}]: expected an object")
        if fulfillment.get("status") in _INACTIVE_FULFILLMENTS:
            continue
        created = _date(fulfillment.get("created_at"), f"fulfillments[{index}].created_at")
        active.append((created, fulfillment))
    tracked = [
        (created, f)
        for created, f in active
        if f.get("tracking_number") or f.get("tracking_numbers") or f.get("shipment_status")
    ]
    return sorted(tracked or active, key=lambda shipment: shipment[0])


def _last_update(fulfillment: Mapping[str, Any], created: date) -> date:
    updated = fulfillment.get("updated_at")
    return created if updated in (None, "") else _date(updated, "fulfillments[].updated_at")


def _delivered_at(shipments: list[_Shipment]) -> date | None:
    """When the last parcel arrived, once every parcel has arrived."""
    if not shipments or any(
        f.get("shipment_status") not in _DELIVERED_STATUSES for _, f in shipments
    ):
        return None
    return max(_last_update(f, created) for created, f in shipments)


def _tracking(shipments: list[_Shipment]) -> Tracking | None:
    """The latest shipment's tracking, in our three statuses."""
    if not shipments:
        return None
    created, latest = shipments[-1]
    shipment_status = latest.get("shipment_status")
    if shipment_status in _DELIVERED_STATUSES:
        status = TrackingStatus.DELIVERED
    elif shipment_status in _PROBLEM_STATUSES:
        status = TrackingStatus.EXCEPTION
    else:
        status = TrackingStatus.IN_TRANSIT
    number = latest.get("tracking_number")
    numbers = latest.get("tracking_numbers")
    if not number and isinstance(numbers, list) and numbers:
        number = numbers[0]
    carrier = latest.get("tracking_company")
    return Tracking(
        status=status,
        last_update=_last_update(latest, created),
        carrier=carrier if isinstance(carrier, str) and carrier else None,
        number=str(number) if number else None,
    )


def _items(raw: Mapping[str, Any], category_property: str) -> tuple[OrderItem, ...]:
    """Line items; repeated SKUs merge when identical, else get the line id appended."""
    lines = raw.get("line_items")
    if not isinstance(lines, list) or not lines:
        raise UnexpectedOrderShape("line_items: expected a non-empty list")
    items: dict[str, OrderItem] = {}
    for index, line in enumerate(lines):
        path = f"line_items[{index}]"
        if not isinstance(line, Mapping):
            raise UnexpectedOrderShape(f"{path}: expected an object")
        item = _item(line, path, category_property.strip().lstrip("_").lower())
        existing = items.get(item.sku)
        if existing is None:
            items[item.sku] = item
        elif replace(item, quantity=existing.quantity) == existing:
            items[item.sku] = replace(existing, quantity=existing.quantity + item.quantity)
        else:
            sku = f"{item.sku}-{line.get('id', index)}"
            items[sku] = replace(item, sku=sku)
    return tuple(items.values())


def _item(line: Mapping[str, Any], path: str, category_property: str) -> OrderItem:
    properties = _name_values(line.get("properties"), f"{path}.properties")
    sku = line.get("sku")
    if not isinstance(sku, str) or not sku.strip():
        fallback = line.get("variant_id") or line.get("id")
        if fallback in (None, ""):
            raise UnexpectedOrderShape(f"{path}.sku: missing, and no variant_id or id either")
        sku = str(fallback)
    title = line.get("title") or line.get("name")
    if not isinstance(title, str) or not title.strip():
        raise UnexpectedOrderShape(f"{path}.title: expected text, got {title!r}")
    name = title.strip()
    variant = line.get("variant_title")
    if isinstance(variant, str) and variant.strip() and variant.strip() != "Default Title":
        name = f"{name} - {variant.strip()}"
    quantity = line.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise UnexpectedOrderShape(
            f"{path}.quantity: expected a whole number >= 1, got {quantity!r}"
        )
    return OrderItem(
        sku=sku.strip(),
        name=name,
        category=_category(line, properties, category_property),
        unit_price=_amount(line.get("price"), f"{path}.price"),
        quantity=quantity,
        final_sale=_flag(properties.get("final_sale"), f"{path}.properties.final_sale", False),
    )


def _category(line: Mapping[str, Any], properties: Mapping[str, str], property_name: str) -> str:
    """Our policy category: a gift card is always ``gift_card``; then the property, the type."""
    if line.get("gift_card") is True:
        return "gift_card"
    product_type = line.get("product_type")
    for candidate in (properties.get(property_name), product_type):
        if isinstance(candidate, str) and candidate.strip():
            return re.sub(r"[\s-]+", "_", candidate.strip().lower())
    return "general"
