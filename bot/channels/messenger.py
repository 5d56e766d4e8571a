"""Facebook Messenger: the Page webhook in, the Send API out.

Meta verifies the subscription with a GET carrying ``hub.verify_token``, and
signs every event: ``X-Hub-Signature-256`` is ``sha256=`` and the hex
HMAC-SHA256 of the raw body, keyed with the app secret. Buttons become quick
replies; Messenger allows 13 of them with titles of 20 characters, so longer
option lists are numbered instead.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import quote

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.webhook import (
    Inbound,
    Malformed,
    PlatformOutput,
    Unauthorized,
    WebhookChannel,
    optional,
    require,
)

SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_API_URL = "https://graph.facebook.com/v19.0"
MAX_TEXT = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20


def hub_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


class MessengerOutput(PlatformOutput):
    max_text = MAX_TEXT

    @classmethod
    def name(cls) -> str:
        return "messenger"

    def __init__(self, api_url: str, page_token: str) -> None:
        super().__init__()
        self.url = f"{api_url.rstrip('/')}/me/messages?access_token={quote(page_token)}"

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        await self.post(
            self.url,
            payload={
                "recipient": {"id": recipient_id},
                "messaging_type": "RESPONSE",
                "message": message,
            },
        )

    async def send_piece(self, recipient_id: str, text: str) -> None:
        await self._send(recipient_id, {"text": text})

    async def send_piece_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]]
    ) -> None:
        fits = len(buttons) <= MAX_QUICK_REPLIES and all(
            0 < len(str(button.get("title", ""))) <= MAX_QUICK_REPLY_TITLE for button in buttons
        )
        if not fits:
            await super().send_piece_with_buttons(recipient_id, text, buttons)
            return
        quick_replies = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        await self._send(recipient_id, {"text": text, "quick_replies": quick_replies})


class MessengerChannel(WebhookChannel):
    @classmethod
    def name(cls) -> str:
        return "messenger"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerChannel:
        given = require(
            credentials, cls.__name__, "page_access_token", "app_secret", "verify_token"
        )
        return cls(
            given["page_access_token"],
            given["app_secret"],
            given["verify_token"],
            optional(credentials, "api_url", DEFAULT_API_URL),
        )

    def __init__(self, page_token: str, app_secret: str, verify_token: str, api_url: str) -> None:
        super().__init__()
        self.page_token = page_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.api_url = api_url

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.api_url, self.page_token)

    def verify_subscription(self, request: Request) -> HTTPResponse:
        args = request.args
        token = args.get("hub.verify_token", "")
        if args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
            token.encode(), self.verify_token.encode()
        ):
            return response.json({"error": "wrong hub.verify_token"}, status=403)
        return response.text(args.get("hub.challenge", ""))

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not given:
            raise Unauthorized(f"no {SIGNATURE_HEADER} header")
        expected = hub_signature(self.app_secret, request.body)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(f"{SIGNATURE_HEADER} does not match the body")

    def parse(self, request: Request) -> list[Inbound]:
        try:
            body = request.json
        except Exception as error:
            raise Malformed("body is not JSON") from error
        if not isinstance(body, dict) or body.get("object") != "page":
            raise Malformed('expected {"object": "page", "entry": [...]}')
        entries = body.get("entry")
        if not isinstance(entries, list):
            raise Malformed("'entry' must be a list")
        messages = []
        for entry in entries:
            for event in (entry.get("messaging") or []) if isinstance(entry, dict) else []:
                inbound = _event(event)
                if inbound is not None:
                    messages.append(inbound)
        return messages


def _event(event: Any) -> Inbound | None:
    if not isinstance(event, dict):
        raise Malformed("a messaging event must be an object")
    sender = (event.get("sender") or {}).get("id")
    if not isinstance(sender, str) or not sender:
        raise Malformed("messaging event without sender.id")
    if "postback" in event:
        postback = event["postback"] or {}
        mid = str(postback.get("mid") or f"postback-{event.get('timestamp', '')}")
        return Inbound(sender, str(postback.get("payload") or postback.get("title") or ""), mid)
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return None  # deliveries, reads, and our own messages echoed back
    mid = str(message.get("mid") or "")
    quick_reply = message.get("quick_reply") or {}
    text = quick_reply.get("payload") or message.get("text") or ""
    if isinstance(text, str) and text.strip():
        return Inbound(sender, text, mid)
    return Inbound(sender, "", mid, content=_content(message))


def _content(message: dict[str, Any]) -> str:
    if message.get("sticker_id"):
        return "sticker"
    attachments = message.get("attachments") or [{}]
    kind = str((attachments[0] or {}).get("type") or "unknown")
    return {"image": "photo", "audio": "voice"}.get(kind, kind)
