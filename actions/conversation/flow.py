"""The return form's logic, free of Rasa: one buyer turn in, slot updates out.

``advance`` takes what the form knows so far and what the buyer just said,
fills every slot the message answers (several answers in one message, in
any order), verifies the order as soon as id and email are both known,
handles corrections, and names the next slot to ask for. The Rasa action
(``actions.conversation.return_form``) only translates to and from slots.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from actions.domain.orders import (
    Order,
    OrderItem,
    is_valid_email,
    is_valid_order_id,
    normalise_order_id,
)
from actions.domain.requests import (
    Fault,
    Reason,
    Resolution,
    condition_matters,
    resolutions_offered,
)
from actions.language.text_match import (
    Lexicon,
    match_condition,
    match_quantity,
    match_reason,
    match_resolution,
    normalise_text,
)
from actions.service.errors import (
    MalformedEmail,
    MalformedOrderId,
    OrderLookupUnavailable,
    OrderNotVerified,
)

MAX_VERIFICATION_FAILURES = 5
ALL_ITEMS = "*"  # return_item value for delivery problems: the whole parcel

# Turns that can never answer a form's question: not text (a sticker), not
# the buyer's words (a push), or a person is needed (an upset buyer).
NOT_ANSWERS = frozenset({"unsupported_content", "EXTERNAL_return_status_changed", "buyer_upset"})
# Intents that leave the form for a moment (rules answer them) unless the
# message also answers something the form asked.
DIGRESSIONS = NOT_ANSWERS | frozenset(
    {"ask_policy", "request_human", "cancel", "bot_challenge", "out_of_scope", "check_status",
     "goodbye", "switch_language", "unsupported_language"}
)  # fmt: skip

SLOT_ORDER = (
    "order_id",
    "email",
    "return_reason",
    "return_item",
    "return_quantity",
    "item_condition",
    "resolution",
    "return_confirmed",
)


@dataclass(frozen=True)
class FormState:
    order_id: str | None = None
    email: str | None = None
    order_verified: bool = False
    verification_failures: int = 0
    verification_locked: bool = False
    return_reason: str | None = None
    return_item: str | None = None
    return_quantity: int | None = None
    item_condition: str | None = None
    resolution: str | None = None
    return_confirmed: bool | None = None
    requested_slot: str | None = None
    stopped: bool = False  # nothing left to return in this order: the form ends


@dataclass(frozen=True)
class Turn:
    """What the buyer just said, as NLU saw it."""

    text: str
    intent: str | None
    entities: Mapping[str, list[str]] = field(default_factory=dict)

    def entity(self, name: str) -> str | None:
        values = self.entities.get(name) or []
        return str(values[-1]) if values else None


@dataclass(frozen=True)
class Say:
    """A response to send: a domain response name and its variables."""

    response: str
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    state: FormState
    said: list[Say]
    digression: bool = False  # nothing answered: let the rules handle the intent

    @property
    def next_slot(self) -> str | None:
        return next_slot(self.state)


Verifier = Callable[[str, str], Order]
Returnable = Callable[[Order], Mapping[str, int]]


def needed_slots(state: FormState) -> list[str]:
    """The form's slots for this return: condition only for buyer reasons, etc."""
    slots = ["order_id", "email", "return_reason"]
    reason = _reason(state.return_reason)
    if reason is None or reason.fault is not Fault.DELIVERY:
        slots += ["return_item", "return_quantity"]
    if reason is not None and condition_matters(reason):
        slots.append("item_condition")
    if reason is None or len(resolutions_offered(reason)) > 1:
        slots.append("resolution")
    slots.append("return_confirmed")
    return slots


def next_slot(state: FormState) -> str | None:
    if state.verification_locked or state.stopped:
        return None
    for slot in needed_slots(state):
        if getattr(state, slot) is None:
            return slot
    return None


