"""The agent console in headless Chromium: log in, take, reply, resolve.

The buyer writes over REST; what they wrote, markup included, must show in
the console as text. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest
from conftest import AGENT_PASSWORD, Chat, Console
from playwright.sync_api import Browser, Page, expect
from test_handoff import ticket_for
from test_widget_browser import ARTIFACTS, WAIT_MS, Shopper

pytestmark = pytest.mark.e2e


def log_in(page: Page, console_url: str, username: str) -> None:
    page.goto(f"{console_url}/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(AGENT_PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("queue")).to_be_visible()


def test_an_agent_logs_in_takes_replies_and_resolves_in_the_browser(
    browser: Browser,
    assistant,
    console_url,
):
    chat = Chat(assistant.rasa_url)
    assert "person" in chat.text("I need to speak to a human agent")
    marked_up = "<script>window.__pwned=1</script><b>where is my money</b>"
    assert chat.say(marked_up) == []  # paused: kept for the agent, not answered
    ticket = ticket_for(Console(console_url, "ana"), chat.sender)

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, console_url, "ana")
    row = page.get_by_test_id("queue-row").filter(has_text=f"#{ticket['id']}")
    expect(row).to_be_visible(timeout=WAIT_MS)
    row.get_by_role("link").click()

    transcript = page.get_by_test_id("transcript")
    expect(transcript.get_by_text(marked_up, exact=True)).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("window.__pwned") is None
    assert transcript.locator("b, script").count() == 0

    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("holder")).to_have_text("You have this ticket.")
    page.get_by_test_id("reply").fill("Hello, this is Ana. Let me check your order.")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("line-agent").last).to_contain_text("Let me check your order")
    # A REST client cannot be written to: the agent is told it is only kept.
    expect(page.get_by_test_id("notice")).to_contain_text("cannot receive messages")

    # A new buyer message appears without reloading.
    chat.say("thank you!")
    expect(transcript.get_by_text("thank you!", exact=True)).to_be_visible(timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "console-ticket.png"))

    page.get_by_test_id("note").fill("answered by phone")
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("status")).to_have_text("closed", timeout=WAIT_MS)
    expect(page.get_by_test_id("take")).to_be_disabled()
    assert "returns assistant" in chat.text("hello").lower()  # the assistant answers again
    assert errors == []
    context.close()


def test_a_second_agent_sees_who_holds_the_ticket(
    browser: Browser,
    assistant,
    console_url,
):
    chat = Chat(assistant.rasa_url)
    chat.text("let me talk to a real person")
    ticket = ticket_for(Console(console_url, "ana"), chat.sender)
    assert Console(console_url, "ana").post(f"/api/tickets/{ticket['id']}/take").ok

    context = browser.new_context()
    page = context.new_page()
    log_in(page, console_url, "ben")
    page.goto(f"{console_url}/tickets/{ticket['id']}")
    expect(page.get_by_test_id("holder")).to_have_text(re.compile("Taken by ana"), timeout=WAIT_MS)
    expect(page.get_by_test_id("take")).to_be_disabled()
    expect(page.get_by_test_id("send")).to_be_disabled()
    context.close()


def test_an_agents_reply_reaches_a_buyer_in_the_website_widget(
    browser: Browser,
    assistant,
    demo_store,
    console_url,
):
    context = browser.new_context(locale="en-GB")
    shopper = Shopper(context, demo_store.url)
    shopper.open_chat()
    shopper.say("I want to talk to a person please")
    shopper.bot_says("person from our team")
    session_id = shopper.page.evaluate("window.ReturnbotWidget.sessionId()")

    ana = Console(console_url, "ana")
    ticket = ticket_for(ana, session_id)
    assert ticket["channel"] == "socketio"
    assert ana.post(f"/api/tickets/{ticket['id']}/take").ok
    sent = ana.post(f"/api/tickets/{ticket['id']}/reply", {"text": "Hi, Ana here. How can I help?"})
    assert sent.json() == {"sent": True, "delivered": True}
    shopper.bot_says("Ana here")
    assert ana.post(f"/api/tickets/{ticket['id']}/hand-back").ok
    shopper.bot_says("Hi again, this is the returns assistant")
    assert shopper.errors == []
    context.close()
