"""Builders of real rasa_sdk trackers, shaped like the ones Rasa sends the action server."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

JANE = "jane.doe@example.com"
MARIA = "m.silva@example.com.br"


def user(text: str, intent: str = "inform", **entities: str) -> dict[str, Any]:
    """A UserUttered event as Rasa serialises it."""
    return {
        "event": "user",
        "text": text,
        "input_channel": "rest",
        "parse_data": parse_data(text, intent, **entities),
    }


def parse_data(text: str, intent: str = "inform", **entities: str) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": [{"entity": name, "value": value} for name, value in entities.items()],
    }


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def tracker(
    slots: dict[str, Any],
    events: list[dict[str, Any]],
    *,
    sender: str = "buyer-1",
    active_loop: str | None = None,
    slot_defaults: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is the last user event of ``events``."""
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    all_slots = dict(slot_defaults or {})
    all_slots.update(slots)
    return Tracker(
        sender_id=sender,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=next(
            (e["name"] for e in reversed(events) if e["event"] == "action"), None
        ),
    )


def run(action_: Action, tracker_: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(events, messages)`` of running the action once."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action_.run(dispatcher, tracker_, {}))
    return list(events), dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [m["response"] for m in messages]


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, last value wins."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
