"""The case file of ``returnbot policy decide``: parsed strictly, errors name the field."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest

from actions.domain.case import Case, CaseFormatError, parse_case, parse_case_json
from actions.domain.engine import decide, decision_to_dict
from actions.domain.policy import DEFAULT_POLICY
from actions.domain.requests import BuyerHistory, Condition, Reason, Resolution

CASE: dict[str, Any] = {
    "order": {
        "order_id": "100482", "email": "jane@example.com", "country": "DE",
        "currency": "EUR", "placed_at": "2026-10-01", "shipped_at": "2026-10-03",
        "delivered_at": "2026-10-12", "promised_delivery_by": "2026-10-20",
        "shipping_cost": "9.90", "duties_paid": "0.00", "withdrawal_info_given": True,
        "tracking": {"carrier": "DHL", "number": "JD0146", "status": "delivered",
                     "last_update": "2026-10-12"},
        "items": [
            {"sku": "MUG-01", "name": "Ceramic mug", "category": "home",
             "unit_price": "12.50", "quantity": 2},
            {"sku": "JKT-07", "name": "Rain jacket", "category": "apparel",
             "unit_price": "59.00", "quantity": 1},
        ],
    },
    "request": {
        "items": [{"sku": "JKT-07", "quantity": 1}],
        "reason": "damaged",
        "condition": "opened_unused",
        "resolution": "store_credit",
    },
    "history": {"returned_units": {"MUG-01": 1}, "returns_last_12_months": 2},
    "now": "2026-10-20",
}  # fmt: skip


def case_with(**changes: Any) -> dict[str, Any]:
    """The sample case with top-level or dotted (``request.reason``) keys replaced."""
    case = copy.deepcopy(CASE)
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = case
        for parent in parents:
            target = target[parent]
        if value is ...:
            del target[key]
        else:
            target[key] = value
    return case


def error_of(record: object) -> str:
    with pytest.raises(CaseFormatError) as raised:
        parse_case(record)
    return str(raised.value)


def test_a_complete_case_parses_into_the_engine_arguments() -> None:
    order, request, history, now = parse_case(CASE)
    assert order.order_id == "100482"
    assert dict(request.items) == {"JKT-07": 1}
    assert request.reason is Reason.DAMAGED
    assert request.condition is Condition.OPENED_UNUSED
    assert request.resolution is Resolution.STORE_CREDIT
    assert history == BuyerHistory({"MUG-01": 1}, 2)
    assert now == datetime(2026, 10, 20, 12, 0)


def test_a_parsed_case_decides_to_the_decision_json() -> None:
    case = parse_case_json(json.dumps(CASE))
    decision = decide(case.order, case.request, case.history, DEFAULT_POLICY, case.now)
    as_json = decision_to_dict(decision)
    # 59.00 + 6.95 shipping share = 65.95, store credit x 1.10 = 72.545 -> 72.55
    assert as_json["decision"] == "approve"
    assert as_json["refund_total"] == "72.55"
    assert as_json["return_by"] == "2026-11-03"


def test_items_may_be_a_sku_to_quantity_mapping() -> None:
    case = parse_case(case_with(request__items={"JKT-07": 1, "MUG-01": 1}))
    assert dict(case.request.items) == {"JKT-07": 1, "MUG-01": 1}


def test_a_repeated_sku_adds_up_and_quantity_defaults_to_one() -> None:
    items = [{"sku": "MUG-01"}, {"sku": "MUG-01", "quantity": 1}]
    assert dict(parse_case(case_with(request__items=items)).request.items) == {"MUG-01": 2}


def test_history_condition_and_resolution_are_optional() -> None:
    case = parse_case(case_with(history=..., request__condition=..., request__resolution=...))
    assert case.history == BuyerHistory()
    assert case.request.condition is None
    assert case.request.resolution is Resolution.REFUND


def test_now_is_read_like_returnbot_now() -> None:
    # A date is its midday; a zone is dropped and its wall-clock day counts.
    assert parse_case(case_with(now="2026-10-20")).now == datetime(2026, 10, 20, 12, 0)
    assert parse_case(case_with(now="2026-10-20T18:30:00Z")).now == datetime(2026, 10, 20, 18, 30)
    late = parse_case(case_with(now="2026-10-20T23:30:00-05:00")).now
    assert late == datetime(2026, 10, 20, 23, 30)


def test_now_is_required_unless_a_default_is_given() -> None:
    assert error_of(case_with(now=...)) == "now: required ISO date or datetime is missing"
    clock = datetime(2026, 10, 21, 9, 0)
    assert parse_case(case_with(now=...), default_now=clock).now == clock


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"now": "yesterday"}, "now: expected an ISO date or datetime, got 'yesterday'"),
        ({"order": ...}, "order: expected a JSON object, missing"),
        ({"order__items": []}, "order.items: expected a non-empty list"),
        ({"order__currency": "euro"}, "order.currency: expected an ISO 4217 code, got 'EURO'"),
        ({"request": [1]}, "request: expected a JSON object, got [1]"),
        ({"request__reason": ...}, "request.reason: required, one of damaged, defective, "
                                   "wrong_item, missing_parts, not_as_described, size_fit, "
                                   "changed_mind, not_received, late_delivery, other"),
        ({"request__reason": "broken"}, "request.reason: expected one of damaged, "),
        ({"request__condition": "worn"}, "request.condition: expected one of new_unopened, "
                                         "opened_unused, used, got 'worn'"),
        ({"request__resolution": "cash"}, "request.resolution: expected one of refund, "),
        ({"request__resolutoin": "refund"}, "request.resolutoin: unknown key (expected one of: "
                                            "items, reason, condition, resolution)"),
        ({"request__items": []}, "request.items: a return needs at least one item"),
        ({"request__items": "JKT-07"}, "request.items: expected a list of {sku, quantity} or"),
        ({"request__items": [{"sku": "JKT-07", "quantity": 0}]},
         "request.items[0].quantity: expected a whole number >= 1, got 0"),
        ({"request__items": [{"sku": "JKT-07", "quantity": "2"}]},
         "request.items[0].quantity: expected a whole number >= 1, got '2'"),
        ({"request__items": [{"quantity": 1}]}, "request.items[0].sku: required text, got None"),
        ({"request__items": [{"sku": "JKT-07", "qty": 1}]}, "request.items[0].qty: unknown key"),
        ({"request__items": ["JKT-07"]}, "request.items[0]: expected an object with sku"),
        ({"request__items": {"JKT-07": True}},
         "request.items.JKT-07: expected a whole number >= 1, got True"),
        ({"history__returned_units": {"MUG-01": -1}},
         "history.returned_units.MUG-01: expected a whole number >= 0, got -1"),
        ({"history__returned_units": [1]}, "history.returned_units: expected a {sku: units}"),
        ({"history__returns_last_12_months": 2.5},
         "history.returns_last_12_months: expected a whole number >= 0, got 2.5"),
        ({"history__open_returns": 1}, "history.open_returns: unknown key"),
        ({"policy": "strict.yml"}, "policy: unknown key (expected one of: order, request, "),
    ],
)  # fmt: skip
def test_each_bad_field_is_named(changes: dict[str, Any], message: str) -> None:
    assert error_of(case_with(**changes)).startswith(message)


def test_a_case_must_be_a_json_object() -> None:
    assert error_of([CASE]).startswith("case: expected a JSON object")


def test_invalid_json_names_the_line_and_column() -> None:
    with pytest.raises(CaseFormatError, match=r"^not valid JSON: line 2 column 2: Extra data"):
        parse_case_json('{"order": {}\n}}')


def test_a_case_unpacks_in_the_order_decide_takes() -> None:
    assert Case._fields == ("order", "request", "history", "now")
