"""action_switch_language, and which language the actions speak."""

from __future__ import annotations

from typing import Any

from trackers import run, tracker, user

from actions.conversation.languages import ActionSwitchLanguage
from actions.conversation.slots import language_of

SERVED = ["en", "es", "fr", "de", "it", "pt", "nl", "zh"]


def detected(code: str, evidence: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "confidence": 1.0, "evidence": evidence, "served": SERVED, **extra}


def with_language(text: str, intent: str, language: dict[str, Any]) -> dict[str, Any]:
    event = user(text, intent)
    event["parse_data"]["language"] = language
    return event


def test_a_granted_request_is_confirmed_in_the_new_language() -> None:
    events = [with_language("can we speak spanish", "switch_language", detected("es", "request"))]

    _, messages = run(ActionSwitchLanguage(), tracker({"language": "es"}, events))

    assert [m["response"] for m in messages] == ["utter_language_switched"]


def test_an_unserved_language_gets_the_list_of_served_ones_in_the_buyers_grammar() -> None:
    events = [with_language("gdzie jest moja paczka", "unsupported_language",
                            detected("de", "conversation", unserved="pl"))]  # fmt: skip

    _, messages = run(ActionSwitchLanguage(), tracker({"language": "de"}, events))

    assert messages[0]["response"] == "utter_language_not_served"
    assert messages[0]["languages"] == (
        "English, español, français, Deutsch, italiano, português, Nederlands und 中文"
    )


def test_before_the_slot_is_set_the_detectors_answer_is_the_language() -> None:
    events = [with_language("hola", "greet", detected("es", "text"))]

    assert language_of(tracker({"language": None}, events)) == "es"
    assert language_of(tracker({"language": "fr"}, events)) == "fr"
    assert language_of(tracker({"language": None}, [user("hi", "greet")])) == "en"


def test_asking_in_a_clear_sentence_of_another_language_confirms_that_language() -> None:
    events = [with_language("sorry my spanish is bad, can we do this in english",
                            "switch_language", detected("en", "text"))]  # fmt: skip

    _, messages = run(ActionSwitchLanguage(), tracker({"language": "en"}, events))

    assert [m["response"] for m in messages] == ["utter_language_switched"]


def test_a_request_naming_no_language_lists_the_served_ones() -> None:
    events = [with_language("do you speak other languages", "switch_language",
                            detected("en", "conversation"))]  # fmt: skip

    _, messages = run(ActionSwitchLanguage(), tracker({"language": "en"}, events))

    assert messages[0]["response"] == "utter_language_not_served"
