"""Real servers on loopback: the action server and Rasa with the trained model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from platform_standin import PlatformStandIn, channel_env, start_standin

from bot.launch import (
    REPO_ROOT,
    Server,
    Services,
    current_model,
    free_port,
    start_assistant,
    start_demo_store,
    start_rasa,
)

NOW = "2026-10-20"
DATA = REPO_ROOT / "tests" / "data"


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RETURNBOT_DB_URL=db_url,
        RETURNBOT_NOW=NOW,
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def returnbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "returnbot"), *args],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class Chat:
    """One buyer's conversation over REST."""

    def __init__(self, rasa_url: str, sender: str | None = None) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = sender or f"buyer-{uuid.uuid4().hex[:10]}"

    def say(self, text: str, **metadata: Any) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        reply = requests.post(self.url, json=body, timeout=60)
        reply.raise_for_status()
        messages: list[dict[str, Any]] = reply.json()
        return messages

    def text(self, text: str, **metadata: Any) -> str:
        """The bot's reply as one lower-cased string (buttons' titles included)."""
        parts = []
        for message in self.say(text, **metadata):
            parts.append(message.get("text") or "")
            parts += [b.get("title", "") for b in message.get("buttons") or []]
        return "\n".join(parts).lower()


@pytest.fixture(scope="session")
def store_port() -> int:
    """The demo shop's port: Rasa must know the shop's origin (CORS) before it starts."""
    return free_port()


@pytest.fixture(scope="session")
def platforms() -> Iterator[PlatformStandIn]:
    """Telegram's, Twilio's, Messenger's and Slack's send APIs, on loopback."""
    standin = start_standin()
    try:
        yield standin
    finally:
        standin.stop()


@pytest.fixture(scope="session")
def store_env(
    tmp_path_factory: pytest.TempPathFactory, platforms: PlatformStandIn, store_port: int
) -> dict[str, str]:
    db = tmp_path_factory.mktemp("store") / "returnbot.db"
    env = _env(f"sqlite:///{db}")
    env.update(channel_env(platforms))  # every messaging channel on, aimed at the stand-in
    env["RETURNBOT_WIDGET_ORIGINS"] = f"http://127.0.0.1:{store_port}"
    for orders in (
        "sample_orders.json",
        "e2e_orders.json",
        "language_orders.json",
        "channel_orders.json",
    ):
        result = returnbot(env, "orders", "import", str(DATA / orders))
        assert result.returncode == 0, result.stderr
    return env


@pytest.fixture(scope="session")
def assistant(
    store_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Services]:
    services = start_assistant(store_env, current_model(), tmp_path_factory.mktemp("logs"))
    try:
        yield services
    finally:
        services.stop()


@pytest.fixture()
def chat(assistant: Services) -> Chat:
    return Chat(assistant.rasa_url)


@pytest.fixture()
def exported(store_env: dict[str, str]) -> Any:
    def export() -> list[dict[str, Any]]:
        result = returnbot(store_env, "returns", "export", "--format", "json")
        assert result.returncode == 0, result.stderr
        records: list[dict[str, Any]] = json.loads(result.stdout)
        return records

    return export


@pytest.fixture(scope="session")
def rasa_without_actions(
    store_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Rasa whose action server is down (nothing listens on its port)."""
    dead_port = free_port()
    server = start_rasa(
        store_env, free_port(), current_model(), f"http://127.0.0.1:{dead_port}",
        tmp_path_factory.mktemp("dead-actions"),
    )  # fmt: skip
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_store(
    assistant: Services,
    store_env: dict[str, str],
    store_port: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """The demo shop page with the chat widget, talking to the running Rasa."""
    server = start_demo_store(
        assistant.rasa_url, store_port, tmp_path_factory.mktemp("store-logs"), store_env
    )
    try:
        yield server
    finally:
        server.stop()
