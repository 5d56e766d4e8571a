"""The helpdesk webhook against a real loopback receiver that answers from a script."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from actions.notify.helpdesk import HelpdeskWebhook
from actions.service.notifications import Notice
from bot.launch import free_port

TICKET = {
    "id": 42,
    "conversation_id": "whatsapp:+34611222333",
    "channel": "whatsapp",
    "language": "de",
    "trigger": "buyer_asked",
    "order_id": "100482",
    "items": {"MUG-01": 1},
    "last_message": "Zurück, bitte. 我想退货",
    "opened_at": datetime(2026, 10, 20, 9, 30),
}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds to keep the client waiting before answering


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: HTTPMessage
    body: bytes


class Receiver:
    """A helpdesk's inbound webhook: records every request, answers the next scripted reply."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.replies: queue.Queue[Reply] = queue.Queue()
        self.release = threading.Event()  # ends delayed replies early at teardown
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(Received(self.command, self.path, self.headers, body))
                try:
                    reply = outer.replies.get_nowait()
                except queue.Empty:
                    reply = Reply()
                if reply.delay:
                    outer.release.wait(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up waiting

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def script(self, *replies: Reply) -> None:
        for reply in replies:
            self.replies.put(reply)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture()
def receiver():
    started = Receiver()
    yield started
    started.close()


@pytest.fixture()
def waits():
    """The waits between attempts, recorded by the injected sleep instead of slept."""
    return []


def delivery_ids(receiver):
    return {sent.headers["X-Returnbot-Delivery"] for sent in receiver.requests}


def test_the_ticket_arrives_as_signed_json_the_receiver_can_verify(receiver, waits):
    receiver.script(Reply(202, body=b'{"ok": true}'))
    hook = HelpdeskWebhook(f"{receiver.url}/hooks/returnbot", secret="s3cret", sleep=waits.append)

    notice = hook.ticket_opened(TICKET)

    assert notice == Notice(True, "helpdesk answered HTTP 202 after 1 attempt(s)")
    (sent,) = receiver.requests
    assert (sent.method, sent.path) == ("POST", "/hooks/returnbot")
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["User-Agent"] == "returnbot-helpdesk/1"
    assert re.fullmatch(r"[0-9a-f]{32}", sent.headers["X-Returnbot-Delivery"])
    # What an integrator does: HMAC the raw bytes with the shared secret, compare in constant time.
    expected = "sha256=" + hmac.new(b"s3cret", sent.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(sent.headers["X-Returnbot-Signature"], expected)
    document = json.loads(sent.body.decode("utf-8"))
    assert document == {
        "event": "handoff.ticket_opened",
        "ticket": {**TICKET, "opened_at": "2026-10-20 09:30:00"},
    }
    # Non-ASCII text travels as UTF-8, not as \u escapes.
    assert "Zurück".encode() in sent.body and "退货".encode() in sent.body
    assert waits == []


def test_without_a_secret_the_ticket_is_sent_unsigned(receiver, waits):
    notice = HelpdeskWebhook(receiver.url, sleep=waits.append).ticket_opened({"id": 1})
    assert notice.delivered
    (sent,) = receiver.requests
    assert "X-Returnbot-Signature" not in sent.headers
    assert json.loads(sent.body) == {"event": "handoff.ticket_opened", "ticket": {"id": 1}}


def test_a_503_then_a_500_then_200_is_delivered_on_the_third_attempt_with_one_delivery_id(
    receiver, waits
):
    receiver.script(Reply(503, body=b"busy"), Reply(500, body=b"oops"), Reply(200))
    hook = HelpdeskWebhook(receiver.url, secret="s3cret", backoff_seconds=0.5, sleep=waits.append)

    notice = hook.ticket_opened(TICKET)

    assert notice == Notice(True, "helpdesk answered HTTP 200 after 3 attempt(s)")
    assert len(receiver.requests) == 3
    assert len(delivery_ids(receiver)) == 1
    assert len({sent.body for sent in receiver.requests}) == 1
    assert len({sent.headers["X-Returnbot-Signature"] for sent in receiver.requests}) == 1
    assert waits == [0.5, 1.0]


def test_a_429_with_retry_after_2_waits_2_seconds(receiver, waits):
    receiver.script(Reply(429, headers={"Retry-After": "2"}), Reply(204))
    notice = HelpdeskWebhook(receiver.url, sleep=waits.append).ticket_opened(TICKET)
    assert notice == Notice(True, "helpdesk answered HTTP 204 after 2 attempt(s)")
    assert waits == [2.0]


def test_retry_after_is_capped_at_30_seconds_and_only_a_number_on_429_or_503_counts(
    receiver, waits
):
    receiver.script(
        Reply(503, headers={"Retry-After": "120"}),
        Reply(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        Reply(502, headers={"Retry-After": "7"}),
        Reply(200),
    )
    hook = HelpdeskWebhook(receiver.url, backoff_seconds=0.5, sleep=waits.append)
    assert hook.ticket_opened(TICKET).delivered
    assert waits == [30.0, 1.0, 2.0]


@pytest.mark.parametrize("status", [400, 401])
def test_a_400_or_401_is_not_retried_and_the_notice_says_why(receiver, waits, status):
    answer = "invalid token: " + "x" * 300
    receiver.script(Reply(status, body=answer.encode()))
    hook = HelpdeskWebhook(receiver.url, secret="wrong", sleep=waits.append)

    notice = hook.ticket_opened(TICKET)

    assert not notice.delivered
    assert f"HTTP {status} after 1 attempt(s) (not retried)" in notice.detail
    assert notice.detail.endswith(answer[:200])
    assert answer[:201] not in notice.detail
    assert len(receiver.requests) == 1 and waits == []


def test_a_redirect_is_not_followed_so_the_ticket_is_not_lost_in_a_get(receiver, waits):
    receiver.script(Reply(301, headers={"Location": f"{receiver.url}/moved"}))
    notice = HelpdeskWebhook(receiver.url, sleep=waits.append).ticket_opened(TICKET)
    assert not notice.delivered
    assert "HTTP 301" in notice.detail and "redirects are not followed" in notice.detail
    assert [sent.method for sent in receiver.requests] == ["POST"]


def test_a_helpdesk_that_stays_in_trouble_is_given_up_on_with_its_last_answer(receiver, waits):
    receiver.script(*[Reply(503, body=b"maintenance")] * 3)
    hook = HelpdeskWebhook(receiver.url, attempts=3, sleep=waits.append)
    notice = hook.ticket_opened(TICKET)
    assert notice == Notice(False, "helpdesk answered HTTP 503, after 3 attempt(s): maintenance")
    assert len(receiver.requests) == 3 and waits == [0.5, 1.0]


def test_a_receiver_that_never_answers_in_time_ends_in_a_notice_after_all_attempts(receiver, waits):
    receiver.script(*[Reply(200, delay=10)] * 3)
    hook = HelpdeskWebhook(receiver.url, attempts=3, timeout_seconds=0.3, sleep=waits.append)

    started = time.monotonic()
    notice = hook.ticket_opened(TICKET)

    assert time.monotonic() - started < 3
    assert not notice.delivered
    assert notice.detail == (
        f"helpdesk at {receiver.url.removeprefix('http://')} did not answer within 0.3s, "
        "after 3 attempt(s)"
    )
    assert len(receiver.requests) == 3 and len(delivery_ids(receiver)) == 1
    assert waits == [0.5, 1.0]


def test_a_closed_port_ends_in_a_notice_after_all_attempts(waits):
    host = f"127.0.0.1:{free_port()}"
    hook = HelpdeskWebhook(f"http://{host}/hook", attempts=3, timeout_seconds=2, sleep=waits.append)
    notice = hook.ticket_opened(TICKET)
    assert notice == Notice(
        False, f"helpdesk at {host} could not be reached (ConnectionError), after 3 attempt(s)"
    )
    assert waits == [0.5, 1.0]


# --- configuration ------------------------------------------------------------------------------


def test_from_env_without_a_url_is_none():
    assert HelpdeskWebhook.from_env({}) is None
    assert HelpdeskWebhook.from_env({"RETURNBOT_HELPDESK_WEBHOOK_URL": "  "}) is None


@pytest.mark.parametrize("url", ["ftp://x", "example.zendesk.com/hook", "https://"])
def test_from_env_with_a_url_that_is_not_http_names_the_variable(url):
    with pytest.raises(ValueError, match="RETURNBOT_HELPDESK_WEBHOOK_URL"):
        HelpdeskWebhook.from_env({"RETURNBOT_HELPDESK_WEBHOOK_URL": url})


def test_from_env_with_a_url_and_a_secret_is_configured_with_both():
    url = "https://acme.zendesk.com/api/v2/webhooks/returnbot"
    hook = HelpdeskWebhook.from_env(
        {"RETURNBOT_HELPDESK_WEBHOOK_URL": url, "RETURNBOT_HELPDESK_WEBHOOK_SECRET": "s3cret"}
    )
    assert hook == HelpdeskWebhook(url, secret="s3cret")
    assert hook is not None and hook.attempts == 4 and "s3cret" not in repr(hook)
    unsigned = HelpdeskWebhook.from_env({"RETURNBOT_HELPDESK_WEBHOOK_URL": url})
    assert unsigned is not None and unsigned.secret is None
