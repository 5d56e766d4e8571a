"""Slack: the Events API and interactive buttons in, ``chat.postMessage`` out.

Slack signs every request: ``X-Slack-Signature`` is ``v0=`` and the hex
HMAC-SHA256 of ``v0:<timestamp>:<raw body>`` keyed with the app's signing
secret; requests older than five minutes are refused so a captured one
cannot be replayed. Events (``event_callback``) and button clicks
(``block_actions``, form-encoded) both arrive at the one webhook URL. A
buyer's direct-message channel is the conversation; in a shared channel it
is the channel and the buyer together (``C123:U456``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from sanic import response
from sanic.request import Request

from bot.channels.webhook import (
    DeliveryFailed,
    Handshake,
    Inbound,
    Malformed,
    PlatformOutput,
    Unauthorized,
    WebhookChannel,
    optional,
    require,
)

SIGNATURE_HEADER = "X-Slack-Signature"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
DEFAULT_API_URL = "https://slack.com/api"
MAX_AGE_SECONDS = 300
MAX_TEXT = 3000  # a section block's text
MAX_BUTTON_TITLE = 75
MAX_BUTTONS = 25
# Message subtypes that are not something a buyer said.
IGNORED_SUBTYPES = frozenset(
    {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave"}
)


def slack_signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def escape(text: str) -> str:
    """Escape Slack's three control characters (api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackOutput(PlatformOutput):
    max_text = MAX_TEXT

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, api_url: str, bot_token: str) -> None:
        super().__init__()
        self.url = f"{api_url.rstrip('/')}/chat.postMessage"
        self.headers = {"Authorization": f"Bearer {bot_token}"}

    async def _post_message(self, recipient_id: str, text: str, blocks: list[Any]) -> None:
        channel = recipient_id.split(":", 1)[0]
        answer = await self.post(
            self.url,
            payload={"channel": channel, "text": escape(text), "blocks": blocks},
            headers=self.headers,
        )
        if not isinstance(answer, dict) or not answer.get("ok"):
            error = answer.get("error") if isinstance(answer, dict) else answer
            raise DeliveryFailed(f"slack: chat.postMessage: {error}")

    async def send_piece(self, recipient_id: str, text: str) -> None:
        await self._post_message(recipient_id, text, [_section(text)])

    async def send_piece_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]]
    ) -> None:
        elements = [
            {
                "type": "button",
                "action_id": f"choice-{index}",
                "text": {"type": "plain_text", "text": _title(button)},
                "value": str(button.get("payload", "")),
            }
            for index, button in enumerate(buttons[:MAX_BUTTONS], 1)
        ]
        await self._post_message(
            recipient_id, text, [_section(text), {"type": "actions", "elements": elements}]
        )


def _title(button: dict[str, Any]) -> str:
    return str(button.get("title", ""))[:MAX_BUTTON_TITLE]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "plain_text", "text": text or " "}}


class SlackChannel(WebhookChannel):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SlackChannel:
        given = require(credentials, cls.__name__, "bot_token", "signing_secret")
        return cls(
            given["bot_token"],
            given["signing_secret"],
            optional(credentials, "api_url", DEFAULT_API_URL),
        )

    def __init__(self, bot_token: str, signing_secret: str, api_url: str) -> None:
        super().__init__()
        self.bot_token = bot_token
        self.signing_secret = signing_secret
        self.api_url = api_url

    def get_output_channel(self) -> SlackOutput:
        return SlackOutput(self.api_url, self.bot_token)

    def authenticate(self, request: Request) -> None:
        timestamp = request.headers.get(TIMESTAMP_HEADER, "")
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not timestamp or not given:
            raise Unauthorized(f"{SIGNATURE_HEADER} and {TIMESTAMP_HEADER} are required")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
            raise Unauthorized("request timestamp is more than five minutes off")
        expected = slack_signature(self.signing_secret, timestamp, request.body)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(f"{SIGNATURE_HEADER} does not match the body")

    def parse(self, request: Request) -> list[Inbound]:
        if request.content_type.startswith("application/x-www-form-urlencoded"):
            return _interaction(request.form.get("payload"))
        try:
            body = request.json
        except Exception as error:
            raise Malformed("body is not JSON") from error
        if not isinstance(body, dict):
            raise Malformed("body must be a JSON object")
        if body.get("type") == "url_verification":
            raise Handshake(response.json({"challenge": str(body.get("challenge", ""))}))
        if body.get("type") != "event_callback" or not isinstance(body.get("event"), dict):
            raise Malformed("expected an event_callback with an event")
        event = body["event"]
        if event.get("type") not in ("message", "app_mention"):
            return []
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES:
            return []  # our own replies and edits come back as events too
        channel, user = event.get("channel"), event.get("user")
        if not isinstance(channel, str) or not isinstance(user, str):
            raise Malformed("message event without channel or user")
        sender = channel if event.get("channel_type") == "im" else f"{channel}:{user}"
        message_id = str(body.get("event_id") or event.get("ts") or "")
        text = event.get("text") or ""
        if isinstance(text, str) and text.strip():
            return [Inbound(sender, text, message_id)]
        return [Inbound(sender, "", message_id, content=_file_kind(event))]


def _interaction(raw: str | None) -> list[Inbound]:
    try:
        payload = json.loads(raw or "")
    except ValueError as error:
        raise Malformed("form field 'payload' is not JSON") from error
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        raise Malformed("expected a block_actions payload")
    channel = (payload.get("channel") or {}).get("id")
    user = (payload.get("user") or {}).get("id")
    actions = payload.get("actions") or []
    if not isinstance(channel, str) or not isinstance(user, str) or not actions:
        raise Malformed("block_actions without channel, user or actions")
    action = actions[0]
    is_direct = channel.startswith("D")
    sender = channel if is_direct else f"{channel}:{user}"
    message_id = str(action.get("action_ts") or payload.get("trigger_id") or "")
    return [Inbound(sender, str(action.get("value") or ""), message_id)]


def _file_kind(event: dict[str, Any]) -> str:
    files = event.get("files") or [{}]
    mimetype = str((files[0] or {}).get("mimetype") or "")
    kind = mimetype.split("/", 1)[0]
    return {"image": "photo", "audio": "voice", "video": "video"}.get(kind, "document")
