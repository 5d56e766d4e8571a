"""What the assistant says about a return: the summary and the decision.

Responses live in domain.yml (one per language next to each other); this
module only picks which ones to send and formats their variables in the
buyer's locale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from babel.lists import format_list
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.flow import ALL_ITEMS, FormState, Say
from actions.domain.engine import Decision, Outcome
from actions.domain.orders import Order
from actions.domain.policy import Policy
from actions.domain.returns import ReturnRecord
from actions.language.formatting import day, locale_for, money
from actions.language.labels import label


def inform_payload(entity: str, value: str) -> str:
    """A button payload that sets ``entity`` without NLU: ``/inform{"resolution": "refund"}``."""
    return "/inform" + json.dumps({entity: value})


def bonus_text(policy: Policy) -> str:
    """The store-credit bonus as buyers read it: ``10%``."""
    return f"{policy.store_credit_bonus * 100:.0f}%"


def say_all(dispatcher: CollectingDispatcher, said: Iterable[Say]) -> None:
    for item in said:
        dispatcher.utter_message(response=item.response, **dict(item.variables))


def items_text(items: dict[str, int] | Any, order: Order, language: str) -> str:
    """``2 × Ceramic mug and Jacket``, listed the buyer's way (``und``, ``和``)."""
    parts = []
    for sku, quantity in dict(items).items():
        item = order.item(sku)
        name = item.name if item else sku
        parts.append(name if quantity == 1 else f"{quantity} × {name}")
    return format_list(parts, locale=locale_for(language)) if parts else ""


def requested_units(state: FormState, order: Order, free: dict[str, int]) -> dict[str, int]:
    """The units the form describes: one item and a count, or the whole parcel."""
    if state.return_item == ALL_ITEMS:
        return {sku: count for sku, count in free.items() if count > 0}
    if state.return_item and state.return_quantity:
        return {state.return_item: int(state.return_quantity)}
    return {}


def summary_variables(
    state: FormState, order: Order, language: str, policy: Policy
) -> dict[str, Any]:
    if state.return_item == ALL_ITEMS:
        items = label("summary", "whole_parcel", language)
    elif state.return_item:
        items = items_text({state.return_item: state.return_quantity or 1}, order, language)
    else:
        items = ""
    condition_line = (
        label("summary", "condition_line", language,
              condition=label("condition", state.item_condition, language))
        if state.item_condition
        else ""
    )  # fmt: skip
    return {
        "order_id": order.order_id,
        "items": items,
        "reason": label("reason", state.return_reason or "other", language),
        "condition_line": condition_line,
        "resolution": label(
            "resolution", state.resolution or "refund", language, bonus=bonus_text(policy)
        ),
    }


def explain_decision(
    decision: Decision,
    record: ReturnRecord,
    order: Order,
    policy: Policy,
    language: str,
    reply_hours: int,
) -> list[Say]:
    """The decision, why, and what happens next, as responses to send in order."""
    rma = record.rma
    said: list[Say] = []
    if decision.decision is Outcome.DENY:
        said.append(Say("utter_return_denied", {"rma": rma}))
        said += _why(decision.reasons[:1], decision, order, policy, language)
        return said
    if decision.decision is Outcome.ESCALATE:
        said.append(Say("utter_return_escalated", {"rma": rma, "hours": reply_hours}))
        said += _why(decision.reasons[:1], decision, order, policy, language)
        return said

    said.append(Say("utter_return_approved", {"rma": rma}))
    said += _why(decision.reasons, decision, order, policy, language)
    if decision.return_required:
        assert decision.return_by is not None
        said.append(
            Say(
                "utter_return_send_back",
                {"rma": rma, "return_by": day(decision.return_by, language, order.country)},
            )
        )
        payer = (
            decision.return_shipping_paid_by.value if decision.return_shipping_paid_by else "buyer"
        )
        said.append(Say(f"utter_label_{payer}", {"email": order.email}))
    said.append(_payout(decision, policy, language, order.country))
    return said


# (resolution, whether a parcel comes back first) -> what the buyer is told.
PAYOUT_RESPONSES = {
    ("refund", True): "utter_refund_after_return",
    ("refund", False): "utter_refund_now",
    ("store_credit", True): "utter_credit_after_return",
    ("store_credit", False): "utter_credit_now",
    ("replacement", True): "utter_replacement_after_return",
    ("replacement", False): "utter_replacement_now",
    ("exchange", True): "utter_exchange_after_return",
    ("exchange", False): "utter_exchange_after_return",
}


def _payout(decision: Decision, policy: Policy, language: str, country: str) -> Say:
    resolution = decision.resolution.value if decision.resolution else "refund"
    variables: dict[str, Any] = {
        "amount": money(
            decision.refund_total or Decimal(0), decision.currency, language, country
        ),
        "days": policy.refund_within_days,
        "refund_by": day(decision.refund_by, language, country) if decision.refund_by else "",
        "bonus": bonus_text(policy),
    }
    return Say(PAYOUT_RESPONSES[(resolution, decision.return_required)], variables)


# Reason codes that have their own explanation; unknown codes are skipped.
EXPLAINED_CODES = frozenset({
    "seller_fault", "missing_parts", "returnless", "parcel_lost", "delivery_late",
    "statutory_withdrawal", "store_return_window", "withdrawal_info_not_given", "free_exchange",
    "resolution_not_offered", "item_not_in_order", "exceeds_returnable_quantity",
    "claim_window_expired", "non_returnable_category", "hygiene_opened", "final_sale",
    "return_window_expired", "item_used", "delivery_not_yet_late", "delivered_not_received",
    "high_value", "return_frequency", "special_circumstances", "legal_guarantee_review",
    "used_item_deduction",
})  # fmt: skip


def _why(
    codes: Iterable[str], decision: Decision, order: Order, policy: Policy, language: str
) -> list[Say]:
    market = policy.market_of(order.country)
    floor = policy.withdrawal_floor_days(market, informed=order.withdrawal_info_given) or 0
    window = max(policy.return_window_days, floor)
    variables_by_code: dict[str, dict[str, Any]] = {
        "store_return_window": {"days": policy.return_window_days},
        "return_window_expired": {"days": window},
        "claim_window_expired": {"days": policy.seller_fault.claim_window_days},
        "delivery_not_yet_late": {
            "date": (
                day(decision.come_back_after, language, order.country)
                if decision.come_back_after
                else ""
            )
        },
    }
    return [
        Say(f"utter_why_{code}", variables_by_code.get(code, {}))
        for code in codes
        if code in EXPLAINED_CODES
    ]
