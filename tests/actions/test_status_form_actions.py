"""Checking on a return: the status form's validation and the status reply."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from trackers import JANE, MARIA, action, loop, responses, run, slots_set, tracker, user

from actions.bootstrap import Store
from actions.conversation.status import ActionShowStatus, ValidateStatusForm
from actions.domain.requests import Reason, Resolution
from actions.service.returns import SubmitReturn


@pytest.fixture
def rma(store: Store) -> str:
    submitted = store.desk.submit(
        SubmitReturn(
            "earlier-conversation",
            "rest",
            "en",
            "100482",
            JANE,
            {"JKT-07": 1},
            Reason.DAMAGED,
            None,
            Resolution.REFUND,
        )
    )
    return submitted.record.rma


def status_tracker(slots: dict[str, Any], text: str, **entities: str) -> Any:
    events = [action("action_listen"), user("where is my refund?", "check_status"),
              action("status_form"), loop("status_form"), action("action_listen"),
              user(text, **entities), action("status_form")]  # fmt: skip
    return tracker(slots, events, active_loop="status_form")


def test_a_wrong_email_is_a_failed_attempt_and_asks_for_the_reference_again(
    store: Store, rma: str
) -> None:
    slots = {"status_reference": rma, "requested_slot": "email"}

    returned, messages = run(ValidateStatusForm(), status_tracker(slots, MARIA, email=MARIA))

    assert responses(messages) == ["utter_return_not_found"]
    assert messages[0]["remaining"] == 4
    assert slots_set(returned) == {
        "status_reference": None,
        "email": None,
        "verification_failures": 1,
        "requested_slot": "status_reference",
    }


def test_the_fifth_wrong_email_locks_the_status_check(store: Store, rma: str) -> None:
    slots = {"status_reference": rma, "requested_slot": "email", "verification_failures": 4}

    returned, messages = run(ValidateStatusForm(), status_tracker(slots, MARIA, email=MARIA))

    assert responses(messages) == ["utter_verification_locked"]
    assert slots_set(returned)["verification_locked"] is True
    assert slots_set(returned)["requested_slot"] is None


def test_the_right_email_ends_the_status_form(store: Store, rma: str) -> None:
    slots = {"status_reference": rma, "requested_slot": "email"}

    returned, messages = run(ValidateStatusForm(), status_tracker(slots, JANE, email=JANE))

    assert messages == []
    assert slots_set(returned) == {
        "status_reference": rma, "email": JANE, "requested_slot": None,
    }  # fmt: skip


def test_an_order_number_typed_as_the_reference_is_accepted(store: Store, rma: str) -> None:
    slots = {"requested_slot": "status_reference"}

    returned, messages = run(ValidateStatusForm(), status_tracker(slots, "#100482"))

    assert messages == []
    assert slots_set(returned) == {
        "status_reference": "#100482", "email": None, "requested_slot": "email",
    }  # fmt: skip


def test_the_status_shows_each_return_of_the_buyer(store: Store, rma: str) -> None:
    slots = {"status_reference": rma, "email": JANE, "language": "en"}

    returned, messages = run(ActionShowStatus(), status_tracker(slots, JANE, email=JANE))

    assert responses(messages) == ["utter_status_line", "utter_anything_else"]
    assert messages[0]["rma"] == rma
    assert messages[0]["items"] == "JKT-07"
    assert messages[0]["detail"] == "€65.95"
    assert returned == [SlotSet("status_reference", None)]


def test_the_status_of_someone_elses_return_is_not_shown(store: Store, rma: str) -> None:
    slots = {"status_reference": rma, "email": MARIA, "language": "en"}

    _, messages = run(ActionShowStatus(), status_tracker(slots, MARIA, email=MARIA))

    assert "utter_status_line" not in responses(messages)
    assert all(rma not in str(m) for m in messages)
