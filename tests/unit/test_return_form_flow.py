"""The return form's logic (``flow.advance``): one buyer message in, slots and replies out.

Orders are the real sample orders (tests/data/sample_orders.json) plus a
second order of Jane's; ``verify`` is a small stand-in for the returns desk
that answers like it does (malformed id, unknown order or wrong email).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from actions.conversation.flow import (
    ALL_ITEMS,
    MAX_VERIFICATION_FAILURES,
    FormState,
    Say,
    Step,
    Turn,
    advance,
    needed_slots,
)
from actions.domain.orders import Order, normalise_order_id, parse_order
from actions.language.text_match import load_lexicon
from actions.service.errors import MalformedOrderId, OrderNotVerified

DATA = Path(__file__).resolve().parents[1] / "data"
RECORDS: list[dict[str, Any]] = json.loads((DATA / "sample_orders.json").read_text("utf-8"))
JANE = "jane.doe@example.com"
MARIA = "m.silva@example.com.br"
LEXICON = load_lexicon("en")


def _janes_second_order() -> Order:
    record = copy.deepcopy(RECORDS[0])
    record.update(order_id="200777", placed_at="2026-10-05")
    record["items"] = [
        {"sku": "LMP-02", "name": "Desk lamp", "category": "home", "unit_price": "30.00",
         "quantity": 1},
        {"sku": "NTB-01", "name": "Notebook", "category": "office", "unit_price": "4.00",
         "quantity": 3},
    ]  # fmt: skip
    return parse_order(record)


ORDERS = {o.key: o for o in [*map(parse_order, RECORDS), _janes_second_order()]}


class Desk:
    """Answers ``verify`` like ReturnsDesk.verify_order; counts lookups."""

    def __init__(self, held: Mapping[str, int] | None = None) -> None:
        self.lookups: list[tuple[str, str]] = []
        self.held = dict(held or {})

    def verify(self, order_id: str, email: str) -> Order:
        try:
            key = normalise_order_id(order_id)
        except ValueError as error:
            raise MalformedOrderId(str(error)) from None
        self.lookups.append((key, email))
        order = ORDERS.get(key)
        if order is None or not order.belongs_to(email):
            raise OrderNotVerified(key)
        return order

    def returnable(self, order: Order) -> dict[str, int]:
        return {i.sku: max(i.quantity - self.held.get(i.sku, 0), 0) for i in order.items}


def say(
    state: FormState,
    text: str,
    intent: str | None = "inform",
    desk: Desk | None = None,
    earlier: tuple[str, ...] = (),
    **entities: str,
) -> Step:
    """The buyer says ``text`` while the form asks for ``state.requested_slot``."""
    desk = desk or Desk()
    turn = Turn(text, intent, {name: [value] for name, value in entities.items()})
    return advance(state, turn, desk.verify, desk.returnable, LEXICON, earlier)


def asking(step: Step) -> FormState:
    """The state the next message meets: the form asked for the next slot."""
    return replace(step.state, requested_slot=step.next_slot)


def responses(step: Step) -> list[str]:
    return [s.response for s in step.said]


VERIFIED_MUG = FormState(
    order_id="100482", email=JANE, order_verified=True, return_reason="damaged",
    return_item="MUG-01",
)  # fmt: skip


# --- several answers at once, and verification ------------------------------------------------


def test_several_answers_in_one_message_then_the_email_verify_and_find_the_item() -> None:
    desk = Desk()
    first_text = "return the mug from order 100482, it arrived broken"
    first = say(FormState(), first_text, "request_return", desk, order_id="100482")

    assert first.state.order_id == "100482"
    assert first.state.return_reason == "damaged"
    assert first.state.order_verified is False
    assert first.said == []
    assert first.next_slot == "email"
    assert desk.lookups == []  # nothing looked up before both id and email are known

    second = say(asking(first), JANE, "inform", desk, earlier=(first_text,), email=JANE)

    assert second.said == [
        Say("utter_order_verified", {"order_id": "100482", "placed_at": "2026-10-01"})
    ]
    assert second.state.order_verified is True
    assert second.state.email == JANE
    assert second.state.return_item == "MUG-01"  # named before verification
    assert second.state.return_reason == "damaged"
    assert second.next_slot == "return_quantity"  # two mugs were ordered


def test_the_email_typed_without_an_entity_is_taken_when_asked_for() -> None:
    step = say(FormState(order_id="100482", requested_slot="email"), f"  {JANE} ")

    assert step.state.email == JANE
    assert step.state.order_verified is True


def test_a_verified_order_is_not_announced_again_on_later_turns() -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), "1")

    assert "utter_order_verified" not in responses(step)
    assert step.state.return_quantity == 1


def test_correcting_the_order_id_resets_verification_and_the_item() -> None:
    state = replace(VERIFIED_MUG, return_quantity=1, resolution="refund",
                    requested_slot="return_confirmed")  # fmt: skip

    step = say(state, "sorry, wrong order: it is 200777", order_id="200777")

    assert step.state.order_id == "200777"
    assert step.state.order_verified is True
    assert step.state.return_item is None
    assert step.state.return_quantity is None
    assert step.state.return_confirmed is None
    assert step.state.return_reason == "damaged"  # what went wrong still holds
    assert step.next_slot == "return_item"


def test_a_corrected_order_id_is_announced_when_verified() -> None:
    state = replace(VERIFIED_MUG, return_quantity=1, resolution="refund",
                    requested_slot="return_confirmed")  # fmt: skip

    step = say(state, "sorry, wrong order: it is 200777", order_id="200777")

    assert step.said == [
        Say("utter_order_verified", {"order_id": "200777", "placed_at": "2026-10-05"})
    ]


def test_the_same_order_id_written_differently_is_not_a_correction() -> None:
    state = replace(VERIFIED_MUG, return_quantity=1, requested_slot="resolution")

    step = say(state, "order #100482, refund please", order_id="#100482")

    assert step.state.order_id == "100482"
    assert step.state.return_item == "MUG-01"
    assert step.state.return_quantity == 1
    assert step.state.resolution == "refund"
    assert "utter_order_verified" not in responses(step)


def test_a_wrong_email_counts_a_failure_and_says_how_many_attempts_remain() -> None:
    step = say(FormState(order_id="100482", requested_slot="email"), MARIA, email=MARIA)

    assert step.said == [Say("utter_order_not_verified", {"remaining": 4})]
    assert step.state.verification_failures == 1
    assert step.state.order_verified is False
    assert (step.state.order_id, step.state.email) == (None, None)
    assert step.next_slot == "order_id"


def test_an_unknown_order_is_answered_exactly_like_a_wrong_email() -> None:
    unknown = say(FormState(order_id="999999", requested_slot="email"), JANE, email=JANE)
    wrong = say(FormState(order_id="100482", requested_slot="email"), MARIA, email=MARIA)

    assert unknown.said == wrong.said


def test_the_fifth_failed_verification_locks_the_form() -> None:
    desk = Desk()
    state = FormState(requested_slot="order_id")
    remaining = []
    for _ in range(MAX_VERIFICATION_FAILURES):
        state = asking(say(state, "100482", desk=desk, order_id="100482"))
        step = say(state, MARIA, desk=desk, email=MARIA)
        remaining += [s.variables.get("remaining") for s in step.said]
        state = asking(step)

    assert remaining == [4, 3, 2, 1, None]
    assert step.said[-1] == Say("utter_verification_locked")
    assert state.verification_locked is True
    assert state.verification_failures == 5
    assert step.next_slot is None

    lookups = len(desk.lookups)
    after = say(state, "100482 jane.doe@example.com", desk=desk, order_id="100482", email=JANE)
    assert after.said == []
    assert after.state == state
    assert len(desk.lookups) == lookups  # a locked form looks nothing up, even the right pair


@pytest.mark.parametrize("text", ["hello world!!", "hello!!", "100482; DROP TABLE orders"])
def test_text_that_cannot_be_an_order_id_is_refused_without_a_lookup(text: str) -> None:
    desk = Desk()

    step = say(FormState(email=JANE, requested_slot="order_id"), text, desk=desk)

    assert responses(step) == ["utter_invalid_order_id"]
    assert step.state.order_id is None
    assert step.next_slot == "order_id"
    assert desk.lookups == []


def test_an_invalid_email_is_refused_and_asked_again() -> None:
    desk = Desk()

    step = say(FormState(order_id="100482", requested_slot="email"), "jane at example dot com",
               desk=desk)  # fmt: skip

    assert responses(step) == ["utter_invalid_email"]
    assert step.state.email is None
    assert step.next_slot == "email"
    assert desk.lookups == []


def test_an_email_given_while_the_order_id_is_asked_is_kept() -> None:
    step = say(FormState(requested_slot="order_id"), JANE, email=JANE)

    assert step.state.email == JANE
    assert "utter_invalid_order_id" not in responses(step)
    assert step.next_slot == "order_id"


@pytest.mark.parametrize(("text", "intent"), [("cancel", "cancel"), ("human", "request_human")])
def test_a_one_word_digression_at_the_order_id_prompt_is_a_digression(
    text: str, intent: str
) -> None:
    step = say(FormState(return_reason="damaged", requested_slot="order_id"), text, intent)

    assert step.digression is True
    assert step.state.order_id is None


# --- items and quantities ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0", "3", "5 please"])
def test_a_quantity_out_of_range_is_refused_with_the_maximum(text: str) -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), text)

    assert step.said == [
        Say("utter_invalid_quantity", {"max": 2, "item": "Ceramic mug", "ordered": 2})
    ]
    assert step.state.return_quantity is None
    assert step.next_slot == "return_quantity"


def test_a_thousand_is_not_taken_as_a_quantity_and_the_maximum_is_said() -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), "1000")

    assert step.state.return_quantity is None
    assert [s.variables["max"] for s in step.said] == [2]
    assert step.next_slot == "return_quantity"


def test_a_quantity_entity_of_a_thousand_is_refused_with_the_maximum() -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), "1000", quantity="1000")

    assert step.said == [
        Say("utter_invalid_quantity", {"max": 2, "item": "Ceramic mug", "ordered": 2})
    ]
    assert step.state.return_quantity is None


@pytest.mark.parametrize(("text", "expected"), [("both", 2), ("two of them", 2), ("just 1", 1)])
def test_a_quantity_in_words_or_digits_is_understood(text: str, expected: int) -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), text)

    assert step.state.return_quantity == expected
    assert step.said == []


def test_both_means_the_units_still_returnable_not_the_units_ordered() -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), "both",
               desk=Desk(held={"MUG-01": 1}))  # fmt: skip

    assert step.state.return_quantity == 1


def test_a_single_unit_item_needs_no_quantity_question() -> None:
    state = replace(VERIFIED_MUG, return_item=None, requested_slot="return_item")

    step = say(state, "the jacket")

    assert step.state.return_item == "JKT-07"
    assert step.state.return_quantity == 1
    assert step.next_slot == "resolution"


def test_switching_to_a_single_unit_item_at_the_quantity_question_takes_one() -> None:
    step = say(replace(VERIFIED_MUG, requested_slot="return_quantity"), "actually the jacket")

    assert step.state.return_item == "JKT-07"
    assert step.state.return_quantity == 1
    assert step.said == []


def test_an_item_already_returned_is_said_so_and_not_taken() -> None:
    state = replace(VERIFIED_MUG, return_item=None, requested_slot="return_item")

    step = say(state, "the mugs", desk=Desk(held={"MUG-01": 2}))

    assert step.said == [Say("utter_item_already_returned", {"item": "Ceramic mug"})]
    assert step.state.return_item is None


def test_an_order_with_nothing_left_to_return_stops_the_form() -> None:
    state = FormState(order_id="100482", return_reason="damaged", requested_slot="email")

    step = say(state, JANE, desk=Desk(held={"MUG-01": 2, "JKT-07": 1}), email=JANE)

    assert responses(step) == ["utter_order_verified", "utter_nothing_returnable"]
    assert step.said[-1].variables == {"order_id": "100482"}
    assert step.state.stopped is True
    assert step.next_slot is None


def test_items_are_never_revealed_before_the_order_is_verified() -> None:
    desk = Desk()
    secrets = {"MUG-01", "JKT-07", "Ceramic mug", "Rain jacket"}
    state = FormState(requested_slot="order_id")
    said: list[Say] = []
    for text, entities in [
        ("I want to return something", {}),
        ("100482", {"order_id": "100482"}),
        ("the mug, it is broken, 1 please", {}),
        (MARIA, {"email": MARIA}),  # wrong email: still nothing about the order
        ("the jacket", {}),
        ("100482", {"order_id": "100482"}),
    ]:
        step = say(state, text, desk=desk, **entities)
        said += step.said
        assert step.state.order_verified is False
        assert step.state.return_item is None
        assert step.state.return_quantity is None
        state = asking(step)

    shown = {str(v) for s in said for v in s.variables.values()}
    assert shown & secrets == set()
    assert not any("item" in s.response or "quantity" in s.response for s in said)


# --- reasons, condition and resolution --------------------------------------------------------


def test_a_delivery_problem_covers_the_whole_parcel_and_asks_no_condition() -> None:
    state = FormState(order_id="SO-2026-0042", email=MARIA, order_verified=True,
                      requested_slot="return_reason")  # fmt: skip

    step = say(state, "it never arrived", "report_delivery_problem")

    assert step.state.return_reason == "not_received"
    assert step.state.return_item == ALL_ITEMS
    assert step.state.return_quantity is None
    assert "item_condition" not in needed_slots(step.state)
    assert "return_item" not in needed_slots(step.state)
    assert step.next_slot == "resolution"


def test_a_delivery_problem_without_a_reason_phrase_is_taken_as_not_received() -> None:
    step = say(FormState(requested_slot="return_reason"), "hmm", "report_delivery_problem")

    assert step.state.return_reason == "not_received"


def test_leaving_a_delivery_reason_for_a_seller_fault_asks_for_the_item() -> None:
    state = FormState(order_id="100482", email=JANE, order_verified=True,
                      return_reason="not_received", return_item=ALL_ITEMS,
                      requested_slot="resolution")  # fmt: skip

    step = say(state, "sorry, it did arrive but it is broken")

    assert step.state.return_reason == "damaged"
    assert step.state.return_item is None
    assert step.next_slot == "return_item"


def test_a_buyer_reason_asks_for_the_item_condition() -> None:
    state = replace(VERIFIED_MUG, return_reason=None, return_item=None,
                    requested_slot="return_reason")  # fmt: skip

    step = say(state, "the jacket is too small")

    assert step.state.return_reason == "size_fit"
    assert (step.state.return_item, step.state.return_quantity) == ("JKT-07", 1)
    assert step.next_slot == "item_condition"

    answered = say(asking(step), "I only tried it on")
    assert answered.state.item_condition == "opened_unused"
    assert answered.next_slot == "resolution"


def test_an_unclear_condition_is_asked_again() -> None:
    state = replace(VERIFIED_MUG, return_reason="changed_mind", return_quantity=1,
                    requested_slot="item_condition")  # fmt: skip

    step = say(state, "hmm, dunno")

    assert responses(step) == ["utter_condition_not_understood"]
    assert step.next_slot == "item_condition"


def test_a_seller_fault_after_a_buyer_reason_forgets_the_condition() -> None:
    state = replace(VERIFIED_MUG, return_reason="changed_mind", return_quantity=1,
                    item_condition="used", requested_slot="resolution")  # fmt: skip

    step = say(state, "wait, actually it is defective")

    assert step.state.return_reason == "defective"
    assert step.state.item_condition is None


def test_a_reason_with_a_single_resolution_fills_it_without_asking() -> None:
    state = replace(VERIFIED_MUG, return_reason=None, return_quantity=1,
                    requested_slot="return_reason")  # fmt: skip

    step = say(state, "I was ill and could not use it")

    assert step.state.return_reason == "other"
    assert step.state.resolution == "refund"
    assert "resolution" not in needed_slots(step.state)
    assert step.next_slot == "return_confirmed"


def test_a_resolution_the_reason_does_not_offer_is_dropped_and_said() -> None:
    state = replace(VERIFIED_MUG, return_reason="changed_mind", return_quantity=1,
                    item_condition="new_unopened", requested_slot="resolution")  # fmt: skip

    step = say(state, "a replacement please")

    assert step.said == [Say("utter_resolution_not_offered", {"resolution": "replacement"})]
    assert step.state.resolution is None
    assert step.next_slot == "resolution"


def test_an_unclear_resolution_is_asked_again() -> None:
    state = replace(VERIFIED_MUG, return_quantity=1, requested_slot="resolution")

    step = say(state, "whatever you think")

    assert responses(step) == ["utter_resolution_not_understood"]
    assert step.next_slot == "resolution"


# --- digressions ------------------------------------------------------------------------------


def test_a_policy_question_that_answers_nothing_is_a_digression() -> None:
    state = FormState(order_id="100482", return_reason="damaged", requested_slot="email")

    step = say(state, "who pays for return shipping?", "ask_policy")

    assert step.digression is True
    assert step.state == state
    assert step.said == []


def test_a_policy_question_that_carries_an_order_id_is_not_a_digression() -> None:
    state = FormState(return_reason="damaged", requested_slot="order_id")

    step = say(state, "how long do I have for order 100482?", "ask_policy", order_id="100482")

    assert step.digression is False
    assert step.state.order_id == "100482"
    assert step.next_slot == "email"


def test_a_question_about_refund_timing_mid_form_is_a_digression() -> None:
    state = FormState(order_id="100482", return_reason="damaged", requested_slot="email")

    step = say(state, "how long does the refund take?", "ask_policy")

    assert step.digression is True
    assert step.state.resolution is None


# --- confirmation -----------------------------------------------------------------------------


READY = replace(VERIFIED_MUG, return_quantity=1, resolution="refund",
                requested_slot="return_confirmed")  # fmt: skip


def test_yes_at_the_summary_confirms_the_return() -> None:
    step = say(READY, "yes", "affirm")

    assert step.state.return_confirmed is True
    assert step.said == []
    assert step.next_slot is None


def test_no_at_the_summary_asks_what_to_change() -> None:
    step = say(READY, "no", "deny")

    assert responses(step) == ["utter_what_to_change"]
    assert step.state.return_confirmed is None
    assert step.next_slot == "return_confirmed"


def test_something_else_at_the_summary_asks_for_yes_or_no() -> None:
    step = say(READY, "hmm", "greet")

    assert responses(step) == ["utter_confirm_yes_or_no"]
    assert step.state.return_confirmed is None


def test_changing_a_detail_at_the_summary_shows_the_summary_again() -> None:
    step = say(READY, "actually store credit instead")

    assert step.state.resolution == "store_credit"
    assert step.state.return_confirmed is None
    assert step.said == []
    assert step.next_slot == "return_confirmed"


def test_a_yes_that_also_changes_a_detail_is_not_a_confirmation() -> None:
    step = say(READY, "yes but send a replacement", "affirm")

    assert step.state.resolution == "replacement"
    assert step.state.return_confirmed is None


def test_a_product_code_that_looks_like_an_order_id_keeps_the_verified_order() -> None:
    verified = asking(say(FormState(requested_slot="email", order_id="100482"), JANE, email=JANE))
    assert verified.order_verified

    step = say(verified, "my WH-1000XM4 broke, the mug", "request_return", order_id="WH-1000XM4")

    assert step.state.order_verified and step.state.order_id == "100482"
    assert step.state.email == JANE
    assert step.state.verification_failures == 1  # the attempt still counts
    assert responses(step)[0] == "utter_kept_current_order"
    assert step.said[0].variables == {"tried": "WH-1000XM4", "order_id": "100482"}
    assert step.state.return_item == "MUG-01"
