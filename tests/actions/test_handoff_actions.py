"""The handoff actions on a real store: tickets, pauses, sessions."""

from __future__ import annotations

from trackers import responses, run, tracker, user

from actions.bootstrap import Store
from actions.conversation.handoff import ActionHandoff, ActionNotUnderstood


def test_asking_for_a_person_tells_the_buyer_pauses_and_opens_one_ticket(store: Store):
    asked = tracker({"language": "de", "order_id": "100482", "order_verified": True,
                     "email": "jane.doe@example.com"},
                    [user("Ich möchte mit einem Menschen sprechen", "request_human")],
                    sender="buyer-7")  # fmt: skip
    events, messages = run(ActionHandoff(), asked)
    assert responses(messages) == ["utter_handoff"] and messages[0]["hours"] == 24
    assert [e["event"] for e in events] == ["pause"]
    run(ActionHandoff(), asked)  # asked twice: still one ticket
    queue = store.handoff.queue()
    assert len(queue) == 1
    summary = queue[0].summary
    assert (summary.trigger.value, summary.language, summary.order_id) == (
        "buyer_asked",
        "de",
        "100482",
    )
    assert summary.details["email"] == "jane.doe@example.com"


def test_an_unproven_order_and_email_stay_out_of_the_ticket(store: Store):
    unproven = tracker({"order_id": "100482", "email": "guess@example.com"},
                       [user("human please", "request_human")], sender="buyer-8")  # fmt: skip
    run(ActionHandoff(), unproven)
    summary = store.handoff.queue()[0].summary
    assert summary.order_id is None and "email" not in summary.details


def test_one_miss_gets_a_hint_and_a_second_in_a_row_a_person(store: Store):
    once = [user("flibber", "nlu_fallback")]
    events, messages = run(ActionNotUnderstood(), tracker({}, once, sender="buyer-9"))
    assert responses(messages) == ["utter_default"] and events == []
    twice = [*once, user("jabber", "nlu_fallback")]
    events, messages = run(ActionNotUnderstood(), tracker({}, twice, sender="buyer-9"))
    assert responses(messages) == ["utter_handoff"] and events[-1]["event"] == "pause"
    emoji = [*once, user("😀", "nlu_fallback")]  # a lone emoji is not a failed attempt
    _, messages = run(ActionNotUnderstood(), tracker({}, emoji, sender="buyer-10"))
    assert responses(messages) == ["utter_default"]

