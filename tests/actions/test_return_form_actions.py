"""The return form's Rasa actions on real trackers and a real store."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from trackers import JANE, MARIA, action, loop, responses, run, slots_set, tracker, user

from actions.bootstrap import Store
from actions.conversation.return_form import AskReturnItem, ValidateReturnForm
from actions.conversation.submit import ActionSubmitReturn
from actions.domain.requests import Reason, Resolution
from actions.service.returns import SubmitReturn

FIRST = "I want to return the mug from order 100482, it arrived broken"


def conversation_after_first_message() -> list[dict[str, Any]]:
    """Rasa's events once the first message activated the form and it asked for the email."""
    return [
        action("action_listen"),
        user(FIRST, "request_return", order_id="100482"),
        action("return_form"),
        loop("return_form"),
        action("action_listen"),
    ]


READY_SLOTS = {
    "order_id": "100482", "email": JANE, "order_verified": True, "return_reason": "damaged",
    "return_item": "MUG-01", "return_quantity": 1, "resolution": "refund",
    "return_confirmed": True, "language": "en",
}  # fmt: skip


# --- validate_return_form ---------------------------------------------------------------------


def test_the_first_message_fills_every_slot_it_answers(store: Store) -> None:
    events = [action("action_listen"), user(FIRST, "request_return", order_id="100482"),
              action("return_form")]  # fmt: skip

    returned, messages = run(ValidateReturnForm(), tracker({}, events, active_loop="return_form"))

    assert messages == []
    assert slots_set(returned) == {
        "order_id": "100482",
        "return_reason": "damaged",
        "requested_slot": "email",
    }


def test_the_email_verifies_the_order_and_the_mug_named_earlier_is_taken(store: Store) -> None:
    slots = {"order_id": "100482", "return_reason": "damaged", "requested_slot": "email"}
    events = [*conversation_after_first_message(), user(JANE, email=JANE), action("return_form")]

    returned, messages = run(
        ValidateReturnForm(), tracker(slots, events, active_loop="return_form")
    )

    assert responses(messages) == ["utter_order_verified"]
    assert messages[0]["order_id"] == "100482"
    assert messages[0]["placed_at"] == "2026-10-01"
    assert SlotSet("email", JANE) in returned
    assert SlotSet("order_verified", True) in returned
    assert SlotSet("return_item", "MUG-01") in returned
    assert returned[-1] == SlotSet("requested_slot", "return_quantity")


def test_a_wrong_email_counts_a_failure_and_reveals_nothing(store: Store) -> None:
    slots = {"order_id": "100482", "return_reason": "damaged", "requested_slot": "email"}
    events = [*conversation_after_first_message(), user(MARIA, email=MARIA), action("return_form")]

    returned, messages = run(
        ValidateReturnForm(), tracker(slots, events, active_loop="return_form")
    )

    assert responses(messages) == ["utter_order_not_verified"]
    assert messages[0]["remaining"] == 4
    assert slots_set(returned) == {
        "order_id": None,
        "email": None,
        "verification_failures": 1,
        "requested_slot": "order_id",
    }


def test_a_policy_question_mid_form_is_left_to_the_rules(store: Store) -> None:
    slots = {"order_id": "100482", "return_reason": "damaged", "requested_slot": "email"}
    question = user("who pays for return shipping?", "ask_policy")
    events = [*conversation_after_first_message(), question, action("return_form")]

    returned, messages = run(
        ValidateReturnForm(), tracker(slots, events, active_loop="return_form")
    )

    assert (returned, messages) == ([], [])


def test_coming_back_from_a_digression_only_asks_the_next_question_again(store: Store) -> None:
    slots = {"order_id": "100482", "return_reason": "damaged", "requested_slot": "email"}
    events = [*conversation_after_first_message(),
              user("who pays for return shipping?", "ask_policy"),
              action("action_answer_policy"), action("return_form")]  # fmt: skip

    returned, messages = run(
        ValidateReturnForm(), tracker(slots, events, active_loop="return_form")
    )

    assert messages == []
    assert returned == [SlotSet("requested_slot", "email")]


# --- action_ask_return_item -------------------------------------------------------------------


def ask_item_tracker(**slots: Any) -> Any:
    values = {"order_id": "100482", "email": JANE, "order_verified": True,
              "return_reason": "damaged", "requested_slot": "return_item", **slots}  # fmt: skip
    return tracker(values, [action("action_listen"), user("something")],
                   active_loop="return_form")  # fmt: skip


