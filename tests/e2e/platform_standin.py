"""A loopback stand-in for the messaging platforms' send APIs.

Speaks each platform's documented wire format for the calls we make, checks
the credentials the way the platform does, and records every request so a
test can read what the buyer would have received:

- Telegram Bot API: ``POST /telegram/bot<token>/<method>`` (JSON), answers
  ``{"ok": true, "result": ...}``; a wrong token is a 401.
- Twilio Messages API: ``POST /twilio/2010-04-01/Accounts/<sid>/Messages.json``
  (form, HTTP basic auth with the account SID and auth token), answers 201
  with a message resource.
- Messenger Send API: ``POST /messenger/v19.0/me/messages?access_token=``
  (JSON), answers ``{"recipient_id", "message_id"}``.
- Slack Web API: ``POST /slack/api/chat.postMessage`` (JSON, bearer token),
  answers ``{"ok": true, ...}`` or, as Slack does, 200 ``{"ok": false}``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TELEGRAM_TOKEN = "123456789:AAtest-token"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-auth-token"
MESSENGER_PAGE_TOKEN = "EAAtest-page-token"
SLACK_BOT_TOKEN = "xoxb-test-token"


@dataclass
class Sent:
    platform: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def text(self) -> str:
        if self.platform == "twilio":
            return str(self.body.get("Body", ""))
        if self.platform == "messenger":
            return str(self.body.get("message", {}).get("text", ""))
        return str(self.body.get("text", ""))


@dataclass
class PlatformStandIn:
    server: ThreadingHTTPServer
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def record(self, item: Sent) -> None:
        with self.lock:
            self.sent.append(item)

    def messages(self, platform: str, to: str | None = None) -> list[Sent]:
        with self.lock:
            found = [s for s in self.sent if s.platform == platform]
        if to is not None:
            found = [s for s in found if recipient(s) == to]
        return found

    def wait_for(self, platform: str, to: str, count: int, timeout: float = 30) -> list[Sent]:
        """The messages sent to ``to`` once there are at least ``count`` (they arrive async)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(platform, to)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.messages(platform, to)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def recipient(sent: Sent) -> str:
    body = sent.body
    if sent.platform == "telegram":
        return str(body.get("chat_id", body.get("callback_query_id", "")))
    if sent.platform == "twilio":
        return str(body.get("To", ""))
    if sent.platform == "messenger":
        return str(body.get("recipient", {}).get("id", ""))
    return str(body.get("channel", ""))


class _Handler(BaseHTTPRequestHandler):
    standin: PlatformStandIn

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            body: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        else:
            body = json.loads(raw or b"{}")
        platform = parts.path.strip("/").split("/", 1)[0]
        query = parse_qs(parts.query)
        check = getattr(self, f"_{platform}", None)
        if check is None:
            self._answer(404, {"error": "unknown platform"})
            return
        status, answer = check(parts.path, query, headers, body)
        if status < 300 and answer.get("ok", True):
            self.standin.record(Sent(platform, parts.path, query, headers, body))
        self._answer(status, answer)

    def _telegram(self, path: str, query: Any, headers: Any, body: Any) -> tuple[int, Any]:
        prefix = f"/telegram/bot{TELEGRAM_TOKEN}/"
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix) :]
        if method == "answerCallbackQuery":
            return 200, {"ok": True, "result": True}
        if method != "sendMessage" or "chat_id" not in body or not body.get("text"):
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request"}
        message = {
            "message_id": len(self.standin.sent) + 1,
            "date": int(time.time()),
            "chat": {"id": int(body["chat_id"]), "type": "private"},
            "text": body["text"],
        }
        return 200, {"ok": True, "result": message}

    def _twilio(self, path: str, query: Any, headers: Any, body: Any) -> tuple[int, Any]:
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != f"/twilio/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
            return 404, {"code": 20404, "message": "not found", "status": 404}
        if not body.get("To") or not body.get("From") or not body.get("Body"):
            return 400, {"code": 21602, "message": "Message body is required.", "status": 400}
        if len(body["Body"]) > 1600:
            return 400, {"code": 21617, "message": "body exceeds 1600 characters", "status": 400}
        sid = f"SM{len(self.standin.sent):032x}"
        return 201, {
            "sid": sid,
            "status": "queued",
            "to": body["To"],
            "from": body["From"],
            "body": body["Body"],
            "account_sid": TWILIO_SID,
        }

    def _messenger(self, path: str, query: Any, headers: Any, body: Any) -> tuple[int, Any]:
        if query.get("access_token") != [MESSENGER_PAGE_TOKEN]:
            return 400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        if path != "/messenger/v19.0/me/messages" or "recipient" not in body:
            return 400, {"error": {"message": "bad request", "code": 100}}
        message = body.get("message") or {}
        if len(message.get("text", "")) > 2000 or len(message.get("quick_replies", [])) > 13:
            return 400, {"error": {"message": "param message too long", "code": 100}}
        return 200, {"recipient_id": body["recipient"]["id"], "message_id": f"m_{time.time_ns()}"}

    def _slack(self, path: str, query: Any, headers: Any, body: Any) -> tuple[int, Any]:
        if headers.get("authorization") != f"Bearer {SLACK_BOT_TOKEN}":
            return 200, {"ok": False, "error": "invalid_auth"}
        if path != "/slack/api/chat.postMessage" or not body.get("channel"):
            return 200, {"ok": False, "error": "channel_not_found"}
        return 200, {"ok": True, "channel": body["channel"], "ts": f"{time.time():.6f}"}


def start_standin() -> PlatformStandIn:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    standin = PlatformStandIn(server)
    _Handler.standin = standin
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return standin


def channel_env(standin: PlatformStandIn) -> dict[str, str]:
    """The variables that switch the four messaging channels on, aimed at the stand-in."""
    return {
        "RETURNBOT_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "RETURNBOT_TELEGRAM_SECRET": "telegram-webhook-secret",
        "RETURNBOT_TELEGRAM_API_URL": f"{standin.url}/telegram",
        "RETURNBOT_TWILIO_ACCOUNT_SID": TWILIO_SID,
        "RETURNBOT_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "RETURNBOT_TWILIO_WHATSAPP_NUMBER": "+14155238886",
        "RETURNBOT_TWILIO_API_URL": f"{standin.url}/twilio",
        "RETURNBOT_MESSENGER_PAGE_TOKEN": MESSENGER_PAGE_TOKEN,
        "RETURNBOT_MESSENGER_APP_SECRET": "messenger-app-secret",
        "RETURNBOT_MESSENGER_VERIFY_TOKEN": "messenger-verify-token",
        "RETURNBOT_MESSENGER_API_URL": f"{standin.url}/messenger/v19.0",
        "RETURNBOT_SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "RETURNBOT_SLACK_SIGNING_SECRET": "slack-signing-secret",
        "RETURNBOT_SLACK_API_URL": f"{standin.url}/slack/api",
    }
