"""The website widget in headless Chromium, against the real Rasa and action servers.

Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it),
driven by Playwright without its own browser download. The demo shop is
served on its own origin, as a store's site would be. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from conftest import returnbot
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.launch import REPO_ROOT, Server, Services

pytestmark = pytest.mark.e2e

ARTIFACTS = REPO_ROOT / "test-artifacts"
RMA = re.compile(r"RMA-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")
WAIT_MS = 30_000


class Shopper:
    """A buyer on the demo shop, with the browser's console errors collected."""

    def __init__(self, context: BrowserContext, store_url: str) -> None:
        self.context = context
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.goto(store_url)

    def open_chat(self) -> None:
        self.page.get_by_test_id("order-help").click()
        expect(self.page.get_by_test_id("rb-panel")).to_be_visible()

    def say(self, text: str) -> None:
        box = self.page.get_by_test_id("rb-input")
        expect(self.page.get_by_test_id("rb-send")).to_be_enabled(timeout=WAIT_MS)
        box.fill(text)
        box.press("Enter")

    def bot_says(self, fragment: str) -> str:
        """Waits for a bot message containing ``fragment`` (any case); returns it."""
        message = self.page.locator(".rb-msg.rb-bot").filter(
            has_text=re.compile(re.escape(fragment), re.I)
        )
        expect(message.last).to_be_visible(timeout=WAIT_MS)
        return message.last.inner_text()

    def choose(self, title: str) -> None:
        choice = self.page.get_by_test_id("rb-choice").filter(
            has_text=re.compile(rf"^\s*{re.escape(title)}", re.I)
        )
        choice.first.click(timeout=WAIT_MS)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path))
        return path


def test_a_return_in_the_widget_survives_a_reload_and_receives_a_pushed_update(
    browser: Browser, demo_store: Server, assistant: Services, store_env: dict[str, str]
):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 860})
    shopper = Shopper(context, demo_store.url)
    shopper.open_chat()

    shopper.say("I want to return the mug from order 300105, it arrived broken")
    shopper.bot_says("email")
    shopper.say("web.buyer@example.de")
    shopper.bot_says("found your order 300105")
    shopper.choose("1")
    shopper.choose("Refund")
    shopper.bot_says("submit")
    shopper.choose("Yes, submit")
    decision = shopper.bot_says("RMA-")
    rma = RMA.search(decision)
    assert rma, decision
    shopper.screenshot("widget-conversation.png")

    # A reload keeps the panel open and shows the whole conversation again,
    # pressed buttons as the titles the buyer saw.
    shopper.page.reload()
    expect(shopper.page.get_by_test_id("rb-panel")).to_be_visible()
    shopper.bot_says(rma.group(0))
    log = shopper.page.get_by_test_id("rb-log")
    expect(log.locator(".rb-msg.rb-user", has_text="web.buyer@example.de")).to_have_count(1)
    expect(log.locator(".rb-msg.rb-user", has_text="Yes, submit")).to_have_count(1)
    assert "/affirm" not in log.inner_text()

    # An operator moves the return along: the open widget shows it unasked.
    env = {**store_env, "RETURNBOT_RASA_URL": assistant.rasa_url}
    told = returnbot(env, "returns", "set-status", rma.group(0), "label_sent")
    assert "buyer told: told on socketio" in told.stdout, told.stderr
    shopper.bot_says("return label sent")

    # With the panel closed, the next update is counted on the launcher.
    shopper.page.get_by_test_id("rb-launcher").click()
    expect(shopper.page.get_by_test_id("rb-panel")).to_be_hidden()
    told = returnbot(env, "returns", "set-status", rma.group(0), "received")
    assert "buyer told" in told.stdout, told.stderr
    expect(shopper.page.get_by_test_id("rb-unread")).to_have_text("1", timeout=WAIT_MS)
    shopper.screenshot("widget-unread.png")
    assert shopper.errors == []
    context.close()


def test_markup_a_buyer_types_is_shown_as_text_and_never_run(browser: Browser, demo_store: Server):
    context = browser.new_context(locale="en-US")
    shopper = Shopper(context, demo_store.url)
    shopper.open_chat()
    typed = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>hi</b>'
    replies = shopper.page.locator(".rb-msg.rb-bot")
    before = replies.count()
    shopper.say(typed)
    expect(replies).not_to_have_count(before, timeout=WAIT_MS)  # answered
    log = shopper.page.get_by_test_id("rb-log")
    expect(log.locator(".rb-msg.rb-user").last).to_have_text(typed)
    assert shopper.page.evaluate("window.__pwned") is None
    assert log.locator("b, img, script").count() == 0
    context.close()


def test_the_browser_language_is_the_hint_for_a_first_message_that_shows_none(
    browser: Browser, demo_store: Server
):
    context = browser.new_context(locale="es-ES", viewport={"width": 390, "height": 780})
    shopper = Shopper(context, demo_store.url)
    shopper.open_chat()
    shopper.say("300105")  # an order number says nothing about the language
    shopper.bot_says("correo")  # Spanish: which email did you use?
    shopper.screenshot("widget-mobile-es.png")
    assert shopper.errors == []
    context.close()


def test_the_history_endpoint_refuses_a_malformed_session_id(assistant: Services):
    history = f"{assistant.rasa_url}/webhooks/socketio/history"
    for bad in ("", "short", "../../etc/passwd", "x" * 65, "<script>"):
        answer = requests.get(history, params={"session_id": bad}, timeout=10)
        assert answer.status_code == 400, bad
        assert "session_id" in answer.json()["error"]
    unknown = requests.get(history, params={"session_id": "f" * 32}, timeout=10).json()
    assert unknown == {"session_id": "f" * 32, "messages": []}
    widget = requests.get(f"{assistant.rasa_url}/webhooks/socketio/widget.js", timeout=10)
    assert widget.status_code == 200 and "ReturnbotWidget" in widget.text
    client = requests.get(f"{assistant.rasa_url}/webhooks/socketio/socket.io.min.js", timeout=10)
    assert client.status_code == 200 and "socket.io" in client.text.lower()