def test_ask_return_item_offers_each_returnable_item_as_a_button(store: Store) -> None:
    _, messages = run(AskReturnItem(), ask_item_tracker())

    assert responses(messages) == ["utter_ask_return_item"]
    assert messages[0]["buttons"] == [
        {"title": "Ceramic mug (2)", "payload": '/inform{"return_item": "MUG-01"}'},
        {"title": "Rain jacket", "payload": '/inform{"return_item": "JKT-07"}'},
    ]


def test_ask_return_item_leaves_out_units_already_being_returned(store: Store) -> None:
    store.desk.submit(
        SubmitReturn(
            "another-conversation",
            "rest",
            "en",
            "100482",
            JANE,
            {"MUG-01": 2},
            Reason.DAMAGED,
            None,
            Resolution.REFUND,
        )
    )

    _, messages = run(AskReturnItem(), ask_item_tracker())

    assert messages[0]["buttons"] == [
        {"title": "Rain jacket", "payload": '/inform{"return_item": "JKT-07"}'}
    ]


def test_ask_return_item_reveals_nothing_when_the_slots_do_not_prove_ownership(
    store: Store,
) -> None:
    # order_verified is only a slot: a forged or stale one must not show the items.
    _, messages = run(AskReturnItem(), ask_item_tracker(email=MARIA))

    assert responses(messages) == ["utter_technical_problem"]
    assert messages[0]["buttons"] == []


# --- action_submit_return ---------------------------------------------------------------------


def submit_tracker(sender: str = "buyer-1", **slots: Any) -> Any:
    events = [action("action_listen"), user("yes", "affirm"), action("return_form"), loop(None)]
    return tracker({**READY_SLOTS, **slots}, events, sender=sender)


def test_submitting_a_confirmed_return_records_it_and_explains_the_decision(
    store: Store,
) -> None:
    returned, messages = run(ActionSubmitReturn(), submit_tracker())

    [record] = store.desk.all_returns()
    assert (record.order_id, record.items, record.reason) == ("100482", {"MUG-01": 1}, "damaged")
    assert (record.conversation_id, record.channel, record.language) == ("buyer-1", "rest", "en")
    assert record.decision == "approve"
    assert responses(messages) == [
        "utter_return_approved", "utter_why_returnless", "utter_refund_now", "utter_anything_else",
    ]  # fmt: skip
    assert messages[0]["rma"] == record.rma
    assert messages[2]["amount"] == "€13.97"  # 12.50 + the mug's share of 9.90 shipping
    assert SlotSet("last_rma", record.rma) in returned
    assert slots_set(returned)["return_confirmed"] is None
    assert slots_set(returned)["return_item"] is None
    assert "email" not in slots_set(returned)  # the buyer stays known


def test_submitting_twice_in_one_conversation_gives_the_same_rma_once(store: Store) -> None:
    run(ActionSubmitReturn(), submit_tracker())
    returned, messages = run(ActionSubmitReturn(), submit_tracker())

    [record] = store.desk.all_returns()
    assert responses(messages) == ["utter_duplicate_submission", "utter_anything_else"]
    assert messages[0]["rma"] == record.rma
    assert SlotSet("last_rma", record.rma) in returned


def test_a_return_that_was_not_confirmed_is_not_submitted(store: Store) -> None:
    returned, messages = run(ActionSubmitReturn(), submit_tracker(return_confirmed=None))

    assert store.desk.all_returns() == []
    assert messages == []
    assert slots_set(returned)["requested_slot"] is None


def test_a_delivery_problem_submits_every_returnable_unit_of_the_parcel(store: Store) -> None:
    slots = {"order_id": "SO-2026-0042", "email": MARIA, "return_reason": "not_received",
             "return_item": "*", "return_quantity": None, "resolution": "refund"}  # fmt: skip

    run(ActionSubmitReturn(), submit_tracker(**slots))

    [record] = store.desk.all_returns()
    assert record.items == {"SHO-11": 1}
    assert record.reason == "not_received"


def test_submit_verifies_ownership_again_and_records_nothing_for_a_stranger(
    store: Store,
) -> None:
    returned, messages = run(ActionSubmitReturn(), submit_tracker(email=MARIA))

    assert store.desk.all_returns() == []
    assert responses(messages) == ["utter_technical_problem"]
    assert returned == [SlotSet("return_confirmed", None)]
