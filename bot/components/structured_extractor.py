"""Rasa component around ``find_structured_entities``."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import StatelessComponent
from bot.components.structured import find_structured_entities

EXTRACTED = ("order_id", "email", "rma")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class StructuredEntityExtractor(StatelessComponent, EntityExtractorMixin):
    """Adds ``order_id``, ``email`` and ``rma`` entities found by pattern."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {
                    "entity": item.entity,
                    "value": item.value,
                    "start": item.start,
                    "end": item.end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for item in find_structured_entities(text)
            ]
            # Other extractors must not claim these entities too.
            others = [e for e in message.get(ENTITIES, []) if e.get("entity") not in EXTRACTED]
            message.set(ENTITIES, others + found, add_to_output=True)
        return messages