def advance(
    state: FormState,
    turn: Turn,
    verify: Verifier,
    returnable: Returnable,
    lexicon: Lexicon,
    earlier_texts: tuple[str, ...] = (),
) -> Step:
    """Apply one buyer message to the form.

    ``earlier_texts`` are the buyer's messages before this one in the same
    request, so an item named before the order was verified ("the mug from
    order 100482") is found once it is.
    """
    if state.verification_locked:
        return Step(state, [])
    said: list[Say] = []
    before = state
    asked = state.requested_slot

    state = _take_identity(state, turn, asked, said)
    state = _take_reason(state, turn, asked, lexicon, said)
    state = _take_condition(state, turn, asked, lexicon, said)
    state = _take_resolution(state, turn, asked, lexicon, said)

    if turn.intent in DIGRESSIONS and not _answered(before, state, asked):
        return Step(before, [], digression=True)

    order: Order | None = None
    if state.order_id and state.email and (not state.order_verified or state != before):
        same_order = _same_order(before.order_id or "", state.order_id)
        tried = state.order_id or ""
        state, order = _verify(state, verify, said, already=before.order_verified and same_order)
        if state.verification_locked:
            return Step(state, said)
        if order is None and before.order_verified:
            state, order = _keep_proven_order(before, state, tried, verify, said)
    elif state.order_verified and state.order_id and state.email:
        order = _lookup_quietly(state, verify)

    if order is not None:
        state = _fill_delivery_items(state)
        item_before = state.return_item
        state = _take_item(state, turn, asked, order, returnable, earlier_texts, said)
        item_changed = state.return_item != item_before
        state = _take_quantity(state, turn, asked, order, returnable, lexicon, said, item_changed)

    state = _take_confirmation(state, turn, asked, before, said)
    state = _check_resolution_offered(state, said)
    return Step(state, said)


def _answered(before: FormState, after: FormState, asked: str | None) -> bool:
    """Did a message whose intent is a digression also answer the form?

    Only a new order id or email, or the slot being asked, counts: a policy
    question that mentions "refund" is a question, not a chosen resolution.
    """
    keys = {"order_id", "email"} | ({asked} if asked else set())
    return any(getattr(before, key) != getattr(after, key) for key in keys)


# --- identity and verification --------------------------------------------------


def _take_identity(state: FormState, turn: Turn, asked: str | None, said: list[Say]) -> FormState:
    order_id = turn.entity("order_id")
    free_text_answer = (
        asked == "order_id"
        and turn.text.strip()
        and turn.entity("email") is None
        and turn.intent not in DIGRESSIONS
    )
    if order_id is None and free_text_answer:
        candidate = turn.text.strip()
        if len(candidate.split()) == 1 and is_valid_order_id(candidate):
            order_id = candidate
        else:
            said.append(Say("utter_invalid_order_id"))
    if order_id is not None and not is_valid_order_id(order_id):
        said.append(Say("utter_invalid_order_id"))
        order_id = None
    if order_id is not None and not _same_order(state.order_id or "", order_id):
        state = replace(
            state,
            order_id=order_id.strip().lstrip("#").strip(),
            order_verified=False,
            return_item=None,
            return_quantity=None,
            return_confirmed=None,
        )

    email = turn.entity("email")
    if email is None and asked == "email" and turn.text.strip():
        if is_valid_email(turn.text):
            email = turn.text.strip()
        else:
            said.append(Say("utter_invalid_email"))
            return replace(state, email=None)
    if email is not None and email.strip().lower() != (state.email or "").lower():
        state = replace(state, email=email.strip(), order_verified=False, return_confirmed=None)
    return state


def _same_order(current: str, new: str | None) -> bool:
    try:
        return new is not None and normalise_order_id(current) == normalise_order_id(new)
    except ValueError:
        return False


def _verify(
    state: FormState, verify: Verifier, said: list[Say], *, already: bool
) -> tuple[FormState, Order | None]:
    assert state.order_id is not None and state.email is not None
    try:
        order = verify(state.order_id, state.email)
    except MalformedOrderId:
        said.append(Say("utter_invalid_order_id"))
        return replace(state, order_id=None, order_verified=False), None
    except MalformedEmail:
        said.append(Say("utter_invalid_email"))
        return replace(state, email=None, order_verified=False), None
    except OrderLookupUnavailable:
        said.append(Say("utter_order_lookup_unavailable"))
        return replace(state, order_verified=False, email=None), None
    except OrderNotVerified:
        failures = state.verification_failures + 1
        locked = failures >= MAX_VERIFICATION_FAILURES
        if locked:
            said.append(Say("utter_verification_locked"))
        else:
            remaining = MAX_VERIFICATION_FAILURES - failures
            said.append(Say("utter_order_not_verified", {"remaining": remaining}))
        forgotten = replace(
            state,
            order_id=None,
            email=None,
            order_verified=False,
            verification_failures=failures,
            verification_locked=locked,
        )
        return forgotten, None
    if not already:
        said.append(
            Say(
                "utter_order_verified",
                {"order_id": order.order_id, "placed_at": order.placed_at.isoformat()},
            )
        )
    return replace(state, order_id=order.order_id, order_verified=True), order


