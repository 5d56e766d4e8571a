"""Rasa component around ``language_id.detect``: the conversation's language.

Runs last in the NLU pipeline, after the intent classifier, so it can read
"switch_language" requests. It sees the conversation (Rasa hands NLU
components the tracker when ``process`` asks for one) and its output is:

- ``language``: ``{"code", "confidence", ...}`` in ``/model/parse``;
- a ``language`` entity whenever the conversation's language changes, which
  fills the ``language`` slot through a ``from_entity`` mapping in Rasa
  itself, before any response is chosen: no extra call to the action server;
- the intent ``unsupported_language`` when the buyer clearly writes in a
  language the store does not serve.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_id import (
    Detection,
    LanguageHints,
    Thresholds,
    Vocabulary,
    detect,
)
from bot.components.language_request import requested_language

SWITCH_INTENT = "switch_language"
UNSUPPORTED_INTENT = "unsupported_language"
LANGUAGE_SLOT = "language"
VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class LanguageDetector(GraphComponent):
    """Decides each turn which language the conversation speaks."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.served = tuple(str(code) for code in config["languages"])
        self.default = str(config["default_language"])
        self.thresholds = Thresholds(
            accept=float(config["accept_confidence"]),
            switch=float(config["switch_confidence"]),
            switch_words=int(config["switch_words"]),
        )
        self.vocabulary = vocabulary or Vocabulary()
        if not self.served or self.default not in self.served:
            raise InvalidConfigException(
                f"LanguageDetector: default_language '{self.default}' must be one of "
                f"languages {list(self.served)} (config.yml)"
            )

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "languages": ["en"],
            "default_language": "en",
            "accept_confidence": Thresholds.accept,
            "switch_confidence": Thresholds.switch,
            "switch_words": Thresholds.switch_words,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        try:
            with model_storage.read_from(resource) as directory:
                raw = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            raw = {}
        return cls(config, model_storage, resource, Vocabulary.from_dict(raw))

    def train(self, training_data: TrainingData) -> Resource:
        """Counts words per language in examples tagged ``metadata: {language: xx}``."""
        self.vocabulary = vocabulary_from(training_data, self.served)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(self.vocabulary.to_dict(), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        conversation = tracker.get_slot(LANGUAGE_SLOT) if tracker else None
        for message in messages:
            self._process_one(message, conversation if conversation in self.served else None)
        return messages

    def _process_one(self, message: Message, conversation: str | None) -> None:
        text = message.get(TEXT) or ""
        metadata = message.get("metadata") or {}
        intent = (message.get(INTENT) or {}).get("name")
        hints = LanguageHints(
            served=self.served,
            default=self.default,
            conversation=conversation,
            locale=metadata.get("language") if isinstance(metadata, dict) else None,
        )
        requested = requested_language(text) if intent == SWITCH_INTENT else None
        detection = detect(text, hints, self.vocabulary, self.thresholds, requested)

        output = detection.as_output()
        output["served"] = list(self.served)
        message.set("language", output, add_to_output=True)
        self._correct_intent(message, detection, intent)
        if detection.code != conversation:
            entity = {
                "entity": LANGUAGE_SLOT,
                "value": detection.code,
                "start": 0,
                "end": len(text),
                "confidence_entity": detection.confidence,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)

    def _correct_intent(self, message: Message, detection: Detection, intent: str | None) -> None:
        """Unserved languages get ``unsupported_language``; served sentences never do."""
        if detection.unserved and intent != SWITCH_INTENT:
            confidence = max(detection.detected_confidence, 0.5)
            message.set(INTENT, {"name": UNSUPPORTED_INTENT, "confidence": confidence},
                        add_to_output=True)
            return
        clearly_served = detection.detected in self.served and detection.clear
        if intent == UNSUPPORTED_INTENT and clearly_served:
            ranking = [
                ranked for ranked in message.get(INTENT_RANKING_KEY) or []
                if ranked.get("name") not in (UNSUPPORTED_INTENT, "nlu_fallback")
            ]
            if ranking:
                message.set(INTENT, dict(ranking[0]), add_to_output=True)


def vocabulary_from(training_data: TrainingData, served: tuple[str, ...]) -> Vocabulary:
    """The word counts of the served languages' training examples."""
    examples = []
    for message in training_data.intent_examples:
        language = _example_language(message)
        if language in served:
            examples.append((language, message.get(TEXT) or ""))
    return Vocabulary.from_examples(examples)


def _example_language(message: Message) -> str | None:
    metadata = message.get("metadata") or {}
    intent_metadata = metadata.get("intent") if isinstance(metadata, dict) else None
    if isinstance(intent_metadata, dict) and intent_metadata.get("language"):
        return str(intent_metadata["language"])
    return None
