"""Bringing in a person: the buyer is told, the conversation pauses, a ticket is opened.

While paused, Rasa keeps what the buyer writes in the conversation without
answering; the agent console shows it. An agent hands the conversation back
(``ConversationResumed``) or closes the ticket.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bootstrap
from actions.conversation.slots import language_of
from actions.domain.handoff import HandoffSummary, HandoffTrigger
from actions.domain.returns import ReturnRecord
from actions.service.errors import RecordStoreUnavailable

logger = logging.getLogger(__name__)

TRIGGER_OF_INTENT = {
    "nlu_fallback": HandoffTrigger.NOT_UNDERSTOOD,
    "buyer_upset": HandoffTrigger.UPSET,
}
# What the assistant had collected, as the agent should read it.
DETAIL_SLOTS = ("return_item", "return_quantity", "item_condition", "resolution", "email")


def summary_from(
    tracker: Tracker, trigger: HandoffTrigger, record: ReturnRecord | None = None
) -> HandoffSummary:
    """The ticket's summary from the conversation (and the return, when one was made)."""
    verified = bool(tracker.get_slot("order_verified"))
    details = {
        name: str(tracker.get_slot(name))
        for name in DETAIL_SLOTS
        if tracker.get_slot(name) not in (None, "") and (verified or name != "email")
    }
    latest: dict[str, Any] = tracker.latest_message or {}
    common = {
        "conversation_id": tracker.sender_id,
        "channel": tracker.get_latest_input_channel() or "rest",
        "language": language_of(tracker),
        "trigger": trigger,
        "details": details,
        "last_message": str(latest.get("text") or "")[:500],
    }
    if record is not None:
        return HandoffSummary(
            **common, order_id=record.order_id, items=dict(record.items), reason=record.reason,
            rma=record.rma, decision=record.decision, reasons=tuple(record.reasons),
        )  # fmt: skip
    return HandoffSummary(
        **common,
        order_id=tracker.get_slot("order_id") if verified else None,
        reason=tracker.get_slot("return_reason"),
    )


def hand_over(
    dispatcher: CollectingDispatcher, tracker: Tracker, trigger: HandoffTrigger,
    record: ReturnRecord | None = None, tell_buyer: bool = True,
) -> list[EventType]:  # fmt: skip
    """Open (or find) the conversation's ticket and pause; the buyer is told unless already."""
    try:
        bootstrap.handoff_desk().open_ticket(summary_from(tracker, trigger, record))
    except RecordStoreUnavailable:
        logger.exception("could not open a handoff ticket")
        dispatcher.utter_message(response="utter_technical_problem")
        return []
    if tell_buyer:
        hours = bootstrap.store().settings.agent_reply_hours
        dispatcher.utter_message(response="utter_handoff", hours=hours)
    return [ConversationPaused()]


class ActionHandoff(Action):
    """The buyer asked for a person, is clearly upset, or was not understood twice."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        trigger = TRIGGER_OF_INTENT.get(str(intent), HandoffTrigger.BUYER_ASKED)
        return hand_over(dispatcher, tracker, trigger)


def _missed(event: dict[str, Any]) -> bool:
    """A message that said something (letters or digits) and was not understood.

    An empty message, spaces or a lone emoji is not an attempt that failed,
    so it never counts towards bringing in a person.
    """
    intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
    text = str(event.get("text") or "")
    return intent == "nlu_fallback" and any(char.isalnum() for char in text)


class ActionNotUnderstood(Action):
    """The first miss gets the usual hint; a second miss in a row brings in a person."""

    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        said = [event for event in tracker.events if event.get("event") == "user"]
        if len(said) >= 2 and _missed(said[-1]) and _missed(said[-2]):
            return hand_over(dispatcher, tracker, HandoffTrigger.NOT_UNDERSTOOD)
        dispatcher.utter_message(response="utter_default")
        return []

