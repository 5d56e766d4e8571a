"""Conversations are kept in a SQLite tracker store: a Rasa restart loses none."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from conftest import Chat

from bot.launch import Services, current_model, free_port, start_rasa

pytestmark = pytest.mark.e2e


def test_a_paused_conversation_and_its_transcript_outlive_a_rasa_restart(
    assistant: Services, store_env: dict[str, str], tmp_path: Path
):
    db = tmp_path / "conversations.db"

    def rasa(name: str):
        (tmp_path / name).mkdir()
        return start_rasa(store_env, free_port(), current_model(), assistant.action_url,
                          tmp_path / name, conversations_db=db)  # fmt: skip

    first = rasa("before")
    try:
        chat = Chat(first.url)
        assert "person from our team" in chat.text("I want to talk to a person please")
        assert chat.say("are you still there?") == []  # paused: kept, not answered
    finally:
        first.stop()

    second = rasa("after")
    try:
        history = requests.get(f"{second.url}/webhooks/socketio/history",
                               params={"session_id": chat.sender}, timeout=30).json()  # fmt: skip
        said = [m["text"] for m in history["messages"]]
        assert said[0] == "I want to talk to a person please"
        assert said[-1] == "are you still there?"
        again = Chat(second.url, chat.sender)
        assert again.say("hello?") == []  # still with a person after the restart
    finally:
        second.stop()
