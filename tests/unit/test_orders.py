"""Orders in the domain: the import format, order ids, masked emails."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from actions.domain.orders import (
    Order,
    OrderFormatError,
    Tracking,
    TrackingStatus,
    is_valid_email,
    mask_email,
    normalise_order_id,
    order_to_record,
    parse_order,
)

DATA = Path(__file__).resolve().parents[1] / "data"
RECORDS: list[dict[str, Any]] = json.loads((DATA / "sample_orders.json").read_text("utf-8"))
SAMPLE = RECORDS[0]


def changed(**changes: Any) -> dict[str, Any]:
    """The first sample record with keys replaced (``...`` removes a key)."""
    record = copy.deepcopy(SAMPLE)
    for key, value in changes.items():
        if value is ...:
            del record[key]
        else:
            record[key] = value
    return record


def with_item(index: int, **changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(SAMPLE)
    for key, value in changes.items():
        if value is ...:
            del record["items"][index][key]
        else:
            record["items"][index][key] = value
    return record


def error_of(record: object) -> str:
    with pytest.raises(OrderFormatError) as raised:
        parse_order(record)  # type: ignore[arg-type]
    return str(raised.value)


# --- parsing ----------------------------------------------------------------------------------


def test_the_sample_order_parses_into_exact_values() -> None:
    order = parse_order(SAMPLE)

    assert order.order_id == "100482"
    assert order.key == "100482"
    assert order.placed_at == date(2026, 10, 1)
    assert order.delivered_at == date(2026, 10, 12)
    assert order.shipping_cost == Decimal("9.90")
    assert order.tracking == Tracking(TrackingStatus.DELIVERED, date(2026, 10, 12), "DHL",
                                      "JD014600")  # fmt: skip
    assert order.total_value == Decimal("84.00")
    assert [(i.sku, i.quantity, i.unit_price, i.final_sale) for i in order.items] == [
        ("MUG-01", 2, Decimal("12.50"), False),
        ("JKT-07", 1, Decimal("59.00"), False),
    ]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (changed(order_id=...), "order_id: required text, got None"),
        (changed(order_id="10 0482"), "order_id: not a valid order id: '10 0482'"),
        (changed(email="jane"), "email: not an email address: 'jane'"),
        (changed(items=[]), "items: expected a non-empty list"),
        (changed(items="MUG-01"), "items: expected a non-empty list"),
        (changed(currency="EURO"), "currency: expected an ISO 4217 code, got 'EURO'"),
        (changed(country="DEU"), "country: expected an ISO 3166-1 alpha-2 code, got 'DEU'"),
        (changed(placed_at=...), "placed_at: required date is missing"),
        (changed(placed_at="yesterday"), "placed_at: expected an ISO date, got 'yesterday'"),
        (changed(delivered_at="12/10/2026"), "delivered_at: expected an ISO date"),
        (changed(shipping_cost="-1"), "shipping_cost: must not be negative, got '-1'"),
        (changed(duties_paid="abc"), "duties_paid: expected a decimal amount, got 'abc'"),
        (changed(shipping_cost="NaN"), "shipping_cost: expected a finite amount"),
        (changed(withdrawal_info_given="yes"), "withdrawal_info_given: expected true or false"),
        (changed(tracking={"status": "gone"}), "tracking.status: expected one of"),
        (changed(tracking="DHL"), "tracking: expected an object"),
        (changed(items=["MUG-01"]), "items[0]: expected an object"),
        (with_item(1, quantity=0), "items[1].quantity: expected a whole number >= 1, got 0"),
        (with_item(1, quantity=True), "items[1].quantity: expected a whole number >= 1"),
        (with_item(1, quantity="2"), "items[1].quantity: expected a whole number >= 1"),
        (with_item(0, sku=...), "items[0].sku: required text"),
        (with_item(1, name="  "), "items[1].name: required text"),
        (with_item(1, sku="MUG-01"), "items: the same sku appears twice"),
        (with_item(1, unit_price="12,50"), "items[1].unit_price: expected a decimal amount"),
        (with_item(1, unit_price=...), "items[1].unit_price"),
        (with_item(1, unit_price="-5"), "items[1].unit_price: must not be negative"),
        (with_item(1, final_sale="no"), "items[1].final_sale: expected true or false"),
        (with_item(1, category=7), "items[1].category: expected text"),
    ],
)
def test_a_bad_record_is_refused_with_an_error_naming_the_field(
    record: dict[str, Any], message: str
) -> None:
    assert error_of(record).startswith(message)


@pytest.mark.parametrize("record", [[], "100482", None, 42])
def test_a_record_that_is_not_an_object_is_refused(record: object) -> None:
    assert error_of(record).startswith("expected a JSON object")


def test_numbers_are_accepted_for_ids_and_amounts_without_float_error() -> None:
    order = parse_order(changed(order_id=100482, shipping_cost=9.9, duties_paid=0))

    assert order.order_id == "100482"
    assert order.shipping_cost == Decimal("9.9")
    assert order.duties_paid == Decimal("0")


def test_optional_fields_take_their_documented_defaults() -> None:
    record = changed(shipped_at=..., delivered_at=None, promised_delivery_by="",
                     shipping_cost=..., duties_paid=None, withdrawal_info_given=...,
                     tracking={})  # fmt: skip
    record["items"][0].pop("category")

    order = parse_order(record)

    assert (order.shipped_at, order.delivered_at, order.promised_delivery_by) == (None,) * 3
    assert order.shipping_cost == order.duties_paid == Decimal("0")
    assert order.withdrawal_info_given is True
    assert order.tracking is None
    assert order.items[0].category == "general"


def test_codes_are_upper_cased_and_categories_lower_cased() -> None:
    order = parse_order(with_item(1, category=" Apparel ") | {"currency": "eur", "country": "de"})

    assert (order.currency, order.country) == ("EUR", "DE")
    assert order.items[1].category == "apparel"


def test_a_datetime_counts_as_its_calendar_day() -> None:
    order = parse_order(changed(delivered_at="2026-10-12T23:30:00+02:00"))

    assert order.delivered_at == date(2026, 10, 12)


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r["order_id"])
def test_an_order_survives_the_round_trip_through_its_record(record: dict[str, Any]) -> None:
    order = parse_order(record)

    assert parse_order(order_to_record(order)) == order
    assert json.loads(json.dumps(order_to_record(order))) == order_to_record(order)


def test_the_round_trip_keeps_unknown_fields_and_trailing_zeros() -> None:
    order = parse_order(changed(loyalty_tier="gold", shipping_cost="9.90"))

    record = order_to_record(order)
    again = parse_order(record)

    assert record["loyalty_tier"] == "gold"
    assert record["shipping_cost"] == "9.90"
    assert again.extra == {"loyalty_tier": "gold"}


def test_the_round_trip_of_an_order_without_tracking_or_delivery() -> None:
    order = parse_order(changed(tracking=None, delivered_at=None, shipped_at=None))

    assert order_to_record(order)["tracking"] is None
    assert parse_order(order_to_record(order)) == order


# --- order ids and emails ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("100482", "100482"),
        (" #100482 ", "100482"),
        ("so-2026-0042", "SO-2026-0042"),
        ("#SO-2026-0042", "SO-2026-0042"),
        ("ab12345", "AB12345"),
        ("X" * 40, "X" * 40),
    ],
)
def test_normalise_order_id_gives_one_key_for_each_way_of_writing_it(raw: str, key: str) -> None:
    assert normalise_order_id(raw) == key


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "#", "##100482", "-100482", "100 482", "100482!", "1" * 41, "ÄB123",
     "100482;DROP", "<b>1</b>"],
)  # fmt: skip
def test_normalise_order_id_refuses_text_that_cannot_be_an_order_id(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_order_id(raw)


def test_an_order_belongs_to_its_email_whatever_the_case_and_spaces() -> None:
    order = parse_order(SAMPLE)

    assert order.belongs_to("  JANE.Doe@example.com ")
    assert not order.belongs_to("jane.doe@example.org")


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("jane.doe@example.com", "j***@e***.com"),
        ("m.silva@example.com.br", "m***@e***.br"),
        (" Jane@Shop.DE ", "J***@S***.DE"),
        ("jane@localhost", "j***@***.localhost"),
        ("not an email", "***"),
        ("", "***"),
    ],
)
def test_mask_email_keeps_only_first_letters_and_the_top_level_domain(
    email: str, masked: str
) -> None:
    assert mask_email(email) == masked


def test_a_masked_email_never_contains_the_local_part_or_host() -> None:
    masked = mask_email("secretname@hiddenhost.example")

    assert "secretname" not in masked
    assert "hiddenhost" not in masked


@pytest.mark.parametrize(
    ("email", "valid"),
    [("jane@example.com", True), (" jane@example.com ", True), ("jane@example", False),
     ("jane example@x.com", False), ("a@b@c.com", False), ("x" * 250 + "@e.com", False)],
)  # fmt: skip
def test_is_valid_email(email: str, valid: bool) -> None:
    assert is_valid_email(email) is valid


def test_an_order_is_a_frozen_value() -> None:
    order: Order = parse_order(SAMPLE)

    with pytest.raises(AttributeError):
        order.email = "someone@else.com"  # type: ignore[misc]
