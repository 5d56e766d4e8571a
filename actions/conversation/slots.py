"""Translate between Rasa trackers and the form's plain state."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.conversation.flow import FormState, Turn

FORM_SLOTS = tuple(f.name for f in fields(FormState) if f.name not in ("requested_slot", "stopped"))
RETURN_DETAIL_SLOTS = ("return_reason", "return_item", "return_quantity", "item_condition",
                       "resolution", "return_confirmed")  # fmt: skip


def language_of(tracker: Tracker) -> str:
    """The conversation's language; before the slot is set, the detector's answer."""
    detected = (tracker.latest_message or {}).get("language") or {}
    return str(tracker.get_slot("language") or detected.get("code") or "en")


def state_from_tracker(tracker: Tracker) -> FormState:
    def slot(name: str) -> Any:
        return tracker.get_slot(name)

    quantity = slot("return_quantity")
    return FormState(
        order_id=slot("order_id"),
        email=slot("email"),
        order_verified=bool(slot("order_verified")),
        verification_failures=int(slot("verification_failures") or 0),
        verification_locked=bool(slot("verification_locked")),
        return_reason=slot("return_reason"),
        return_item=slot("return_item"),
        return_quantity=None if quantity is None else int(quantity),
        item_condition=slot("item_condition"),
        resolution=slot("resolution"),
        return_confirmed=slot("return_confirmed"),
        requested_slot=slot("requested_slot"),
        stopped=bool(slot("form_stopped")),
    )


def slot_events(before: FormState, after: FormState, always: str | None = None) -> list[EventType]:
    """SlotSet for each changed slot (and ``always``, so Rasa sees an answer)."""
    events: list[EventType] = []
    for name in FORM_SLOTS:
        new = getattr(after, name)
        if new != getattr(before, name) or name == always:
            events.append(SlotSet(name, new))
    if after.stopped != before.stopped:
        events.append(SlotSet("form_stopped", after.stopped))
    return events


def turn_from_tracker(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    entities: dict[str, list[str]] = {}
    for entity in message.get("entities") or []:
        name = entity.get("entity")
        if name and entity.get("value") is not None:
            entities.setdefault(name, []).append(str(entity["value"]))
    intent = (message.get("intent") or {}).get("name")
    return Turn(text=str(message.get("text") or ""), intent=intent, entities=entities)


def texts_since_form_started(tracker: Tracker, form: str) -> tuple[str, ...]:
    """The buyer's messages since ``form`` was activated, latest excluded.

    Includes the message that activated the form ("return the mug from
    order 100482"), which comes just before the form's activation event.
    """
    texts: list[str] = []
    activated = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            activated = True
        elif event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
            if activated:
                break
    texts.reverse()
    return tuple(texts[:-1])


def is_new_user_turn(tracker: Tracker, form: str) -> bool:
    """True when the form runs on a fresh buyer message.

    False on its way back from a digression (a rule answered a policy
    question, then the form resumes).

    Rasa hands the validation action a tracker ending in ``ActionExecuted(form)``;
    what ran before that tells which case this is.
    """
    skipped_form = False
    for event in reversed(tracker.events):
        if event.get("event") != "action":
            continue
        name = event.get("name")
        if name == form and not skipped_form:
            skipped_form = True
            continue
        return bool(name == "action_listen")
    return True


def reset_return_events() -> list[EventType]:
    """Forget one return's details; keep who the buyer is and the language."""
    return [SlotSet(name, None) for name in RETURN_DETAIL_SLOTS] + [
        SlotSet("form_stopped", False),
        SlotSet("requested_slot", None),
    ]
