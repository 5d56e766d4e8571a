"""A person takes over: ticket, agent console, reply on the buyer's channel, hand back.

Real Rasa, action server and console processes; the buyer writes on
Telegram (replayed updates, replies read from the loopback stand-in of the
Bot API) or over REST.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time

import pytest
import requests
from conftest import HELPDESK_SECRET, Chat, Console
from test_channels import RMA, MessengerBuyer, SlackBuyer, TelegramBuyer, keyboard, texts

pytestmark = pytest.mark.e2e


def posted_ticket(helpdesk, conversation_id: str, timeout: float = 15) -> tuple[dict, bytes]:
    """The helpdesk's copy of the conversation's ticket (it is sent in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for headers, raw in list(helpdesk.received):
            if conversation_id in raw.decode():
                return headers, raw
        time.sleep(0.1)
    raise AssertionError(f"the helpdesk got no ticket for {conversation_id}")


def has_keyboard(sent: list) -> bool:
    return any("reply_markup" in s.body for s in sent)


def ticket_for(console: Console, conversation_id: str, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [t for t in console.queue() if t["conversation_id"] == conversation_id]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no ticket for {conversation_id}")


def test_an_escalated_return_is_worked_by_an_agent_and_handed_back(
    assistant, platforms, console_url, exported, helpdesk
):
    buyer = TelegramBuyer(assistant, platforms, "en")
    buyer.send(text="I want to return the camera from order 300106, it stopped working")
    sent = buyer.send(text="handoff.buyer@example.com")
    for _ in range(5):  # answer whatever is asked with its first option, a refund, or yes
        choices = [b["callback_data"] for b in keyboard(sent)] if has_keyboard(sent) else []
        if "/affirm" in choices:
            sent = buyer.press("/affirm")
            break
        refund = [c for c in choices if "refund" in c]
        sent = buyer.press(refund[0] if refund else choices[0])
    asked = texts(sent)
    rma = RMA.search(asked)
    assert rma and "person from our team" in asked, asked

    ana = Console(console_url, "ana")
    assert ana.logged_in
    ticket = ticket_for(ana, str(buyer.chat_id))
    assert ticket["trigger"] == "policy_escalation" and ticket["status"] == "waiting"
    assert ticket["rma"] == rma.group(0) and ticket["decision"] == "escalate"
    assert ticket["order_id"] == "300106" and ticket["items"] == {"CAM-900": 1}
    assert ticket["channel"] == "telegram" and ticket["language"] == "en"
    assert ticket["reasons"], ticket  # the policy's reason codes, the deciding one first

    # The helpdesk heard of it too, signed.
    headers, raw = posted_ticket(helpdesk, str(buyer.chat_id))
    expected = hmac.new(HELPDESK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    assert headers["x-returnbot-signature"] == f"sha256={expected}"
    posted = json.loads(raw)
    assert posted["event"] == "handoff.ticket_opened" and posted["ticket"]["rma"] == rma.group(0)

    # Paused: the buyer's message is kept for the agent, and the bot stays quiet.
    assert buyer.send(text="hello? is anyone there?") == []
    path = f"/api/tickets/{ticket['id']}"
    shown = ana.get(path).json()["transcript"]
    assert shown[-1] == {**shown[-1], "sender": "buyer", "text": "hello? is anyone there?",
                         "while_paused": True}  # fmt: skip

    assert ana.post(f"{path}/reply", {"text": "too early"}).status_code == 409  # take it first
    assert ana.post(f"{path}/take").status_code == 200
    reply = ana.post(
        f"{path}/reply", {"text": "Hi, I'm Ana from the shop. Sorry about the camera!"}
    )
    assert reply.json() == {"sent": True, "delivered": True}, reply.text
    told = platforms.messages("telegram", str(buyer.chat_id))[-1].text
    assert told == "Hi, I'm Ana from the shop. Sorry about the camera!"
    lines = ana.get(path).json()["transcript"]
    assert lines[-1]["sender"] == "agent" and lines[-1]["agent"] == "ana"

    decided = ana.post(f"{path}/decide", {"decision": "approve", "note": "faulty on arrival"})
    assert decided.json() == {"status": "approved"}
    record = next(r for r in exported() if r["rma"] == rma.group(0))
    assert record["status"] == "approved"

    assert ana.post(f"{path}/hand-back").status_code == 200
    back = platforms.messages("telegram", str(buyer.chat_id))[-1].text
    assert "returns assistant" in back.lower()
    assert "returns assistant" in texts(buyer.send(text="hi")).lower()  # answering again
    assert all(t["conversation_id"] != str(buyer.chat_id) for t in ana.queue())


def test_two_agents_taking_one_ticket_at_once_one_wins_and_the_other_is_told(
    assistant, console_url
):
    chat = Chat(assistant.rasa_url)
    assert "person" in chat.text("I want to talk to a human please")
    ana, ben = Console(console_url, "ana"), Console(console_url, "ben")
    ticket = ticket_for(ana, chat.sender)
    assert ticket["trigger"] == "buyer_asked"

    results: dict[str, requests.Response] = {}
    start = threading.Barrier(2)

    def take(name: str, console: Console) -> None:
        start.wait()
        results[name] = console.post(f"/api/tickets/{ticket['id']}/take")

    threads = [threading.Thread(target=take, args=pair) for pair in (("ana", ana), ("ben", ben))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 409], {k: r.text for k, r in results.items()}
    loser = next(r for r in results.values() if r.status_code == 409).json()
    winner = next(name for name, r in results.items() if r.status_code == 200)
    assert loser["agent"] == winner and "already taken" in loser["error"]


def test_being_misunderstood_twice_brings_in_a_person(assistant, console_url):
    chat = Chat(assistant.rasa_url)
    # What the NLU makes of gibberish is the model's business; the dialogue's
    # part is what follows two misses, so the misses are sent as such.
    first = chat.text("/nlu_fallback")
    assert "didn't quite get that" in first and "person" not in first
    second = chat.text("/nlu_fallback")
    assert "person from our team" in second, second
    ticket = ticket_for(Console(console_url, "ana"), chat.sender)
    assert ticket["trigger"] == "not_understood_twice"


def test_the_console_needs_a_login_and_the_csrf_token(assistant, console_url):
    anonymous = requests.get(f"{console_url}/api/queue", timeout=10)
    assert anonymous.status_code == 401
    # Rasa's HTTP API, which the console writes through, wants its token too.
    tracker = f"{assistant.rasa_url}/conversations/anyone/tracker"
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": "guess"}, timeout=10).status_code == 401
    landing = requests.get(f"{console_url}/", timeout=10, allow_redirects=False)
    assert landing.status_code in (302, 303) and landing.headers["Location"].endswith("/login")
    wrong = Console(console_url, "ana", password="not the password at all")
    assert not wrong.logged_in
    ana = Console(console_url, "ana")
    assert ana.post("/api/tickets/1/take", csrf=False).status_code == 403
    page = ana.get("/")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert ana.post("/api/tickets/999999/take").status_code == 404

    login = requests.Session()
    form = login.get(f"{console_url}/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = login.post(f"{console_url}/login", allow_redirects=False, timeout=30,
                        data={"csrf_token": csrf, "username": "ana",
                              "password": "correct horse battery staple"})  # fmt: skip
    cookie = answer.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    forged = requests.post(f"{console_url}/login", allow_redirects=False, timeout=30,
                           data={"csrf_token": "made-up", "username": "ana",
                                 "password": "correct horse battery staple"})  # fmt: skip
    assert forged.headers["Location"].endswith("/login?error=expired")


def test_a_clearly_upset_buyer_is_handed_to_a_person_in_their_language(assistant, console_url):
    chat = Chat(assistant.rasa_url)
    reply = chat.text(
        "Esto es una vergüenza, llevo semanas esperando. Voy a poner una reclamación a la OCU"
    )
    assert "persona de nuestro equipo" in reply, reply
    ticket = ticket_for(Console(console_url, "ana"), chat.sender)
    assert ticket["trigger"] == "buyer_upset" and ticket["language"] == "es"
    assert ticket["last_message"].startswith("Esto es una vergüenza")


def test_guessing_an_agents_password_is_stopped_after_five_tries(console_url):
    for attempt in range(5):
        assert not Console(console_url, "cleo", password=f"guess number {attempt}").logged_in
    refused = Console(console_url, "cleo")  # the right password, too late
    assert not refused.logged_in
    form = requests.get(f"{console_url}/login", params={"error": "throttled"}, timeout=10).text
    assert "Too many failed attempts" in form
    assert Console(console_url, "ana").logged_in  # other agents are not locked out


@pytest.mark.parametrize("platform", ["messenger", "slack"])
def test_an_agents_reply_and_the_hand_back_reach_messenger_and_slack(
    assistant, platforms, console_url, platform
):
    if platform == "messenger":
        buyer = MessengerBuyer(assistant, platforms)
        conversation, say = buyer.psid, buyer.say
    else:
        buyer = SlackBuyer(assistant, platforms)
        conversation = buyer.channel
        say = lambda text: buyer.send(buyer.event(text=text))  # noqa: E731
    assert "person from our team" in texts(say("I want to talk to a person please"))
    ana = Console(console_url, "ana")
    ticket = ticket_for(ana, conversation)
    assert ticket["channel"] == platform
    assert ana.post(f"/api/tickets/{ticket['id']}/take").ok
    sent = ana.post(f"/api/tickets/{ticket['id']}/reply", {"text": "Ana here, on it."})
    assert sent.json() == {"sent": True, "delivered": True}
    stand_in = "messenger" if platform == "messenger" else "slack"
    assert platforms.messages(stand_in, conversation)[-1].text == "Ana here, on it."
    assert ana.post(f"/api/tickets/{ticket['id']}/hand-back").ok
    assert "returns assistant" in platforms.messages(stand_in, conversation)[-1].text.lower()
