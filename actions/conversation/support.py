"""Policy questions, cancelling, and bringing in a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bootstrap
from actions.conversation.replies import bonus_text
from actions.conversation.slots import language_of, reset_return_events
from actions.language.text_match import best_match, load_lexicon


class ActionAnswerPolicy(Action):
    """Answers a policy question from the store's own policy numbers."""

    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        policy = bootstrap.store().policy
        text = str((tracker.latest_message or {}).get("text") or "")
        topic = best_match(text, load_lexicon(language_of(tracker)).policy_topics) or "general"
        dispatcher.utter_message(
            response=f"utter_policy_{topic}",
            store_days=policy.return_window_days,
            eu_days=policy.withdrawal.floor_days.get("EU", 14),
            claim_days=policy.seller_fault.claim_window_days,
            bonus=bonus_text(policy),
            refund_days=policy.refund_within_days,
            grace_days=policy.delivery.late_grace_days,
            lost_days=policy.delivery.lost_after_days,
        )
        if tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_back_to_form")
        return []


class ActionCancelReturn(Action):
    def name(self) -> str:
        return "action_cancel_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_cancelled")
        return reset_return_events()
