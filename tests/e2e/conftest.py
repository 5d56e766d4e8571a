"""Real servers on loopback: the action server and Rasa with the trained model."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from platform_standin import PlatformStandIn, channel_env, start_standin
from playwright.sync_api import Browser, sync_playwright

from bot.launch import (
    REPO_ROOT,
    Server,
    Services,
    current_model,
    free_port,
    start_assistant,
    start_console,
    start_demo_store,
    start_rasa,
)

NOW = "2026-10-20"
RASA_TOKEN = "e2e-rasa-api-token"
HELPDESK_SECRET = "e2e-helpdesk-secret"
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


class HelpdeskInbox:
    """A loopback helpdesk that takes the ticket webhook and keeps what arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                inbox.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(202)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/returnbot"


@pytest.fixture(scope="session")
def helpdesk() -> Iterator[HelpdeskInbox]:
    inbox = HelpdeskInbox()
    try:
        yield inbox
    finally:
        inbox.server.shutdown()
        inbox.server.server_close()


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
    tmp_path_factory: pytest.TempPathFactory,
    platforms: PlatformStandIn,
    store_port: int,
    helpdesk: HelpdeskInbox,
) -> dict[str, str]:
    db = tmp_path_factory.mktemp("store") / "returnbot.db"
    env = _env(f"sqlite:///{db}")
    env.update(channel_env(platforms))  # every messaging channel on, aimed at the stand-in
    env["RETURNBOT_WIDGET_ORIGINS"] = f"http://127.0.0.1:{store_port}"
    env["RETURNBOT_RASA_TOKEN"] = RASA_TOKEN  # Rasa's HTTP API needs it, as in production
    env["RETURNBOT_HELPDESK_WEBHOOK_URL"] = helpdesk.url
    env["RETURNBOT_HELPDESK_WEBHOOK_SECRET"] = HELPDESK_SECRET
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


AGENT_PASSWORD = "correct horse battery staple"


class Console:
    """An agent logged in to the console over HTTP, as a browser would be."""

    def __init__(self, url: str, username: str, password: str = AGENT_PASSWORD) -> None:
        self.url = url
        self.http = requests.Session()
        form = self.http.get(f"{url}/login", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert csrf, form
        landed = self.http.post(
            f"{url}/login", data={"csrf_token": csrf.group(1), "username": username,
                                  "password": password}, timeout=30,
        )  # fmt: skip
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', landed.text)
        self.csrf = token.group(1) if token else ""
        self.logged_in = "/login" not in landed.url

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.url}{path}", timeout=30)

    def post(
        self, path: str, body: dict[str, Any] | None = None, csrf: bool = True
    ) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.post(f"{self.url}{path}", json=body or {}, headers=headers, timeout=30)

    def queue(self) -> list[dict[str, Any]]:
        reply = self.get("/api/queue")
        reply.raise_for_status()
        tickets: list[dict[str, Any]] = reply.json()["tickets"]
        return tickets


@pytest.fixture(scope="session")
def console_url(
    assistant: Services, store_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The agent console on the running Rasa, with agents ana, ben and cleo."""
    for agent in ("ana", "ben", "cleo"):
        made = subprocess.run(
            [str(Path(sys.executable).parent / "returnbot"), "agents", "add", agent,
             "--name", agent.title(), "--password-stdin"],
            input=AGENT_PASSWORD + "\n", env=store_env, cwd=REPO_ROOT,
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
    server = start_console(store_env, assistant.rasa_url, free_port(),
                           tmp_path_factory.mktemp("console-logs"))  # fmt: skip
    try:
        yield server.url
    finally:
        server.stop()


# --- headless Chromium (Debian's package; .ci/run installs it) ----------------------------

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does)")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
