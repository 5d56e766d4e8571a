from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.channels.webchat import transcript
from bot.components.channel_choices import (
    NumberedChoice,
    UnsupportedContent,
    choice_number,
    offered_buttons,
)

BUTTONS = [
    {"title": "Refund", "payload": '/inform{"resolution": "refund"}'},
    {"title": "Store credit", "payload": '/inform{"resolution": "store_credit"}'},
]


def tracker(*events):
    return DialogueStateTracker.from_events("buyer", list(events))


@pytest.mark.parametrize(
    ("text", "number"), [("2", 2), (" 2. ", 2), ("(1)", 1), ("#2", 2), ("２", 2)]
)
def test_a_bare_number_is_a_choice(text, number):
    assert choice_number(text) == number


@pytest.mark.parametrize("text", ["2 mugs", "order 100482", "100482", "", "two"])
def test_anything_else_is_not(text):
    assert choice_number(text) is None


def test_only_buttons_offered_since_the_buyer_last_wrote_count():
    asked = tracker(UserUttered("hi"), BotUttered("What would you like?", {"buttons": BUTTONS}))
    assert offered_buttons(asked) == BUTTONS
    answered = tracker(BotUttered("pick", {"buttons": BUTTONS}), UserUttered("1"), BotUttered("ok"))
    assert offered_buttons(answered) == []


def test_the_number_becomes_the_offered_buttons_payload():
    asked = tracker(UserUttered("hi"), BotUttered("What would you like?", {"buttons": BUTTONS}))
    component = NumberedChoice()
    second, outside = Message(data={"text": "2"}), Message(data={"text": "3"})
    component.process([second, outside], asked)
    assert second.get("text") == '/inform{"resolution": "store_credit"}'
    assert outside.get("text") == "3"  # no third option: left for the NLU


def test_a_message_that_was_a_sticker_is_unsupported_content_whatever_the_nlu_said():
    sticker = Message(
        data={
            "text": "",
            "metadata": {"content": "sticker"},
            "intent": {"name": "nlu_fallback", "confidence": 0.4},
        }
    )
    text = Message(data={"text": "hi", "intent": {"name": "greet", "confidence": 0.9}})
    UnsupportedContent().process([sticker, text])
    assert sticker.get("intent")["name"] == "unsupported_content"
    assert text.get("intent")["name"] == "greet"


def test_the_widget_history_shows_a_pressed_buttons_title_not_its_payload():
    events = [
        UserUttered("I want a refund"),
        ActionExecuted("action_ask_resolution"),
        BotUttered("What would you like?", {"buttons": BUTTONS}),
        UserUttered('/inform{"resolution": "refund"}'),
        BotUttered("Done"),
        UserUttered(""),  # a voice note on another channel
    ]
    shown = transcript(events)
    assert [(m["sender"], m["text"]) for m in shown] == [
        ("user", "I want a refund"),
        ("bot", "What would you like?"),
        ("user", "Refund"),
        ("bot", "Done"),
    ]
    assert shown[1]["buttons"] == [{"title": b["title"], "payload": b["payload"]} for b in BUTTONS]


def test_a_clearly_upset_message_becomes_buyer_upset_but_a_request_for_a_person_stays():
    from bot.components.upset_detector import UpsetBuyer

    angry = Message(data={"text": "THIS IS A SCAM, I WANT MY MONEY BACK NOW",
                          "intent": {"name": "request_return", "confidence": 0.9}})  # fmt: skip
    asking = Message(data={"text": "this is ridiculous, get me a human",
                           "intent": {"name": "request_human", "confidence": 0.9}})  # fmt: skip
    calm = Message(data={"text": "my mug arrived broken",
                         "intent": {"name": "request_return", "confidence": 0.9}})  # fmt: skip
    UpsetBuyer().process([angry, asking, calm])
    assert angry.get("intent")["name"] == "buyer_upset"
    assert "shouting" in angry.get("upset")["signals"]
    assert asking.get("intent")["name"] == "request_human"
    assert calm.get("intent")["name"] == "request_return" and not calm.get("upset")["clear"]
