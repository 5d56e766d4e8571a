"""The refund policy engine: ``decide(order, request, history, policy, now)``.

A pure function over frozen dataclasses (policy-spec.md, "Rules, in order;
the first that decides wins"). It never reads a clock, the environment or a
file: ``now`` and the policy are passed in, so every decision can be replayed
and tested. The request is decided as a whole: one excluded item (final sale,
hygiene, ...) decides for all the units asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from actions.domain.money import format_plain, round_money
from actions.domain.orders import Order, OrderItem, TrackingStatus
from actions.domain.policy import Policy
from actions.domain.requests import (
    BuyerHistory,
    Condition,
    Fault,
    InvalidRequest,
    Reason,
    Resolution,
    ReturnRequest,
    resolutions_offered,
)


class UnknownCurrency(ValueError):
    """The order's currency has no USD rate in the policy: the operator must add one."""

    def __init__(self, currency: str) -> None:
        super().__init__(
            f"no USD rate for currency {currency!r}: add it to usd_rates in the policy file"
        )
        self.currency = currency


class Outcome(str, Enum):
    APPROVE = "approve"
    DENY = "deny"
    ESCALATE = "escalate"


class Payer(str, Enum):
    """Who pays the return label (a ``str``: ``Payer.SELLER == "seller"``)."""

    SELLER = "seller"
    BUYER = "buyer"


class Code(str, Enum):
    """Reason codes of a decision; the assistant turns them into the explanation."""

    ITEM_NOT_IN_ORDER = "item_not_in_order"
    EXCEEDS_RETURNABLE_QUANTITY = "exceeds_returnable_quantity"
    HIGH_VALUE = "high_value"
    RETURN_FREQUENCY = "return_frequency"
    SPECIAL_CIRCUMSTANCES = "special_circumstances"
    DELIVERED_NOT_RECEIVED = "delivered_not_received"
    PARCEL_LOST = "parcel_lost"
    DELIVERY_LATE = "delivery_late"
    DELIVERY_NOT_YET_LATE = "delivery_not_yet_late"
    LEGAL_GUARANTEE_REVIEW = "legal_guarantee_review"
    CLAIM_WINDOW_EXPIRED = "claim_window_expired"
    RETURNLESS = "returnless"
    NON_RETURNABLE_CATEGORY = "non_returnable_category"
    HYGIENE_OPENED = "hygiene_opened"
    FINAL_SALE = "final_sale"
    RETURN_WINDOW_EXPIRED = "return_window_expired"
    USED_ITEM_DEDUCTION = "used_item_deduction"
    ITEM_USED = "item_used"
    # Approvals the spec lists without a code of their own.
    SELLER_FAULT = "seller_fault"
    MISSING_PARTS = "missing_parts"
    STATUTORY_WITHDRAWAL = "statutory_withdrawal"
    STORE_RETURN_WINDOW = "store_return_window"
    # Secondary codes: they follow the deciding one.
    FREE_EXCHANGE = "free_exchange"
    WITHDRAWAL_INFO_NOT_GIVEN = "withdrawal_info_not_given"
    RESOLUTION_NOT_OFFERED = "resolution_not_offered"
    RESTOCKING_FEE = "restocking_fee"


@dataclass(frozen=True)
class Decision:
    """What the engine decided, and everything the assistant needs to explain it.

    ``reasons`` holds code strings (``Code`` values), the deciding one first.
    ``refund_total`` is what the chosen resolution pays (None unless approved);
    ``item_value`` is always set so callers can show what was asked for.
    """

    decision: Outcome
    resolution: Resolution | None
    return_required: bool
    return_shipping_paid_by: Payer | None
    refund_total: Decimal | None
    currency: str
    reasons: tuple[str, ...]
    item_value: Decimal
    return_by: date | None = None
    refund_by: date | None = None
    come_back_after: date | None = None


