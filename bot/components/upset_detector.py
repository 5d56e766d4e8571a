"""Rasa component around ``upset.read_upset``: a clearly upset buyer gets a person.

Runs after the intent classifier. When the message clearly shows anger or a
threat (a chargeback, a lawyer), the intent becomes ``buyer_upset`` and the
rules hand the conversation over; what fired is in ``/model/parse`` as
``upset``, and the classifier's own intent stays in the ranking.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import StatelessComponent
from bot.components.upset import read_upset

UPSET_INTENT = "buyer_upset"
# Asking for a person already brings one; switching language is not anger.
KEEP_INTENTS = frozenset({"request_human", "switch_language", "unsupported_content"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UpsetBuyer(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            upset = read_upset(message.get(TEXT) or "")
            message.set("upset", {"clear": upset.clear, "signals": list(upset.signals)},
                        add_to_output=True)  # fmt: skip
            intent = (message.get(INTENT) or {}).get("name")
            if upset.clear and intent not in KEEP_INTENTS:
                message.set(INTENT, {"name": UPSET_INTENT, "confidence": 1.0}, add_to_output=True)
        return messages
