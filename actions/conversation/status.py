"""Checking on an existing return: the buyer proves it is theirs first."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bootstrap
from actions.conversation.flow import MAX_VERIFICATION_FAILURES, NOT_ANSWERS
from actions.conversation.slots import is_new_user_turn, language_of, turn_from_tracker
from actions.domain.orders import is_valid_email, is_valid_order_id
from actions.domain.returns import normalise_rma
from actions.language.formatting import money
from actions.language.labels import label
from actions.service.errors import MalformedOrderId, RecordStoreUnavailable, ReturnNotFound


def _reference(text: str) -> str | None:
    candidate = text.strip()
    if normalise_rma(candidate) and candidate.upper().startswith("RMA"):
        return normalise_rma(candidate)
    return candidate if is_valid_order_id(candidate) else None


class ValidateStatusForm(Action):
    """Collects an RMA or order number and the email, then checks they match."""

    def name(self) -> str:
        return "validate_status_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = turn_from_tracker(tracker)
        asked = tracker.get_slot("requested_slot")
        if tracker.get_slot("verification_locked"):
            dispatcher.utter_message(response="utter_verification_locked")
            return [SlotSet("requested_slot", None)]
        reference = tracker.get_slot("status_reference")
        email = tracker.get_slot("email")
        if not is_new_user_turn(tracker, "status_form"):
            return [SlotSet("requested_slot", "status_reference" if not reference else "email")]
        if turn.intent in NOT_ANSWERS:
            return []  # the form rejects; a rule answers, then asks again
        events: list[EventType] = []

        found = turn.entity("rma") or turn.entity("order_id")
        if found is None and asked == "status_reference" and turn.text.strip():
            found = _reference(turn.text)
            if found is None:
                if turn.intent in ("ask_policy", "request_human", "cancel", "request_return"):
                    return []
                dispatcher.utter_message(response="utter_invalid_status_reference")
        if found:
            reference = found
        events.append(SlotSet("status_reference", reference))

        given = turn.entity("email")
        if given is None and asked == "email" and turn.text.strip():
            if is_valid_email(turn.text):
                given = turn.text.strip()
            else:
                dispatcher.utter_message(response="utter_invalid_email")
        if given:
            email = given
        events.append(SlotSet("email", email))

        if reference and email:
            try:
                bootstrap.desk().returns_of_buyer(
                    email,
                    rma=reference if reference.upper().startswith("RMA-") else None,
                    order_id=None if reference.upper().startswith("RMA-") else reference,
                )
            except (ReturnNotFound, MalformedOrderId):
                failures = int(tracker.get_slot("verification_failures") or 0) + 1
                events += [SlotSet("verification_failures", failures), SlotSet("email", None),
                           SlotSet("status_reference", None)]  # fmt: skip
                if failures >= MAX_VERIFICATION_FAILURES:
                    dispatcher.utter_message(response="utter_verification_locked")
                    return [*events, SlotSet("verification_locked", True),
                            SlotSet("requested_slot", None)]  # fmt: skip
                dispatcher.utter_message(
                    response="utter_return_not_found",
                    remaining=MAX_VERIFICATION_FAILURES - failures,
                )
                return [*events, SlotSet("requested_slot", "status_reference")]
            except RecordStoreUnavailable:
                dispatcher.utter_message(response="utter_technical_problem")
                return [*events, SlotSet("requested_slot", None)]
            return [*events, SlotSet("requested_slot", None)]
        next_slot = "status_reference" if not reference else "email"
        return [*events, SlotSet("requested_slot", next_slot)]


class ActionShowStatus(Action):
    def name(self) -> str:
        return "action_show_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reference = tracker.get_slot("status_reference")
        email = tracker.get_slot("email")
        done = [SlotSet("status_reference", None)]
        if not reference or not email or tracker.get_slot("verification_locked"):
            return done
        language = language_of(tracker)
        is_rma = str(reference).upper().startswith("RMA-")
        try:
            records = bootstrap.desk().returns_of_buyer(
                email, rma=reference if is_rma else None, order_id=None if is_rma else reference
            )
        except (ReturnNotFound, MalformedOrderId, RecordStoreUnavailable):
            dispatcher.utter_message(response="utter_technical_problem")
            return done
        for record in records:
            items = ", ".join(
                f"{sku}" if qty == 1 else f"{qty} × {sku}" for sku, qty in record.items.items()
            )
            detail = (
                money(record.refund_total, record.currency, language)
                if record.refund_total is not None
                else ""
            )
            dispatcher.utter_message(
                response="utter_status_line",
                rma=record.rma,
                items=items,
                status=label("status", record.status.value, language),
                detail=detail,
            )
        dispatcher.utter_message(response="utter_anything_else")
        return done


class ActionAnnounceReturnStatus(Action):
    """Tells the buyer, unasked, that an operator moved their return along.

    Triggered through Rasa's HTTP API (``EXTERNAL_return_status_changed`` with
    an ``rma`` entity) on the conversation the return was made in; a return
    of another conversation is never shown.
    """

    def name(self) -> str:
        return "action_announce_return_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        rma = next(tracker.get_latest_entity_values("rma"), None)
        if not rma:
            return []
        try:
            record = bootstrap.desk().get(str(rma))
        except (ReturnNotFound, RecordStoreUnavailable):
            return []
        if record.conversation_id != tracker.sender_id:
            return []
        language = language_of(tracker)
        detail = ""
        if record.status.value == "refunded" and record.refund_total is not None:
            detail = money(record.refund_total, record.currency, language)
        dispatcher.utter_message(
            response="utter_return_status_update",
            rma=record.rma,
            status=label("status", record.status.value, language),
            detail=detail,
        )
        return []
