"""Submitting a confirmed return and telling the buyer the decision."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bootstrap
from actions.conversation.handoff import hand_over
from actions.conversation.replies import explain_decision, requested_units, say_all
from actions.conversation.slots import language_of, reset_return_events, state_from_tracker
from actions.domain.handoff import HandoffTrigger
from actions.domain.requests import Condition, Reason, Resolution
from actions.service.errors import RecordStoreUnavailable, ServiceError
from actions.service.returns import SubmitReturn

logger = logging.getLogger(__name__)


class ActionSubmitReturn(Action):
    """Runs when the return form ends: submits if confirmed, else tidies up."""

    def name(self) -> str:
        return "action_submit_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = state_from_tracker(tracker)
        if state.verification_locked or state.stopped or state.return_confirmed is not True:
            return reset_return_events()
        store = bootstrap.store()
        language = language_of(tracker)
        assert state.order_id and state.email and state.return_reason
        try:
            order = store.desk.verify_order(state.order_id, state.email)
            items = requested_units(state, order, store.desk.returnable_units(order))
            if not items:
                dispatcher.utter_message(
                    response="utter_nothing_returnable", order_id=order.order_id
                )
                return reset_return_events()
            submitted = store.desk.submit(
                SubmitReturn(
                    conversation_id=tracker.sender_id,
                    channel=tracker.get_latest_input_channel() or "rest",
                    language=language,
                    order_id=state.order_id,
                    email=state.email,
                    items=items,
                    reason=Reason(state.return_reason),
                    condition=Condition(state.item_condition) if state.item_condition else None,
                    resolution=Resolution(state.resolution or "refund"),
                )
            )
        except RecordStoreUnavailable:
            dispatcher.utter_message(response="utter_record_store_unavailable")
            return [SlotSet("return_confirmed", None)]
        except ServiceError as error:
            logger.error("submitting a return failed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_technical_problem")
            return [SlotSet("return_confirmed", None)]
        record = submitted.record
        if submitted.decision is None:
            dispatcher.utter_message(response="utter_duplicate_submission", rma=record.rma)
        else:
            say_all(
                dispatcher,
                explain_decision(
                    submitted.decision,
                    record,
                    order,
                    store.policy,
                    language,
                    store.settings.agent_reply_hours,
                ),
            )
        if submitted.decision is not None and record.decision == "escalate":
            # The policy leaves it to a person: the buyer was told so; wait for them.
            return [*reset_return_events(), SlotSet("last_rma", record.rma), *hand_over(
                dispatcher, tracker, HandoffTrigger.POLICY, record, tell_buyer=False
            )]  # fmt: skip
        dispatcher.utter_message(response="utter_anything_else")
        return [*reset_return_events(), SlotSet("last_rma", record.rma)]


class ActionResumeOrHelp(Action):
    """A "yes" outside a form: resubmit a return that failed to save, else ask how to help."""

    def name(self) -> str:
        return "action_resume_or_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = state_from_tracker(tracker)
        if state.order_verified and state.return_reason and state.return_confirmed is None:
            return [FollowupAction("return_form")]
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []
