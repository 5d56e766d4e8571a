"""The Shopify order source against a loopback stand-in speaking the Admin REST format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests

# tests/integration is on sys.path (pytest rootdir-less "prepend" import, no __init__.py).
from shopify_standin import DEFAULT_TOKEN, ShopifyStandIn, fixture_orders

from actions.domain.orders import Order, OrderItem, Tracking, TrackingStatus, normalise_order_id
from actions.orders.shopify import ShopifyOrderSource, ShopifySettings, UnexpectedOrderShape
from actions.orders.source import OrderSourceMisconfigured, OrderSourceUnavailable


@pytest.fixture
def shop() -> Iterator[ShopifyStandIn]:
    with ShopifyStandIn() as standin:
        yield standin


@pytest.fixture
def slept() -> list[float]:
    return []


def source_for(
    shop: ShopifyStandIn,
    slept: list[float] | None = None,
    *,
    access_token: str = DEFAULT_TOKEN,
    **overrides: Any,
) -> ShopifyOrderSource:
    """A source for the stand-in that records its waits instead of sleeping."""
    settings = ShopifySettings(shop_url=shop.url, access_token=access_token, **overrides)
    recorder = slept if slept is not None else []
    return ShopifyOrderSource(settings, session=requests.Session(), sleep=recorder.append)


# --- mapping -----------------------------------------------------------------


def test_maps_a_delivered_order_with_every_field(shop: ShopifyStandIn) -> None:
    order = source_for(shop).find("1001")

    assert order == Order(
        order_id="1001",
        email="jane.doe@example.com",
        country="DE",
        currency="EUR",
        placed_at=date(2026, 10, 1),
        shipped_at=date(2026, 10, 3),
        delivered_at=date(2026, 10, 12),
        promised_delivery_by=date(2026, 10, 20),
        shipping_cost=Decimal("4.90"),
        duties_paid=Decimal("0"),
        withdrawal_info_given=True,
        tracking=Tracking(
            status=TrackingStatus.DELIVERED,
            last_update=date(2026, 10, 12),
            carrier="DHL",
            number="00340434161234567890",
        ),
        items=(
            OrderItem(
                sku="MUG-01",
                name="Ceramic mug",
                category="home",
                unit_price=Decimal("12.50"),
                quantity=2,
                final_sale=False,
            ),
            OrderItem(
                sku="JKT-07",
                name="Rain jacket - M / Navy",
                category="apparel",
                unit_price=Decimal("59.00"),
                quantity=1,
                final_sale=True,
            ),
        ),
    )
    assert order.extra == {"shopify_id": 5790412345001}
    assert order.key == "1001"


def test_maps_an_in_transit_order_with_duties_and_a_sku_less_line(shop: ShopifyStandIn) -> None:
    order = source_for(shop, promised_days_after_shipping=10).find("1002")

    assert order is not None
    assert (order.country, order.currency) == ("CH", "EUR")
    assert order.duties_paid == Decimal("12.40")
    assert order.shipping_cost == Decimal("15.00")
    assert order.shipped_at == date(2026, 10, 22)
    assert order.delivered_at is None
    assert order.promised_delivery_by == date(2026, 11, 1)
    assert order.tracking == Tracking(
        status=TrackingStatus.IN_TRANSIT,
        last_update=date(2026, 10, 25),
        carrier="UPS",
        number="1Z999AA10123456784",
    )
    assert order.items == (
        OrderItem(
            sku="44100000000021",
            name="Wool scarf",
            category="general",
            unit_price=Decimal("49.00"),
            quantity=1,
        ),
    )


def test_maps_a_gift_card_line_to_the_gift_card_category(shop: ShopifyStandIn) -> None:
    order = source_for(shop).find("1003")

    assert order is not None
    gift_card, candle = order.items
    assert (gift_card.sku, gift_card.name, gift_card.category) == (
        "44100000000031",
        "Gift card - €50",
        "gift_card",
    )
    assert (candle.sku, candle.category, candle.quantity) == ("CNDL-03-FIG", "home_fragrance", 2)


def test_an_untracked_gift_card_fulfillment_neither_dates_nor_hides_the_parcel(
    shop: ShopifyStandIn,
) -> None:
    order = source_for(shop).find("1003")

    assert order is not None
    assert order.shipped_at == date(2026, 11, 3)
    assert order.delivered_at is None
    assert order.tracking == Tracking(
        status=TrackingStatus.EXCEPTION,
        last_update=date(2026, 11, 6),
        carrier="Colissimo",
        number="6A12345678901",
    )


def test_shipping_cost_falls_back_to_the_sum_of_shipping_lines() -> None:
    orders = fixture_orders()
    del orders[0]["total_shipping_price_set"]
    orders[0]["shipping_lines"].append({"title": "Express surcharge", "price": "3.00"})

    with ShopifyStandIn(orders) as shop:
        order = source_for(shop).find("1001")

    assert order is not None
    assert order.shipping_cost == Decimal("7.90")


def test_a_missing_shipping_address_falls_back_to_the_billing_country() -> None:
    orders = fixture_orders()
    orders[1]["shipping_address"] = None

    with ShopifyStandIn(orders) as shop:
        order = source_for(shop).find("1002")

    assert order is not None
    assert order.country == "CH"


def test_repeated_skus_merge_when_identical_and_stay_apart_when_not() -> None:
    orders = fixture_orders()
    mug, jacket = orders[0]["line_items"]
    orders[0]["line_items"] = [
        mug,
        {**mug, "id": 99, "quantity": 1},
        jacket,
        {**jacket, "id": 77, "price": "29.50"},
    ]

    with ShopifyStandIn(orders) as shop:
        order = source_for(shop).find("1001")

    assert order is not None
    assert [(item.sku, item.quantity, item.unit_price) for item in order.items] == [
        ("MUG-01", 3, Decimal("12.50")),
        ("JKT-07", 1, Decimal("59.00")),
        ("JKT-07-77", 1, Decimal("29.50")),
    ]


# --- lookup ------------------------------------------------------------------


def test_finds_an_order_by_hash_name_and_by_bare_number_alike(shop: ShopifyStandIn) -> None:
    source = source_for(shop)

    by_hash = source.find(normalise_order_id("#1001"))
    by_number = source.find(normalise_order_id("1001"))

    assert by_hash is not None
    assert by_hash == by_number
    first = shop.requests[0]
    assert first.path == "/admin/api/2024-01/orders.json"
    assert first.query == {"name": ["#1001"], "status": ["any"]}
    assert first.headers["x-shopify-access-token"] == DEFAULT_TOKEN
    assert len(shop.requests) == 2  # one request per lookup: '#1001' matched at once


def test_finds_an_order_whose_name_has_no_hash_prefix() -> None:
    orders = fixture_orders()
    orders[1]["name"] = "EU1002"

    with ShopifyStandIn(orders) as shop:
        order = source_for(shop).find(normalise_order_id("eu1002"))
        names = [request.name for request in shop.requests]

    assert order is not None
    assert order.order_id == "EU1002"
    assert names == ["#EU1002", "EU1002"]


def test_an_unknown_order_is_none(shop: ShopifyStandIn) -> None:
    assert source_for(shop).find("999999") is None
    assert [request.name for request in shop.requests] == ["#999999", "999999"]


def test_an_order_id_that_cannot_be_one_is_never_sent(shop: ShopifyStandIn) -> None:
    with pytest.raises(ValueError):
        source_for(shop).find("1001&status=open")
    assert shop.requests == []


# --- retries -----------------------------------------------------------------


def test_retries_after_a_server_error_then_succeeds(
    shop: ShopifyStandIn, slept: list[float]
) -> None:
    shop.fail_next(2, status=503)

    order = source_for(shop, slept, backoff_seconds=0.5).find("1001")

    assert order is not None
    assert len(shop.requests) == 3
    assert slept == [0.5, 1.0]  # exponential backoff


def test_honours_retry_after_when_rate_limited(shop: ShopifyStandIn, slept: list[float]) -> None:
    shop.rate_limit_next(1, retry_after="2.0")

    order = source_for(shop, slept).find("1001")

    assert order is not None
    assert len(shop.requests) == 2
    assert slept == [2.0]


def test_caps_a_long_retry_after(shop: ShopifyStandIn, slept: list[float]) -> None:
    shop.rate_limit_next(1, retry_after="120")

    source_for(shop, slept, max_retry_after_seconds=3.0).find("1001")

    assert slept == [3.0]


def test_gives_up_after_max_attempts_without_revealing_the_token(
    shop: ShopifyStandIn, slept: list[float]
) -> None:
    shop.fail_next(10, status=500)

    with pytest.raises(OrderSourceUnavailable) as raised:
        source_for(shop, slept, max_attempts=3).find("1001")

    message = str(raised.value)
    assert "127.0.0.1" in message
    assert "HTTP 500" in message
    assert "3 attempt" in message
    assert DEFAULT_TOKEN not in message
    assert DEFAULT_TOKEN not in repr(raised.value)
    assert len(shop.requests) == 3
    assert len(slept) == 2


def test_a_timeout_is_retried_then_reported_unavailable(shop: ShopifyStandIn) -> None:
    shop.slow_next(2, seconds=1.0)
    slept: list[float] = []

    with pytest.raises(OrderSourceUnavailable) as raised:
        source_for(shop, slept, timeout_seconds=0.2, max_attempts=2).find("1001")

    assert "no answer within 0.2s" in str(raised.value)
    assert len(shop.requests) == 2
    assert slept == [0.5]


def test_a_slow_answer_then_a_prompt_one_succeeds(shop: ShopifyStandIn) -> None:
    shop.slow_next(1, seconds=1.0)

    order = source_for(shop, timeout_seconds=0.2).find("1001")

    assert order is not None
    assert len(shop.requests) == 2


def test_a_refused_connection_is_retried_then_reported_unavailable(slept: list[float]) -> None:
    with ShopifyStandIn() as shop:
        url = shop.url  # stopped below: nothing listens on this port any more
    source = ShopifyOrderSource(
        ShopifySettings(shop_url=url, access_token=DEFAULT_TOKEN, max_attempts=2),
        sleep=slept.append,
    )

    with pytest.raises(OrderSourceUnavailable) as raised:
        source.find("1001")

    assert "ConnectionError" in str(raised.value)
    assert DEFAULT_TOKEN not in str(raised.value)
    assert slept == [0.5]


# --- errors the operator or Shopify cause --------------------------------------


def test_a_rejected_token_is_a_configuration_error(shop: ShopifyStandIn) -> None:
    with pytest.raises(OrderSourceMisconfigured) as raised:
        source_for(shop, access_token="shpat_wrong_token").find("1001")

    assert "RETURNBOT_SHOPIFY_TOKEN" in str(raised.value)
    assert "shpat_wrong_token" not in str(raised.value)
    assert len(shop.requests) == 1  # never retried


def test_a_missing_scope_is_a_configuration_error(shop: ShopifyStandIn) -> None:
    shop.fail_next(1, status=403)

    with pytest.raises(OrderSourceMisconfigured, match="read_orders"):
        source_for(shop).find("1001")


def test_an_unsupported_api_version_is_a_configuration_error(shop: ShopifyStandIn) -> None:
    with pytest.raises(OrderSourceMisconfigured, match="RETURNBOT_SHOPIFY_API_VERSION"):
        source_for(shop, api_version="2019-04").find("1001")


def test_a_malformed_body_is_an_unexpected_shape_error(shop: ShopifyStandIn) -> None:
    shop.answer_next_with(b"<html><body>Checking your browser...</body></html>")

    with pytest.raises(UnexpectedOrderShape, match="not JSON"):
        source_for(shop).find("1001")
    assert len(shop.requests) == 1


def test_a_body_without_an_orders_list_is_an_unexpected_shape_error(
    shop: ShopifyStandIn,
) -> None:
    shop.answer_next_with(b'{"order": {}}', content_type="application/json")

    with pytest.raises(UnexpectedOrderShape, match="orders: expected a list"):
        source_for(shop).find("1001")


def test_an_order_that_cannot_be_mapped_names_the_field() -> None:
    orders = fixture_orders()
    orders[0]["line_items"][1]["price"] = "fifty-nine"

    with ShopifyStandIn(orders) as shop, pytest.raises(UnexpectedOrderShape) as raised:
        source_for(shop).find("1001")

    message = str(raised.value)
    assert "line_items[1].price" in message
    assert "#1001" in message
    assert "jane.doe@example.com" not in message


def test_an_order_without_created_at_names_the_field() -> None:
    orders = fixture_orders()
    del orders[0]["created_at"]

    with ShopifyStandIn(orders) as shop, pytest.raises(UnexpectedOrderShape, match="created_at"):
        source_for(shop).find("1001")


# --- settings ----------------------------------------------------------------


def test_from_env_is_none_when_no_shop_is_configured() -> None:
    assert ShopifySettings.from_env({}) is None
    assert ShopifySettings.from_env({"RETURNBOT_SHOPIFY_URL": "  "}) is None


def test_from_env_reads_url_token_and_api_version() -> None:
    settings = ShopifySettings.from_env(
        {
            "RETURNBOT_SHOPIFY_URL": "https://example.myshopify.com/",
            "RETURNBOT_SHOPIFY_TOKEN": "shpat_abc",
            "RETURNBOT_SHOPIFY_API_VERSION": "2024-04",
        }
    )

    assert settings is not None
    assert settings.shop_url == "https://example.myshopify.com"
    assert settings.access_token == "shpat_abc"
    assert settings.api_version == "2024-04"
    assert settings.orders_url == "https://example.myshopify.com/admin/api/2024-04/orders.json"


def test_from_env_defaults_the_version_and_the_scheme() -> None:
    settings = ShopifySettings.from_env(
        {"RETURNBOT_SHOPIFY_URL": "example.myshopify.com", "RETURNBOT_SHOPIFY_TOKEN": "shpat_abc"}
    )

    assert settings is not None
    assert settings.shop_url == "https://example.myshopify.com"
    assert settings.api_version == "2024-01"


def test_from_env_without_a_token_says_which_variable_is_missing() -> None:
    with pytest.raises(ValueError, match="RETURNBOT_SHOPIFY_TOKEN"):
        ShopifySettings.from_env({"RETURNBOT_SHOPIFY_URL": "https://example.myshopify.com"})


def test_from_env_rejects_a_malformed_api_version() -> None:
    with pytest.raises(ValueError, match="RETURNBOT_SHOPIFY_API_VERSION"):
        ShopifySettings.from_env(
            {
                "RETURNBOT_SHOPIFY_URL": "https://example.myshopify.com",
                "RETURNBOT_SHOPIFY_TOKEN": "shpat_abc",
                "RETURNBOT_SHOPIFY_API_VERSION": "latest",
            }
        )


def test_settings_never_show_the_token_in_their_repr() -> None:
    settings = ShopifySettings(shop_url="https://example.myshopify.com", access_token="shpat_abc")

    assert "shpat_abc" not in repr(settings)
