"""What a buyer sends on messaging apps that is not plain text in a sentence.

Two small NLU components, both reading the conversation rather than keeping
state in a channel, so they work on every channel and every Rasa instance:

- ``NumberedChoice``: where a channel has no buttons (WhatsApp) options are
  sent numbered; a reply of just "2" after such a question means the second
  button, so its payload becomes the message (Rasa then reads the payload as
  it reads a button press).
- ``UnsupportedContent``: a sticker, location or voice note arrives as an
  empty message with ``metadata.content``; it becomes the intent
  ``unsupported_content``, answered in the conversation's language.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.stateless import StatelessComponent

UNSUPPORTED_CONTENT_INTENT = "unsupported_content"
# The metadata key a channel sets on a message that was not text.
CONTENT_KEY = "content"
# "2", "2.", "(2)", "#2", "２" (full-width digits are digits to int()).
CHOICE = re.compile(r"^\s*[#(]?\s*(\d{1,2})\s*[.)、:]?\s*$")


def choice_number(text: str) -> int | None:
    match = CHOICE.match(text)
    return int(match.group(1)) if match else None


def offered_buttons(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    """The buttons of the assistant's last message with buttons since the buyer last wrote."""
    if tracker is None:
        return []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and event.data.get("buttons"):
            return list(event.data["buttons"])
    return []


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NumberedChoice(StatelessComponent):
    """A reply of "2" after a question with options is the second option's payload."""

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        for message in messages:
            number = choice_number(message.get(TEXT) or "")
            if number is None:
                continue
            buttons = offered_buttons(tracker)
            if 1 <= number <= len(buttons):
                payload = str(buttons[number - 1].get("payload") or "")
                if payload.startswith(INTENT_MESSAGE_PREFIX):
                    message.set(TEXT, payload)  # Rasa's RegexMessageHandler unpacks it
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnsupportedContent(StatelessComponent):
    """A message that was a sticker, a location or a voice note, whatever its text."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get("metadata") or {}
            if isinstance(metadata, dict) and metadata.get(CONTENT_KEY):
                intent = {"name": UNSUPPORTED_CONTENT_INTENT, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
