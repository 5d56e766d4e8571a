"""The refund policy engine, rule by rule (policy-spec.md), boundaries included.

Every test builds the dataclasses directly. Unless a test says otherwise the
order is the contracts.md sample: a German order of two mugs (12.50 EUR each)
and a rain jacket (59.00 EUR), 9.90 EUR outbound shipping, so the jacket's
shipping share is 9.90 x 59 / 84 = 6.95.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from actions.domain.engine import (
    Decision,
    Outcome,
    UnknownCurrency,
    decide,
    decision_to_dict,
)
from actions.domain.orders import Order, OrderItem, Tracking, TrackingStatus
from actions.domain.policy import DEFAULT_POLICY, Policy
from actions.domain.requests import (
    BuyerHistory,
    Condition,
    InvalidRequest,
    Reason,
    Resolution,
    ReturnRequest,
)

NOW = date(2026, 11, 16)


def days_ago(days: int) -> date:
    return NOW - timedelta(days=days)


# --- builders ---------------------------------------------------------------------


def line(
    sku: str = "JKT-07",
    price: str = "59.00",
    quantity: int = 1,
    category: str = "apparel",
    final_sale: bool = False,
) -> OrderItem:
    return OrderItem(
        sku=sku,
        name=sku.title(),
        category=category,
        unit_price=Decimal(price),
        quantity=quantity,
        final_sale=final_sale,
    )


MUGS = line("MUG-01", "12.50", 2, "home")
JACKET = line()


def make_order(
    *items: OrderItem,
    country: str = "DE",
    currency: str = "EUR",
    delivered: int | None = 5,
    shipping: str = "9.90",
    duties: str = "0.00",
    info_given: bool = True,
    shipped: date | None = None,
    promised: date | None = None,
    tracking: Tracking | None = None,
) -> Order:
    """An order delivered ``delivered`` days before NOW (None: not delivered)."""
    return Order(
        order_id="100482",
        email="jane@example.com",
        country=country,
        currency=currency,
        placed_at=days_ago(400 if delivered is None else delivered + 10),
        items=items or (MUGS, JACKET),
        shipped_at=shipped,
        delivered_at=None if delivered is None else days_ago(delivered),
        promised_delivery_by=promised,
        shipping_cost=Decimal(shipping),
        duties_paid=Decimal(duties),
        withdrawal_info_given=info_given,
        tracking=tracking,
    )


def in_transit(last_update: date | None) -> Tracking:
    return Tracking(status=TrackingStatus.IN_TRANSIT, last_update=last_update, carrier="DHL")


def make_request(
    reason: Reason = Reason.CHANGED_MIND,
    items: dict[str, int] | None = None,
    condition: Condition | None = Condition.OPENED_UNUSED,
    resolution: Resolution = Resolution.REFUND,
) -> ReturnRequest:
    return ReturnRequest(
        items=items or {"JKT-07": 1},
        reason=reason,
        condition=condition,
        resolution=resolution,
    )


def run(
    order: Order,
    request: ReturnRequest,
    history: BuyerHistory | None = None,
    policy: Policy = DEFAULT_POLICY,
    now: date | datetime = NOW,
) -> Decision:
    return decide(order, request, history or BuyerHistory(), policy, now)


def assert_approved(
    decision: Decision,
    reasons: tuple[str, ...],
    refund_total: str,
    paid_by: str | None,
    resolution: Resolution = Resolution.REFUND,
) -> None:
    assert decision.decision is Outcome.APPROVE
    assert decision.reasons == reasons
    assert decision.resolution is resolution
    assert decision.refund_total == Decimal(refund_total)
    assert str(decision.refund_total) == refund_total  # rounded to the minor unit
    assert decision.return_shipping_paid_by == paid_by
    assert decision.return_required is (paid_by is not None)
    if paid_by is None:
        assert decision.return_by is None
    else:
        assert decision.return_by == NOW + timedelta(days=14)


def assert_closed(decision: Decision, outcome: Outcome, *reasons: str) -> None:
    """A denial or an escalation: no resolution, no money, no return."""
    assert decision.decision is outcome
    assert decision.reasons == reasons
    assert decision.resolution is None
    assert decision.refund_total is None
    assert decision.return_required is False
    assert decision.return_shipping_paid_by is None
    assert decision.return_by is None
    assert decision.refund_by is None


# --- markets and defaults ---------------------------------------------------------


def test_countries_map_to_markets_and_unlisted_countries_are_other() -> None:
    market_of = DEFAULT_POLICY.market_of
    assert [market_of(c) for c in ("DE", "NO", "IS", "LI", "gb", "US", "BR", "CN", "JP")] == [
        "EU", "EU", "EU", "EU", "UK", "US", "BR", "CN", "JP",
    ]  # fmt: skip
    assert market_of("CH") == "OTHER"
    assert len(DEFAULT_POLICY.markets["EU"]) == 30  # 27 member states + IS, LI, NO


def test_default_policy_holds_the_spec_configuration() -> None:
    policy = DEFAULT_POLICY
    assert policy.return_window_days == 30
    assert dict(policy.withdrawal.floor_days) == {"EU": 14, "UK": 14, "BR": 7, "CN": 7}
    assert policy.withdrawal_floor_days("EU", informed=False) == 14 + 365
    assert policy.withdrawal_floor_days("BR", informed=False) == 7
    assert policy.withdrawal_floor_days("US", informed=True) is None
    assert policy.seller_fault.claim_window_days == 365
    assert policy.seller_fault.legal_guarantee_days == 730
    assert policy.manual_review.item_value_usd == Decimal("750")
    assert policy.manual_review.returns_last_12_months == 10
    assert policy.delivery.lost_after_days == 20
    assert policy.delivery.late_grace_days == 3
    assert policy.returnless.max_item_value_usd == Decimal("15")
    assert policy.return_shipping_estimate_usd("OTHER") == Decimal("30")
    assert policy.usd_rates["JPY"] == Decimal("0.0067")
    assert policy.store_credit_bonus == Decimal("0.10")
    assert policy.restocking_fee_percent == 0


# --- rule 1: validate -------------------------------------------------------------


def test_an_item_not_in_the_order_is_denied() -> None:
    decision = run(make_order(), make_request(items={"HAT-99": 1}))
    assert_closed(decision, Outcome.DENY, "item_not_in_order")
    assert decision.item_value == Decimal("0.00")


def test_more_units_than_ordered_are_denied() -> None:
    decision = run(make_order(), make_request(items={"MUG-01": 3}))
    assert_closed(decision, Outcome.DENY, "exceeds_returnable_quantity")


def test_units_already_in_open_returns_are_not_returnable_again() -> None:
    history = BuyerHistory(returned_units={"MUG-01": 1})
    too_many = run(make_order(), make_request(items={"MUG-01": 2}), history)
    assert_closed(too_many, Outcome.DENY, "exceeds_returnable_quantity")
    the_rest = run(make_order(), make_request(items={"MUG-01": 1}), history)
    assert the_rest.decision is Outcome.APPROVE


def test_validation_comes_before_manual_review() -> None:
    history = BuyerHistory(returns_last_12_months=12)
    decision = run(make_order(), make_request(items={"JKT-07": 1, "HAT-99": 1}), history)
    assert_closed(decision, Outcome.DENY, "item_not_in_order")


# --- rule 2: manual review --------------------------------------------------------


def usd_order(price: str, quantity: int = 1, country: str = "US", **kwargs: object) -> Order:
    return make_order(
        line("TV-55", price, quantity, "electronics"),
        country=country,
        currency="USD",
        shipping="0.00",
        **kwargs,  # type: ignore[arg-type]
    )


def test_usd_item_value_just_below_750_follows_the_rules() -> None:
    decision = run(usd_order("749.99"), make_request(Reason.DEFECTIVE, {"TV-55": 1}))
    assert_approved(decision, ("seller_fault",), "749.99", "seller")


def test_usd_item_value_of_exactly_750_escalates_high_value() -> None:
    decision = run(usd_order("750.00"), make_request(Reason.DEFECTIVE, {"TV-55": 1}))
    assert_closed(decision, Outcome.ESCALATE, "high_value")
    assert decision.item_value == Decimal("750.00")


def test_high_value_counts_every_requested_unit() -> None:
    decision = run(usd_order("375.00", quantity=2), make_request(Reason.DEFECTIVE, {"TV-55": 2}))
    assert_closed(decision, Outcome.ESCALATE, "high_value")


def test_eur_item_value_is_compared_in_usd_at_the_policy_rate() -> None:
    def order(price: str) -> Order:
        return make_order(line("TV-55", price, 1, "electronics"), shipping="0.00")

    request = make_request(Reason.DEFECTIVE, {"TV-55": 1})
    # 694.44 EUR x 1.08 = 749.9952 USD: below the threshold, exactly compared.
    assert run(order("694.44"), request).decision is Outcome.APPROVE
    # 694.45 EUR x 1.08 = 750.006 USD.
    assert_closed(run(order("694.45"), request), Outcome.ESCALATE, "high_value")


def test_nine_returns_in_twelve_months_do_not_trigger_a_review() -> None:
    decision = run(make_order(), make_request(), BuyerHistory(returns_last_12_months=9))
    assert decision.decision is Outcome.APPROVE


def test_ten_returns_in_twelve_months_escalate_rather_than_deny() -> None:
    decision = run(make_order(), make_request(), BuyerHistory(returns_last_12_months=10))
    assert_closed(decision, Outcome.ESCALATE, "return_frequency")


def test_reason_other_escalates_special_circumstances() -> None:
    decision = run(make_order(), make_request(Reason.OTHER))
    assert_closed(decision, Outcome.ESCALATE, "special_circumstances")


def test_every_manual_review_code_that_applies_is_listed_deciding_one_first() -> None:
    history = BuyerHistory(returns_last_12_months=10)
    decision = run(usd_order("800.00"), make_request(Reason.OTHER, {"TV-55": 1}), history)
    assert_closed(
        decision, Outcome.ESCALATE, "high_value", "return_frequency", "special_circumstances"
    )


def test_manual_review_comes_before_the_delivery_rules() -> None:
    order = make_order(delivered=None, tracking=in_transit(days_ago(30)))
    history = BuyerHistory(returns_last_12_months=10)
    decision = run(order, make_request(Reason.NOT_RECEIVED), history)
    assert_closed(decision, Outcome.ESCALATE, "return_frequency")


# --- rule 3: delivery reasons -----------------------------------------------------


def undelivered(
    last_update: date | None = None,
    promised: date | None = None,
    shipped: date | None = None,
) -> Order:
    tracking = in_transit(last_update) if last_update else None
    return make_order(delivered=None, tracking=tracking, promised=promised, shipped=shipped)


def test_not_received_but_delivered_escalates_for_a_carrier_investigation() -> None:
    decision = run(make_order(delivered=2), make_request(Reason.NOT_RECEIVED))
    assert_closed(decision, Outcome.ESCALATE, "delivered_not_received")


def test_tracking_delivered_counts_as_delivered_without_delivered_at() -> None:
    tracking = Tracking(status=TrackingStatus.DELIVERED, last_update=days_ago(3))
    order = make_order(delivered=None, tracking=tracking)
    decision = run(order, make_request(Reason.LATE_DELIVERY))
    assert_closed(decision, Outcome.ESCALATE, "delivered_not_received")


def test_parcel_is_lost_20_days_after_the_last_tracking_update() -> None:
    order = undelivered(last_update=days_ago(20), promised=NOW + timedelta(days=5))
    decision = run(order, make_request(Reason.NOT_RECEIVED))
    # Refund = item + shipping share + duties share; nothing to send back.
    assert_approved(decision, ("parcel_lost",), "65.95", None)
    assert decision.refund_by == NOW + timedelta(days=14)


def test_parcel_is_not_lost_19_days_after_the_last_tracking_update() -> None:
    order = undelivered(last_update=days_ago(19), promised=NOW + timedelta(days=5))
    decision = run(order, make_request(Reason.NOT_RECEIVED))
    assert_closed(decision, Outcome.DENY, "delivery_not_yet_late")
    assert decision.come_back_after == NOW  # tomorrow it counts as lost


def test_lost_counts_from_shipping_when_tracking_has_no_update() -> None:
    order = undelivered(shipped=days_ago(20))
    assert run(order, make_request(Reason.NOT_RECEIVED)).reasons == ("parcel_lost",)
    order = undelivered(shipped=days_ago(19))
    assert run(order, make_request(Reason.NOT_RECEIVED)).reasons == ("delivery_not_yet_late",)


def test_delivery_is_late_four_days_after_the_promised_date() -> None:
    order = undelivered(last_update=days_ago(2), promised=days_ago(4))
    decision = run(order, make_request(Reason.LATE_DELIVERY))
    assert_approved(decision, ("delivery_late",), "65.95", None)


def test_delivery_is_not_late_three_days_after_the_promised_date() -> None:
    order = undelivered(last_update=days_ago(2), promised=days_ago(3))
    decision = run(order, make_request(Reason.LATE_DELIVERY))
    assert_closed(decision, Outcome.DENY, "delivery_not_yet_late")
    assert decision.come_back_after == NOW  # promised + 3 days


def test_come_back_after_is_the_earlier_of_late_and_lost() -> None:
    order = undelivered(last_update=days_ago(10), promised=NOW + timedelta(days=10))
    decision = run(order, make_request(Reason.NOT_RECEIVED))
    assert decision.come_back_after == NOW + timedelta(days=9)  # lost before it is late
    order = undelivered(last_update=days_ago(1), promised=NOW + timedelta(days=2))
    decision = run(order, make_request(Reason.NOT_RECEIVED))
    assert decision.come_back_after == NOW + timedelta(days=5)  # late before it is lost


def test_without_a_promised_date_a_parcel_can_only_be_lost() -> None:
    decision = run(undelivered(last_update=days_ago(5)), make_request(Reason.LATE_DELIVERY))
    assert_closed(decision, Outcome.DENY, "delivery_not_yet_late")
    assert decision.come_back_after == NOW + timedelta(days=14)


def test_a_parcel_not_yet_shipped_without_a_promised_date_has_no_come_back_date() -> None:
    decision = run(undelivered(), make_request(Reason.NOT_RECEIVED))
    assert_closed(decision, Outcome.DENY, "delivery_not_yet_late")
    assert decision.come_back_after is None


def test_delivery_refund_includes_shipping_and_duties_shares() -> None:
    order = replace(undelivered(last_update=days_ago(25)), duties_paid=Decimal("5.00"))
    decision = run(order, make_request(Reason.NOT_RECEIVED))
    # 59.00 + 6.95 + 5.00 x 59 / 84 (3.51)
    assert_approved(decision, ("parcel_lost",), "69.46", None)


def test_a_lost_parcel_can_be_reshipped_as_a_replacement_at_no_charge() -> None:
    request = make_request(Reason.NOT_RECEIVED, resolution=Resolution.REPLACEMENT)
    decision = run(undelivered(last_update=days_ago(25)), request)
    assert_approved(decision, ("parcel_lost",), "0.00", None, Resolution.REPLACEMENT)
    assert decision.refund_by is None  # nothing is refunded


def test_an_exchange_for_a_delivery_problem_falls_back_to_a_refund() -> None:
    request = make_request(Reason.NOT_RECEIVED, resolution=Resolution.EXCHANGE)
    decision = run(undelivered(last_update=days_ago(25)), request)
    assert_approved(decision, ("parcel_lost", "resolution_not_offered"), "65.95", None)


# --- rule 4: seller fault ---------------------------------------------------------


def test_damaged_item_is_returned_at_the_sellers_expense_with_shipping_refunded() -> None:
    decision = run(make_order(delivered=10), make_request(Reason.DAMAGED))
    assert_approved(decision, ("seller_fault",), "65.95", "seller")
    assert decision.refund_by is None  # paid within 14 days of the return arriving


def test_seller_fault_refund_includes_the_duties_share() -> None:
    order = make_order(delivered=10, duties="5.00")
    decision = run(order, make_request(Reason.NOT_AS_DESCRIBED))
    assert_approved(decision, ("seller_fault",), "69.46", "seller")


def test_seller_fault_claim_on_day_365_is_approved() -> None:
    decision = run(
        make_order(delivered=365, country="US", currency="USD"), make_request(Reason.DEFECTIVE)
    )
    assert decision.decision is Outcome.APPROVE


def test_seller_fault_claim_on_day_366_in_the_eu_goes_to_legal_guarantee_review() -> None:
    decision = run(make_order(delivered=366), make_request(Reason.DEFECTIVE))
    assert_closed(decision, Outcome.ESCALATE, "legal_guarantee_review")


def test_seller_fault_claim_on_day_366_in_the_us_is_denied() -> None:
    order = make_order(delivered=366, country="US", currency="USD")
    decision = run(order, make_request(Reason.DEFECTIVE))
    assert_closed(decision, Outcome.DENY, "claim_window_expired")


def test_eu_legal_guarantee_review_ends_after_day_730() -> None:
    on_730 = run(make_order(delivered=730), make_request(Reason.DEFECTIVE))
    assert_closed(on_730, Outcome.ESCALATE, "legal_guarantee_review")
    on_731 = run(make_order(delivered=731), make_request(Reason.DEFECTIVE))
    assert_closed(on_731, Outcome.DENY, "claim_window_expired")


def test_the_uk_has_the_legal_guarantee_review_too() -> None:
    order = make_order(delivered=400, country="GB", currency="GBP")
    decision = run(order, make_request(Reason.WRONG_ITEM))
    assert_closed(decision, Outcome.ESCALATE, "legal_guarantee_review")


def test_missing_parts_are_refunded_without_a_return() -> None:
    decision = run(make_order(delivered=10), make_request(Reason.MISSING_PARTS))
    assert_approved(decision, ("missing_parts",), "65.95", None)
    assert decision.refund_by == NOW + timedelta(days=14)


def seller_fault_order(price: str, country: str) -> Order:
    return make_order(line("TV-55", price, 1, "electronics"), country=country, currency="USD",
                      shipping="0.00")  # fmt: skip


def test_a_seller_fault_item_worth_exactly_usd_15_is_returnless() -> None:
    request = make_request(Reason.DAMAGED, {"TV-55": 1})
    # China: the estimated return label (USD 8) is cheaper than both items.
    decision = run(seller_fault_order("15.00", "CN"), request)
    assert_approved(decision, ("returnless",), "15.00", None)
    decision = run(seller_fault_order("15.01", "CN"), request)
    assert_approved(decision, ("seller_fault",), "15.01", "seller")


def test_returnless_when_the_estimated_return_label_costs_at_least_the_item() -> None:
    request = make_request(Reason.DAMAGED, {"TV-55": 1})
    # Switzerland is OTHER: estimated return shipping USD 30.
    decision = run(seller_fault_order("30.00", "CH"), request)
    assert_approved(decision, ("returnless",), "30.00", None)
    decision = run(seller_fault_order("30.01", "CH"), request)
    assert_approved(decision, ("seller_fault",), "30.01", "seller")


def test_returnless_compares_the_item_value_in_usd() -> None:
    # 13.89 EUR = 15.0012 USD: above USD 15 and above the EU label (USD 12).
    order = make_order(line("CUP-02", "13.89", 1, "home"), shipping="0.00")
    decision = run(order, make_request(Reason.DAMAGED, {"CUP-02": 1}))
    assert_approved(decision, ("seller_fault",), "13.89", "seller")
    order = make_order(line("CUP-02", "13.88", 1, "home"), shipping="0.00")  # 14.9904 USD
    decision = run(order, make_request(Reason.DAMAGED, {"CUP-02": 1}))
    assert_approved(decision, ("returnless",), "13.88", None)


def test_a_replacement_for_a_defective_item_needs_a_return_and_refunds_nothing() -> None:
    request = make_request(Reason.DEFECTIVE, resolution=Resolution.REPLACEMENT)
    decision = run(make_order(), request)
    assert_approved(decision, ("seller_fault",), "0.00", "seller", Resolution.REPLACEMENT)
    assert decision.refund_by is None


def test_seller_fault_store_credit_adds_the_bonus() -> None:
    request = make_request(Reason.DAMAGED, resolution=Resolution.STORE_CREDIT)
    decision = run(make_order(), request)
    # 65.95 x 1.10 = 72.545, rounded half-up.
    assert_approved(decision, ("seller_fault",), "72.55", "seller", Resolution.STORE_CREDIT)


# --- rule 5: buyer reasons --------------------------------------------------------


def test_eu_withdrawal_refunds_outbound_shipping() -> None:
    decision = run(make_order(delivered=14), make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("statutory_withdrawal",), "65.95", "buyer")


def test_eu_return_on_day_15_falls_under_the_store_window_without_the_shipping_share() -> None:
    decision = run(make_order(delivered=15), make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("store_return_window",), "59.00", "buyer")


def test_duties_are_not_refunded_for_buyer_reasons() -> None:
    decision = run(make_order(delivered=5, duties="5.00"), make_request(Reason.SIZE_FIT))
    assert_approved(decision, ("statutory_withdrawal",), "65.95", "buyer")


def us_order(delivered: int, *items: OrderItem, info_given: bool = True) -> Order:
    return make_order(*items, country="US", currency="USD", delivered=delivered,
                      info_given=info_given)  # fmt: skip


def test_us_store_window_includes_day_30() -> None:
    decision = run(us_order(30), make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("store_return_window",), "59.00", "buyer")


def test_us_store_window_ends_after_day_30() -> None:
    decision = run(us_order(31), make_request(Reason.CHANGED_MIND))
    assert_closed(decision, Outcome.DENY, "return_window_expired")


def test_uninformed_eu_buyer_can_withdraw_until_day_379_at_the_sellers_expense() -> None:
    order = make_order(delivered=379, info_given=False)
    decision = run(order, make_request(Reason.CHANGED_MIND))
    assert_approved(
        decision, ("statutory_withdrawal", "withdrawal_info_not_given"), "65.95", "seller"
    )


def test_uninformed_eu_buyer_is_denied_on_day_380() -> None:
    order = make_order(delivered=380, info_given=False)
    decision = run(order, make_request(Reason.CHANGED_MIND))
    assert_closed(decision, Outcome.DENY, "return_window_expired")


def test_the_uninformed_extension_does_not_apply_in_the_us() -> None:
    decision = run(us_order(31, info_given=False), make_request(Reason.CHANGED_MIND))
    assert_closed(decision, Outcome.DENY, "return_window_expired")


def brazil_order(delivered: int | None) -> Order:
    shoes = line("SHO-11", "150.00", 1, "apparel")
    return make_order(shoes, country="BR", currency="BRL", delivered=delivered, shipping="25.00")


def test_brazil_withdrawal_on_day_7_refunds_shipping_and_the_seller_pays_the_return() -> None:
    decision = run(brazil_order(7), make_request(Reason.CHANGED_MIND, {"SHO-11": 1}))
    assert_approved(decision, ("statutory_withdrawal",), "175.00", "seller")


def test_brazil_return_on_day_8_is_paid_by_the_buyer_without_shipping_refund() -> None:
    decision = run(brazil_order(8), make_request(Reason.CHANGED_MIND, {"SHO-11": 1}))
    assert_approved(decision, ("store_return_window",), "150.00", "buyer")


def test_china_withdrawal_neither_refunds_shipping_nor_pays_the_return() -> None:
    order = make_order(country="CN", currency="CNY", delivered=7)
    decision = run(order, make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("statutory_withdrawal",), "59.00", "buyer")


def test_non_returnable_category_is_denied_even_within_withdrawal() -> None:
    order = make_order(line("NAME-MUG", "20.00", 1, "personalised"), delivered=2)
    decision = run(order, make_request(Reason.CHANGED_MIND, {"NAME-MUG": 1}))
    assert_closed(decision, Outcome.DENY, "non_returnable_category")


def test_opened_hygiene_item_is_denied() -> None:
    order = make_order(line("LIP-01", "20.00", 1, "cosmetics"), delivered=2)
    request = make_request(Reason.CHANGED_MIND, {"LIP-01": 1}, Condition.OPENED_UNUSED)
    assert_closed(run(order, request), Outcome.DENY, "hygiene_opened")


def test_unopened_hygiene_item_is_returnable() -> None:
    order = make_order(line("LIP-01", "20.00", 1, "cosmetics"), delivered=2)
    request = make_request(Reason.CHANGED_MIND, {"LIP-01": 1}, Condition.NEW_UNOPENED)
    assert run(order, request).decision is Outcome.APPROVE


def test_final_sale_item_is_denied_without_statutory_withdrawal() -> None:
    sale = line(final_sale=True)
    assert_closed(run(us_order(5, sale), make_request()), Outcome.DENY, "final_sale")
    assert_closed(run(make_order(sale, delivered=20), make_request()), Outcome.DENY, "final_sale")


def test_final_sale_item_is_returnable_within_statutory_withdrawal() -> None:
    order = make_order(line(final_sale=True), delivered=10, shipping="0.00")
    decision = run(order, make_request())
    assert_approved(decision, ("statutory_withdrawal",), "59.00", "buyer")


def test_one_final_sale_item_decides_the_whole_request() -> None:
    order = us_order(5, MUGS, line(final_sale=True))
    decision = run(order, make_request(items={"MUG-01": 1, "JKT-07": 1}))
    assert_closed(decision, Outcome.DENY, "final_sale")


def test_used_item_within_eu_withdrawal_goes_to_a_person_for_the_deduction() -> None:
    decision = run(make_order(delivered=10), make_request(condition=Condition.USED))
    assert_closed(decision, Outcome.ESCALATE, "used_item_deduction")
    uk_order = make_order(delivered=10, country="GB", currency="GBP")
    decision = run(uk_order, make_request(condition=Condition.USED))
    assert_closed(decision, Outcome.ESCALATE, "used_item_deduction")


def test_used_item_outside_eu_withdrawal_is_denied() -> None:
    decision = run(make_order(delivered=20), make_request(condition=Condition.USED))
    assert_closed(decision, Outcome.DENY, "item_used")


def test_used_item_in_the_us_or_within_brazil_withdrawal_is_denied() -> None:
    decision = run(us_order(5), make_request(condition=Condition.USED))
    assert_closed(decision, Outcome.DENY, "item_used")
    request = make_request(items={"SHO-11": 1}, condition=Condition.USED)
    assert_closed(run(brazil_order(3), request), Outcome.DENY, "item_used")


def test_the_window_is_checked_before_the_condition() -> None:
    decision = run(make_order(delivered=40), make_request(condition=Condition.USED))
    assert_closed(decision, Outcome.DENY, "return_window_expired")


def test_a_size_fit_exchange_is_free_for_the_buyer() -> None:
    request = make_request(Reason.SIZE_FIT, resolution=Resolution.EXCHANGE)
    decision = run(make_order(delivered=20), request)
    assert_approved(
        decision,
        ("store_return_window", "free_exchange"),
        "0.00",
        "seller",
        Resolution.EXCHANGE,
    )
    assert decision.refund_by is None


def test_a_size_fit_exchange_is_paid_by_the_buyer_when_the_policy_says_so() -> None:
    policy = replace(DEFAULT_POLICY, free_exchange_size_fit=False)
    request = make_request(Reason.SIZE_FIT, resolution=Resolution.EXCHANGE)
    decision = run(make_order(delivered=20), request, policy=policy)
    assert_approved(decision, ("store_return_window",), "0.00", "buyer", Resolution.EXCHANGE)


def test_an_exchange_for_a_change_of_mind_falls_back_to_a_refund() -> None:
    request = make_request(Reason.CHANGED_MIND, resolution=Resolution.EXCHANGE)
    decision = run(make_order(delivered=20), request)
    assert_approved(decision, ("store_return_window", "resolution_not_offered"), "59.00", "buyer")


def test_a_replacement_for_a_buyer_reason_falls_back_to_a_refund() -> None:
    request = make_request(Reason.SIZE_FIT, resolution=Resolution.REPLACEMENT)
    decision = run(make_order(delivered=20), request)
    assert_approved(decision, ("store_return_window", "resolution_not_offered"), "59.00", "buyer")


def test_store_credit_pays_ten_percent_more_rounded_half_up() -> None:
    order = us_order(10, line("CAP-01", "12.35", 1, "apparel"))
    request = make_request(items={"CAP-01": 1}, resolution=Resolution.STORE_CREDIT)
    decision = run(order, request)
    # 12.35 x 1.10 = 13.585
    assert_approved(decision, ("store_return_window",), "13.59", "buyer", Resolution.STORE_CREDIT)


def test_withdrawal_can_be_exercised_before_delivery() -> None:
    order = make_order(delivered=None, tracking=in_transit(days_ago(100)))
    decision = run(order, make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("statutory_withdrawal",), "65.95", "buyer")


def test_an_undelivered_order_is_within_the_store_window() -> None:
    order = make_order(country="US", currency="USD", delivered=None)
    decision = run(order, make_request(Reason.CHANGED_MIND))
    assert_approved(decision, ("store_return_window",), "59.00", "buyer")


def test_a_buyer_reason_without_the_items_condition_cannot_be_decided() -> None:
    with pytest.raises(InvalidRequest, match="condition"):
        run(make_order(), make_request(condition=None))


def test_a_restocking_fee_applies_only_outside_statutory_withdrawal() -> None:
    policy = replace(DEFAULT_POLICY, restocking_fee_percent=Decimal("10"))
    outside = run(us_order(20), make_request(), policy=policy)
    assert_approved(outside, ("store_return_window", "restocking_fee"), "53.10", "buyer")
    within = run(make_order(delivered=10), make_request(), policy=policy)
    assert_approved(within, ("statutory_withdrawal",), "65.95", "buyer")


# --- money ------------------------------------------------------------------------


def test_several_items_are_valued_and_refunded_together() -> None:
    request = make_request(items={"MUG-01": 2, "JKT-07": 1})
    decision = run(make_order(delivered=3), request)
    assert decision.item_value == Decimal("84.00")
    assert_approved(decision, ("statutory_withdrawal",), "93.90", "buyer")


def test_a_shipping_share_is_rounded_half_up_to_the_cent() -> None:
    order = make_order(line("A", "10.00"), line("B", "10.00"), shipping="4.85", delivered=3)
    decision = run(order, make_request(Reason.DAMAGED, {"A": 1}))
    # 4.85 / 2 = 2.425 -> 2.43 (banker's rounding would give 2.42)
    assert_approved(decision, ("returnless",), "12.43", None)


def test_jpy_amounts_have_no_minor_unit() -> None:
    order = make_order(
        line("A", "1000", 1, "home"), line("B", "1000", 1, "home"),
        country="JP", currency="JPY", shipping="101",
    )  # fmt: skip
    decision = run(order, make_request(Reason.DAMAGED, {"A": 1}))
    # 101 / 2 = 50.5 -> 51 yen
    assert_approved(decision, ("returnless",), "1051", None)
    as_json = decision_to_dict(decision)
    assert (as_json["refund_total"], as_json["item_value"]) == ("1051", "1000")
    replacement = make_request(Reason.DAMAGED, {"A": 1}, resolution=Resolution.REPLACEMENT)
    assert decision_to_dict(run(order, replacement))["refund_total"] == "0"


def test_a_currency_without_a_usd_rate_is_an_operator_error() -> None:
    order = make_order(country="CH", currency="CHF")
    with pytest.raises(UnknownCurrency, match="CHF"):
        run(order, make_request(Reason.DAMAGED))


# --- time -------------------------------------------------------------------------


def test_now_may_be_a_datetime_whose_calendar_day_counts() -> None:
    late_evening = datetime.combine(NOW, datetime.max.time())
    by_date = run(make_order(delivered=14), make_request())
    by_datetime = run(make_order(delivered=14), make_request(), now=late_evening)
    assert by_datetime == by_date


def test_delivery_day_is_day_zero() -> None:
    decision = run(make_order(delivered=0), make_request(Reason.DAMAGED))
    assert decision.decision is Outcome.APPROVE


# --- the Decision JSON ------------------------------------------------------------


def test_decision_json_follows_the_contract() -> None:
    decision = run(make_order(delivered=10), make_request(Reason.DAMAGED))
    assert decision_to_dict(decision) == {
        "decision": "approve",
        "resolution": "refund",
        "return_required": True,
        "return_shipping_paid_by": "seller",
        "refund_total": "65.95",
        "currency": "EUR",
        "reasons": ["seller_fault"],
        "return_by": "2026-11-30",
        "refund_by": None,
        "come_back_after": None,
        "item_value": "59.00",
    }


def test_a_denial_as_json_has_nulls_for_what_does_not_apply() -> None:
    order = undelivered(last_update=days_ago(2), promised=days_ago(3))
    as_json = decision_to_dict(run(order, make_request(Reason.LATE_DELIVERY)))
    assert json.loads(json.dumps(as_json)) == {
        "decision": "deny",
        "resolution": None,
        "return_required": False,
        "return_shipping_paid_by": None,
        "refund_total": None,
        "currency": "EUR",
        "reasons": ["delivery_not_yet_late"],
        "return_by": None,
        "refund_by": None,
        "come_back_after": "2026-11-16",
        "item_value": "59.00",
    }