def _keep_proven_order(
    before: FormState, failed: FormState, tried: str, verify: Verifier, said: list[Say]
) -> tuple[FormState, Order | None]:
    """A switch to another order that fails keeps the order already proven.

    Product codes look like order ids ("my WH-1000XM4 stopped working"); such
    a message must not undo the buyer's verification. The attempt still
    counts towards the lock, so guessing other orders stays bounded.
    """
    said[:] = [s for s in said if s.response != "utter_order_not_verified"]
    said.append(Say("utter_kept_current_order", {"tried": tried, "order_id": before.order_id}))
    kept = replace(
        failed,
        order_id=before.order_id,
        email=before.email,
        order_verified=True,
        return_item=before.return_item,
        return_quantity=before.return_quantity,
    )
    return kept, _lookup_quietly(kept, verify)


def _lookup_quietly(state: FormState, verify: Verifier) -> Order | None:
    assert state.order_id is not None and state.email is not None
    try:
        return verify(state.order_id, state.email)
    except (MalformedOrderId, MalformedEmail, OrderNotVerified, OrderLookupUnavailable):
        return None


# --- what is wrong, and what the buyer wants --------------------------------------------


def _reason(value: str | None) -> Reason | None:
    try:
        return Reason(value) if value else None
    except ValueError:
        return None


def _take_reason(
    state: FormState, turn: Turn, asked: str | None, lexicon: Lexicon, said: list[Say]
) -> FormState:
    reason = _reason(turn.entity("return_reason")) or _reason(match_reason(turn.text, lexicon))
    if reason is None and state.return_reason is None and turn.intent == "report_delivery_problem":
        reason = Reason.NOT_RECEIVED
    if reason is None:
        if asked == "return_reason":
            said.append(Say("utter_reason_not_understood"))
        return state
    if reason.value == state.return_reason:
        return state
    previous = _reason(state.return_reason)
    changes: dict[str, Any] = {"return_reason": reason.value, "return_confirmed": None}
    if (
        previous is not None
        and previous.fault is Fault.DELIVERY
        and reason.fault is not Fault.DELIVERY
    ):
        changes.update(return_item=None, return_quantity=None)
    if not condition_matters(reason):
        changes["item_condition"] = None
    return replace(state, **changes)


def _take_condition(
    state: FormState, turn: Turn, asked: str | None, lexicon: Lexicon, said: list[Say]
) -> FormState:
    condition = turn.entity("item_condition")
    if condition is None and asked == "item_condition":
        condition = match_condition(turn.text, lexicon)
        if condition is None:
            said.append(Say("utter_condition_not_understood"))
            return state
    if condition is None or condition == state.item_condition:
        return state
    return replace(state, item_condition=condition, return_confirmed=None)


def _take_resolution(
    state: FormState, turn: Turn, asked: str | None, lexicon: Lexicon, said: list[Say]
) -> FormState:
    resolution = turn.entity("resolution") or match_resolution(turn.text, lexicon)
    if resolution is None:
        if asked == "resolution":
            said.append(Say("utter_resolution_not_understood"))
        return state
    if resolution == state.resolution:
        return state
    return replace(state, resolution=resolution, return_confirmed=None)


def _check_resolution_offered(state: FormState, said: list[Say]) -> FormState:
    """Drop a resolution the reason does not offer, and say so; one offer = no question."""
    reason = _reason(state.return_reason)
    if reason is None:
        return state
    offered = [r.value for r in resolutions_offered(reason)]
    if len(offered) == 1 and state.resolution is None:
        return replace(state, resolution=offered[0])
    if state.resolution is not None and state.resolution not in offered:
        said.append(Say("utter_resolution_not_offered", {"resolution": state.resolution}))
        return replace(state, resolution=None, return_confirmed=None)
    return state


# --- items and quantities -------------------------------------------------------------


def _fill_delivery_items(state: FormState) -> FormState:
    reason = _reason(state.return_reason)
    if reason is not None and reason.fault is Fault.DELIVERY and state.return_item != ALL_ITEMS:
        return replace(state, return_item=ALL_ITEMS, return_quantity=None)
    return state


def item_words(item: OrderItem) -> set[str]:
    words = {w.rstrip("s") for w in normalise_text(item.name).split() if len(w) >= 3}
    return words | {normalise_text(item.sku)}


