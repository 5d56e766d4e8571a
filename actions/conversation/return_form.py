"""The return form's Rasa actions: validation and the questions that need the order."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bootstrap
from actions.conversation.flow import (
    ALL_ITEMS,
    FormState,
    Say,
    advance,
    next_slot,
    offered_resolutions,
)
from actions.conversation.replies import (
    bonus_text,
    inform_payload,
    say_all,
    summary_variables,
)
from actions.conversation.slots import (
    is_new_user_turn,
    language_of,
    slot_events,
    state_from_tracker,
    texts_since_form_started,
    turn_from_tracker,
)
from actions.domain.orders import Order
from actions.language.labels import label
from actions.language.text_match import load_lexicon
from actions.service.errors import ServiceError

logger = logging.getLogger(__name__)

# Earlier messages worth searching for an item name: the request's start.
_EARLIER_TEXTS = 5


class ValidateReturnForm(Action):
    """Reads each buyer message into the return form (see ``flow.advance``)."""

    def name(self) -> str:
        return "validate_return_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        desk = bootstrap.desk()
        before = state_from_tracker(tracker)
        if not is_new_user_turn(tracker, "return_form"):
            return [SlotSet("requested_slot", next_slot(before))]
        try:
            step = advance(
                before,
                turn_from_tracker(tracker),
                verify=desk.verify_order,
                returnable=desk.returnable_units,
                lexicon=load_lexicon(language_of(tracker)),
                earlier_texts=texts_since_form_started(tracker, "return_form")[-_EARLIER_TEXTS:],
            )
        except ServiceError as error:
            logger.error("return form step failed: %s", error)
            dispatcher.utter_message(response="utter_technical_problem")
            return [SlotSet("requested_slot", None), SlotSet("form_stopped", True)]
        if step.digression:
            return []  # the form rejects; a rule answers the digression
        say_all(dispatcher, step.said)
        events = slot_events(before, step.state, always=before.requested_slot)
        events.append(SlotSet("requested_slot", step.next_slot))
        return events


def _verified_order(tracker: Tracker) -> Order | None:
    state = state_from_tracker(tracker)
    if not (state.order_verified and state.order_id and state.email):
        return None
    try:
        return bootstrap.desk().verify_order(state.order_id, state.email)
    except ServiceError:
        return None


class AskReturnItem(Action):
    """Offers the order's returnable items as buttons (only after verification)."""

    def name(self) -> str:
        return "action_ask_return_item"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        order = _verified_order(tracker)
        if order is None:
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        free = bootstrap.desk().returnable_units(order)
        buttons = [
            {
                "title": f"{item.name} ({free[item.sku]})" if free[item.sku] > 1 else item.name,
                "payload": inform_payload("return_item", item.sku),
            }
            for item in order.items
            if free.get(item.sku, 0) > 0
        ]
        dispatcher.utter_message(response="utter_ask_return_item", buttons=buttons)
        return []


class AskReturnQuantity(Action):
    def name(self) -> str:
        return "action_ask_return_quantity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        order = _verified_order(tracker)
        sku = tracker.get_slot("return_item")
        item = order.item(sku) if order and sku and sku != ALL_ITEMS else None
        if order is None or item is None:
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        available = bootstrap.desk().returnable_units(order).get(item.sku, 0)
        buttons = [
            {"title": str(n), "payload": inform_payload("quantity", str(n))}
            for n in range(1, min(available, 5) + 1)
        ]
        dispatcher.utter_message(
            response="utter_quantity_not_understood", buttons=buttons, max=available
        )
        return []


class AskResolution(Action):
    """Offers only the resolutions the policy allows for the reason given."""

    def name(self) -> str:
        return "action_ask_resolution"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = state_from_tracker(tracker)
        policy = bootstrap.store().policy
        bonus = bonus_text(policy)
        language = language_of(tracker)
        buttons = [
            {
                "title": label("resolution", resolution.value, language, bonus=bonus),
                "payload": inform_payload("resolution", resolution.value),
            }
            for resolution in offered_resolutions(state)
        ]
        dispatcher.utter_message(response="utter_ask_resolution", buttons=buttons)
        return []


class AskReturnConfirmed(Action):
    """Sums the return up and asks before anything is submitted."""

    def name(self) -> str:
        return "action_ask_return_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        order = _verified_order(tracker)
        if order is None:
            dispatcher.utter_message(response="utter_technical_problem")
            return []
        state: FormState = state_from_tracker(tracker)
        variables: dict[str, Any] = summary_variables(
            state, order, language_of(tracker), bootstrap.store().policy
        )
        say_all(dispatcher, [Say("utter_confirm_return_summary", variables)])
        return []
