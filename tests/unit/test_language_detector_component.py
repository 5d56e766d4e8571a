"""The Rasa component: parse output, the ``language`` entity and intent corrections."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.events import SlotSet
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_detector import LanguageDetector, vocabulary_from
from bot.components.language_id import Vocabulary

CONFIG = {
    **LanguageDetector.get_default_config(),
    "languages": ["en", "es", "de", "zh"],
    "default_language": "en",
}
VOCABULARY = Vocabulary.from_examples(
    [("en", "my parcel never arrived i want a refund"), ("es", "llego roto quiero un reembolso"),
     ("es", "el paquete llego roto"), ("de", "mein paket ist kaputt geld zuruck bitte")]
)  # fmt: skip


def detector() -> LanguageDetector:
    return LanguageDetector(CONFIG, None, None, VOCABULARY)  # type: ignore[arg-type]


def conversation(language: str | None) -> DialogueStateTracker:
    tracker = DialogueStateTracker("buyer", [TextSlot("language", mappings=[])])
    if language:
        tracker.update(SlotSet("language", language))
    return tracker


def parsed(text: str, intent: str = "inform", tracker: Any = None, **metadata: str) -> Message:
    message = Message(data={"text": text, "metadata": metadata or None})
    message.set("intent", {"name": intent, "confidence": 0.9})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9},
                                   {"name": "request_return", "confidence": 0.05}])  # fmt: skip
    return detector().process([message], tracker)[0]


def language_entities(message: Message) -> list[str]:
    return [e["value"] for e in message.get("entities", []) if e["entity"] == "language"]


def test_the_first_message_sets_the_language_slot_through_an_entity() -> None:
    message = parsed("llego roto", tracker=conversation(None))

    assert message.get("language")["code"] == "es"
    assert message.get("language")["served"] == ["en", "es", "de", "zh"]
    assert language_entities(message) == ["es"]
    assert "language" in message.as_dict(only_output_properties=True)


def test_an_unchanged_language_adds_no_entity() -> None:
    assert language_entities(parsed("ok", tracker=conversation("es"))) == []
    assert language_entities(parsed("llego roto", tracker=conversation("es"))) == []


def test_the_channel_locale_decides_a_language_free_first_message() -> None:
    message = parsed("100482", tracker=conversation(None), language="de-AT")

    assert message.get("language")["code"] == "de"


def test_a_switch_request_names_the_language() -> None:
    message = parsed("can we speak german?", "switch_language", conversation("en"))

    assert message.get("language")["evidence"] == "request"
    assert language_entities(message) == ["de"]


def test_an_unserved_language_becomes_the_unsupported_language_intent() -> None:
    message = parsed("gdzie jest moja paczka, chcę zwrot pieniędzy", "request_return",
                     conversation("de"))  # fmt: skip

    assert message.get("intent")["name"] == "unsupported_language"
    assert message.get("language")["unserved"] == "pl"
    assert message.get("language")["code"] == "de"


def test_a_served_sentence_is_never_left_as_unsupported_language() -> None:
    message = parsed("my parcel never arrived and i want a refund", "unsupported_language",
                     conversation("en"))  # fmt: skip

    assert message.get("intent")["name"] == "request_return"


def test_without_a_tracker_the_message_alone_decides() -> None:
    assert parsed("还没收到").get("language")["code"] == "zh"


def test_the_vocabulary_comes_from_examples_tagged_with_their_language() -> None:
    spanish = Message.build("llego roto", "request_return", intent_metadata={"language": "es"})
    untagged = Message.build("hello", "greet")
    other = Message.build("gdzie", "unsupported_language", intent_metadata={"language": "other"})

    vocabulary = vocabulary_from(TrainingData([spanish, untagged, other]), ("en", "es"))

    assert set(vocabulary.counts) == {"es"}
    assert vocabulary.counts["es"]["roto"] == 1


def test_a_default_language_that_is_not_served_is_a_config_error() -> None:
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match="default_language"):
        LanguageDetector({**CONFIG, "default_language": "fr"}, None, None)  # type: ignore[arg-type]


def test_a_chinese_sentence_is_never_left_as_unsupported_language() -> None:
    message = parsed("我的包裹一直没有收到", "unsupported_language", conversation("zh"))

    assert message.get("intent")["name"] == "request_return"