def decide(
    order: Order,
    request: ReturnRequest,
    history: BuyerHistory,
    policy: Policy,
    now: datetime | date,
) -> Decision:
    """Apply the policy's rules in order; the first that decides wins.

    Raises:
        UnknownCurrency: the order's currency has no rate in ``policy.usd_rates``.
        InvalidRequest: a buyer reason reached a rule that needs the item's
            condition and the request has none.
    """
    case = _Case.build(order, request, history, policy, now)
    return _validate(case) or _manual_review(case) or _by_fault(case)


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The Decision JSON of contracts.md, plus the dates and the item value."""
    currency = decision.currency

    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "decision": decision.decision.value,
        "resolution": decision.resolution.value if decision.resolution else None,
        "return_required": decision.return_required,
        "return_shipping_paid_by": (
            decision.return_shipping_paid_by.value if decision.return_shipping_paid_by else None
        ),
        "refund_total": (
            None if decision.refund_total is None else format_plain(decision.refund_total, currency)
        ),
        "currency": currency,
        "reasons": list(decision.reasons),
        "return_by": iso(decision.return_by),
        "refund_by": iso(decision.refund_by),
        "come_back_after": iso(decision.come_back_after),
        "item_value": format_plain(decision.item_value, currency),
    }


# --- the facts every rule looks at --------------------------------------------


@dataclass(frozen=True)
class _Case:
    order: Order
    request: ReturnRequest
    history: BuyerHistory
    policy: Policy
    today: date
    market: str
    # Requested units that exist in the order, with their quantities.
    lines: tuple[tuple[OrderItem, int], ...]
    # unit_price x quantity over the requested units, unrounded (share() uses it).
    raw_item_value: Decimal
    # None when the order has not been delivered: every "within N days" holds.
    days_since_delivery: int | None

    @classmethod
    def build(
        cls,
        order: Order,
        request: ReturnRequest,
        history: BuyerHistory,
        policy: Policy,
        now: datetime | date,
    ) -> _Case:
        today = now.date() if isinstance(now, datetime) else now
        lines = tuple(
            (item, quantity)
            for sku, quantity in request.items.items()
            if (item := order.item(sku)) is not None
        )
        delivered_on = _delivery_date(order)
        return cls(
            order=order,
            request=request,
            history=history,
            policy=policy,
            today=today,
            market=policy.market_of(order.country),
            lines=lines,
            raw_item_value=sum((item.unit_price * qty for item, qty in lines), Decimal("0")),
            days_since_delivery=None if delivered_on is None else (today - delivered_on).days,
        )

    @property
    def currency(self) -> str:
        return self.order.currency

    @property
    def item_value(self) -> Decimal:
        return round_money(self.raw_item_value, self.currency)

    def within(self, days: int) -> bool:
        """``days_since_delivery <= days``; always true before delivery."""
        return self.days_since_delivery is None or self.days_since_delivery <= days

    def share(self, amount: Decimal) -> Decimal:
        """The part of an order-wide amount (shipping, duties) owed to the requested units."""
        order_value = self.order.total_value
        if not amount or not order_value:
            return round_money(Decimal("0"), self.currency)
        return round_money(amount * self.raw_item_value / order_value, self.currency)

    def full_refund(self) -> Decimal:
        """Item value plus its share of outbound shipping and duties (rules 3 and 4)."""
        order = self.order
        return self.item_value + self.share(order.shipping_cost) + self.share(order.duties_paid)

    def usd(self, amount: Decimal) -> Decimal:
        """``amount`` in USD, unrounded: thresholds compare the exact equivalent."""
        rate = self.policy.usd_rates.get(self.currency)
        if rate is None:
            raise UnknownCurrency(self.currency)
        return amount * rate

    def items_in(self, categories: Iterable[str]) -> bool:
        wanted = set(categories)
        return any(item.category in wanted for item, _ in self.lines)

    def condition(self) -> Condition:
        if self.request.condition is None:
            raise InvalidRequest(
                f"the item's condition is needed to decide a {self.request.reason.value} return"
            )
        return self.request.condition


def _delivery_date(order: Order) -> date | None:
    """``delivered_at``, else the tracking update that reported the delivery."""
    if order.delivered_at is not None:
        return order.delivered_at
    if order.tracking and order.tracking.status is TrackingStatus.DELIVERED:
        return order.tracking.last_update
    return None


def _is_delivered(order: Order) -> bool:
    return order.delivered_at is not None or bool(
        order.tracking and order.tracking.status is TrackingStatus.DELIVERED
    )


# --- decisions ------------------------------------------------------------------


def _deny(case: _Case, *codes: Code, come_back_after: date | None = None) -> Decision:
    return _closed(case, Outcome.DENY, codes, come_back_after)


def _escalate(case: _Case, *codes: Code) -> Decision:
    return _closed(case, Outcome.ESCALATE, codes, None)


def _closed(
    case: _Case, outcome: Outcome, codes: Iterable[Code], come_back_after: date | None
) -> Decision:
    return Decision(
        decision=outcome,
        resolution=None,
        return_required=False,
        return_shipping_paid_by=None,
        refund_total=None,
        currency=case.currency,
        reasons=tuple(code.value for code in codes),
        item_value=case.item_value,
        come_back_after=come_back_after,
    )


def _resolution(case: _Case) -> tuple[Resolution, tuple[Code, ...]]:
    """The requested resolution, or ``refund`` when the rule does not offer it."""
    wanted = case.request.resolution
    if wanted in resolutions_offered(case.request.reason):
        return wanted, ()
    return Resolution.REFUND, (Code.RESOLUTION_NOT_OFFERED,)


def _approve(
    case: _Case,
    codes: Iterable[Code],
    *,
    resolution: Resolution,
    refund_total: Decimal,
    paid_by: Payer | None,
) -> Decision:
    """An approval; ``paid_by`` None means the buyer keeps the item (no return)."""
    policy = case.policy
    if resolution is Resolution.STORE_CREDIT:
        pays = round_money(refund_total * (1 + policy.store_credit_bonus), case.currency)
    elif resolution is Resolution.REFUND:
        pays = round_money(refund_total, case.currency)
    else:  # a replacement or an exchange costs the buyer nothing and refunds nothing
        pays = round_money(Decimal("0"), case.currency)
    return_required = paid_by is not None
    pays_money = resolution in (Resolution.REFUND, Resolution.STORE_CREDIT)
    return Decision(
        decision=Outcome.APPROVE,
        resolution=resolution,
        return_required=return_required,
        return_shipping_paid_by=paid_by,
        refund_total=pays,
        currency=case.currency,
        reasons=tuple(code.value for code in codes),
        item_value=case.item_value,
        return_by=case.today + timedelta(days=policy.return_by_days) if return_required else None,
        refund_by=(
            case.today + timedelta(days=policy.refund_within_days)
            if pays_money and not return_required
            else None
        ),
    )


# --- the rules, in order -------------------------------------------------------


def _validate(case: _Case) -> Decision | None:
    """Rule 1: only units of this order that are not already being returned."""
    order, history = case.order, case.history
    if any(order.item(sku) is None for sku in case.request.items):
        return _deny(case, Code.ITEM_NOT_IN_ORDER)
    for item, quantity in case.lines:
        returnable = item.quantity - history.returned_units.get(item.sku, 0)
        if quantity > returnable:
            return _deny(case, Code.EXCEEDS_RETURNABLE_QUANTITY)
    return None


def _manual_review(case: _Case) -> Decision | None:
    """Rule 2: a person decides; every review code that applies is listed."""
    review = case.policy.manual_review
    codes = []
    if case.usd(case.item_value) >= review.item_value_usd:
        codes.append(Code.HIGH_VALUE)
    if case.history.returns_last_12_months >= review.returns_last_12_months:
        codes.append(Code.RETURN_FREQUENCY)
    if case.request.reason.fault is Fault.PERSON_DECIDES:
        codes.append(Code.SPECIAL_CIRCUMSTANCES)
    return _escalate(case, *codes) if codes else None


def _by_fault(case: _Case) -> Decision:
    fault = case.request.reason.fault
    if fault is Fault.DELIVERY:
        return _delivery(case)
    if fault is Fault.SELLER:
        return _seller_fault(case)
    if fault is Fault.BUYER:
        return _buyer_reason(case)
    return _escalate(case, Code.SPECIAL_CIRCUMSTANCES)  # unreachable: rule 2 took it


def _delivery(case: _Case) -> Decision:
    """Rule 3: a parcel that did not arrive: lost, late, or not yet late."""
    order, rules = case.order, case.policy.delivery
    if _is_delivered(order):
        return _escalate(case, Code.DELIVERED_NOT_RECEIVED)
    last_seen = (order.tracking.last_update if order.tracking else None) or order.shipped_at
    # The last day on which the parcel is still neither lost nor late.
    not_lost_until = last_seen + timedelta(days=rules.lost_after_days - 1) if last_seen else None
    not_late_until = (
        order.promised_delivery_by + timedelta(days=rules.late_grace_days)
        if order.promised_delivery_by
        else None
    )
    if not_lost_until is not None and case.today > not_lost_until:
        code = Code.PARCEL_LOST
    elif not_late_until is not None and case.today > not_late_until:
        code = Code.DELIVERY_LATE
    else:
        dates = [d for d in (not_lost_until, not_late_until) if d is not None]
        return _deny(
            case, Code.DELIVERY_NOT_YET_LATE, come_back_after=min(dates) if dates else None
        )
    resolution, extra = _resolution(case)
    total = case.full_refund()
    return _approve(case, (code, *extra), resolution=resolution, refund_total=total, paid_by=None)


def _seller_fault(case: _Case) -> Decision:
    """Rule 4: damaged, defective, wrong, incomplete or not as described."""
    rules = case.policy.seller_fault
    if not case.within(rules.claim_window_days):
        if case.market in rules.legal_guarantee_markets and case.within(rules.legal_guarantee_days):
            return _escalate(case, Code.LEGAL_GUARANTEE_REVIEW)
        return _deny(case, Code.CLAIM_WINDOW_EXPIRED)
    resolution, extra = _resolution(case)
    total = case.full_refund()
    if case.request.reason is Reason.MISSING_PARTS:
        code = Code.MISSING_PARTS  # the requested units are the missing ones: nothing to send
    elif _returnless(case):
        code = Code.RETURNLESS
    else:
        code = Code.SELLER_FAULT
    paid_by = Payer.SELLER if code is Code.SELLER_FAULT else None
    return _approve(
        case, (code, *extra), resolution=resolution, refund_total=total, paid_by=paid_by
    )


def _returnless(case: _Case) -> bool:
    """Cheaper to refund than to ship back, or too small to be worth a return."""
    rules = case.policy.returnless
    value_usd = case.usd(case.item_value)
    if value_usd <= rules.max_item_value_usd:
        return True
    estimate = case.policy.return_shipping_estimate_usd(case.market)
    return (
        rules.when_shipping_at_least_item_value and estimate is not None and estimate >= value_usd
    )


def _buyer_reason(case: _Case) -> Decision:
    """Rule 5: size or fit, changed mind: statutory withdrawal and the store's window."""
    order, policy, market = case.order, case.policy, case.market
    floor = policy.withdrawal_floor_days(market, informed=order.withdrawal_info_given)
    withdrawal = floor is not None and case.within(floor)
    uninformed = not order.withdrawal_info_given and market in policy.withdrawal.uninformed_markets
    notes = (Code.WITHDRAWAL_INFO_NOT_GIVEN,) if withdrawal and uninformed else ()

    if case.items_in(policy.categories.non_returnable):
        return _deny(case, Code.NON_RETURNABLE_CATEGORY)
    if case.items_in(policy.categories.hygiene) and case.condition() is not Condition.NEW_UNOPENED:
        return _deny(case, Code.HYGIENE_OPENED)
    if any(item.final_sale for item, _ in case.lines) and not withdrawal:
        return _deny(case, Code.FINAL_SALE)
    if not case.within(max(policy.return_window_days, floor or 0)):
        return _deny(case, Code.RETURN_WINDOW_EXPIRED)
    if case.condition() is Condition.USED:
        if withdrawal and market in policy.withdrawal.used_item_review_markets:
            return _escalate(case, Code.USED_ITEM_DEDUCTION, *notes)
        return _deny(case, Code.ITEM_USED)

    resolution, extra = _resolution(case)
    codes = [Code.STATUTORY_WITHDRAWAL if withdrawal else Code.STORE_RETURN_WINDOW, *notes]
    free_exchange = (
        resolution is Resolution.EXCHANGE
        and case.request.reason is Reason.SIZE_FIT
        and policy.free_exchange_size_fit
    )
    if free_exchange:
        codes.append(Code.FREE_EXCHANGE)
    seller_pays = (
        (withdrawal and market in policy.withdrawal.seller_pays_return_markets)
        or uninformed
        or free_exchange
    )

    total = case.item_value
    if withdrawal and market in policy.withdrawal.refund_outbound_shipping_markets:
        total += case.share(order.shipping_cost)
    if (
        not withdrawal
        and policy.restocking_fee_percent
        and resolution in (Resolution.REFUND, Resolution.STORE_CREDIT)
    ):
        total -= round_money(case.item_value * policy.restocking_fee_percent / 100, case.currency)
        codes.append(Code.RESTOCKING_FEE)
    return _approve(
        case,
        (*codes, *extra),
        resolution=resolution,
        refund_total=total,
        paid_by=Payer.SELLER if seller_pays else Payer.BUYER,
    )
