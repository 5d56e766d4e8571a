"""Answering a request for another language, or a message in an unserved one."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation.slots import language_of
from actions.language.formatting import language_names


class ActionSwitchLanguage(Action):
    """Confirms a switch the detector made, or lists the languages we serve.

    The language detector (bot/components/language_detector.py) has already
    set the ``language`` slot; this only says so in the new language.
    """

    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        detected = (tracker.latest_message or {}).get("language") or {}
        # Granted as asked, or a clear sentence in the language they want
        # ("sorry, my Spanish is bad, ..." -> English).
        decided = detected.get("evidence") in ("request", "text", "script")
        if decided and not detected.get("unserved"):
            dispatcher.utter_message(response="utter_language_switched")
            return []
        served = [str(code) for code in detected.get("served") or [language_of(tracker)]]
        dispatcher.utter_message(
            response="utter_language_not_served",
            languages=language_names(served, language_of(tracker)),
        )
        return []