def match_item(texts: tuple[str, ...], items: tuple[OrderItem, ...]) -> OrderItem | None:
    """The one item named in ``texts`` (latest message first); None if none or ambiguous."""
    for text in texts:
        normalised = normalise_text(text)
        words = {w.rstrip("s") for w in normalised.split()} | {normalised}
        scored = sorted(
            ((len(item_words(item) & words), item) for item in items),
            key=lambda pair: pair[0],
            reverse=True,
        )
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
    return None


def _take_item(
    state: FormState,
    turn: Turn,
    asked: str | None,
    order: Order,
    returnable: Returnable,
    earlier_texts: tuple[str, ...],
    said: list[Say],
) -> FormState:
    if state.return_item == ALL_ITEMS:
        return state
    free = returnable(order)
    candidates = tuple(item for item in order.items if free.get(item.sku, 0) > 0)
    if not candidates:
        said.append(Say("utter_nothing_returnable", {"order_id": order.order_id}))
        return replace(state, stopped=True, return_item=None)
    chosen: OrderItem | None = None
    sku = turn.entity("return_item")
    if sku:
        chosen = order.item(sku)
    if chosen is None:
        named = tuple(t for t in (turn.entity("item"), turn.text) if t)
        chosen = match_item(named, order.items)
    if chosen is None and state.return_item is None:
        chosen = match_item(tuple(reversed(earlier_texts)), order.items)
    if chosen is None and state.return_item is None and len(candidates) == 1:
        chosen = candidates[0]
    if chosen is None:
        if asked == "return_item" and state.return_item is None:
            said.append(Say("utter_item_not_understood"))
        return state
    if free.get(chosen.sku, 0) == 0:
        said.append(Say("utter_item_already_returned", {"item": chosen.name}))
        return replace(state, return_item=None, return_quantity=None)
    if chosen.sku != state.return_item:
        state = replace(state, return_item=chosen.sku, return_quantity=None, return_confirmed=None)
    return state


def _take_quantity(
    state: FormState,
    turn: Turn,
    asked: str | None,
    order: Order,
    returnable: Returnable,
    lexicon: Lexicon,
    said: list[Say],
    item_changed: bool = False,
) -> FormState:
    if state.return_item is None or state.return_item == ALL_ITEMS:
        return state
    item = order.item(state.return_item)
    if item is None:
        return replace(state, return_item=None, return_quantity=None)
    available = returnable(order).get(item.sku, 0)
    quantity: int | None = None
    raw = turn.entity("quantity")
    if raw is not None:
        quantity = _as_count(raw, lexicon, available)
    if quantity is None and asked == "return_quantity" and not item_changed:
        quantity = match_quantity(turn.text, lexicon, available)
        if quantity is None:
            said.append(Say("utter_quantity_not_understood", {"max": available}))
            return state
    if quantity is None:
        if state.return_quantity is None and available == 1:
            return replace(state, return_quantity=1)
        return state
    if not 1 <= quantity <= available:
        said.append(
            Say(
                "utter_invalid_quantity",
                {"max": available, "item": item.name, "ordered": item.quantity},
            )
        )
        return replace(state, return_quantity=None, return_confirmed=None)
    if quantity != state.return_quantity:
        state = replace(state, return_quantity=quantity, return_confirmed=None)
    return state


def _as_count(raw: str, lexicon: Lexicon, available: int) -> int | None:
    text = str(raw).strip()
    if re.fullmatch(r"-?\d+(?:\.0+)?", text):
        return int(float(text))
    return match_quantity(text, lexicon, available)


# --- confirmation ---------------------------------------------------------------------


def _take_confirmation(
    state: FormState, turn: Turn, asked: str | None, before: FormState, said: list[Say]
) -> FormState:
    if asked != "return_confirmed":
        return state
    if _changed_details(before, state):
        return replace(state, return_confirmed=None)  # show the summary again
    if turn.intent == "affirm" or turn.entity("return_confirmed") == "yes":
        return replace(state, return_confirmed=True)
    if turn.intent == "deny" or turn.entity("return_confirmed") == "no":
        said.append(Say("utter_what_to_change"))
        return replace(state, return_confirmed=None)
    said.append(Say("utter_confirm_yes_or_no"))
    return state


def _changed_details(before: FormState, after: FormState) -> bool:
    keys = ("order_id", "email", "return_reason", "return_item", "return_quantity",
            "item_condition", "resolution")  # fmt: skip
    return any(getattr(before, k) != getattr(after, k) for k in keys)


def offered_resolutions(state: FormState) -> tuple[Resolution, ...]:
    reason = _reason(state.return_reason)
    return resolutions_offered(reason) if reason else tuple(Resolution)
