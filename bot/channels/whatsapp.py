"""WhatsApp through Twilio: Twilio's messaging webhook in, its Messages API out.

Twilio signs every webhook: ``X-Twilio-Signature`` is the base64 HMAC-SHA1,
keyed with the account's auth token, of the URL Twilio called followed by
each form parameter's name and value in name order. Behind a proxy the URL
Twilio called is not the one we see, so ``webhook_url`` can name it.
WhatsApp has no buttons outside approved templates: options are numbered
and the buyer answers with the number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
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

SIGNATURE_HEADER = "X-Twilio-Signature"
DEFAULT_API_URL = "https://api.twilio.com"
MAX_TEXT = 1600  # Twilio's limit for one WhatsApp message body
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's request signature (twilio.com/docs/usage/webhooks/webhooks-security)."""
    signed = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TwilioWhatsAppOutput(PlatformOutput):
    """Numbered options (the base class's), since WhatsApp has no free buttons."""

    max_text = MAX_TEXT

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(self, api_url: str, account_sid: str, auth_token: str, sender: str) -> None:
        super().__init__()
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.sender = sender

    async def send_piece(self, recipient_id: str, text: str) -> None:
        await self.post(
            self.url, form={"From": self.sender, "To": recipient_id, "Body": text}, auth=self.auth
        )


class TwilioWhatsAppChannel(WebhookChannel):
    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioWhatsAppChannel:
        given = require(credentials, cls.__name__, "account_sid", "auth_token", "whatsapp_number")
        number = given["whatsapp_number"]
        return cls(
            given["account_sid"],
            given["auth_token"],
            number if number.startswith("whatsapp:") else f"whatsapp:{number}",
            optional(credentials, "webhook_url"),
            optional(credentials, "api_url", DEFAULT_API_URL),
        )

    def __init__(
        self, account_sid: str, auth_token: str, sender: str, webhook_url: str, api_url: str
    ) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.webhook_url = webhook_url
        self.api_url = api_url

    def get_output_channel(self) -> TwilioWhatsAppOutput:
        return TwilioWhatsAppOutput(self.api_url, self.account_sid, self.auth_token, self.sender)

    def acknowledge(self) -> HTTPResponse:
        return response.text(EMPTY_TWIML, content_type="text/xml")

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not given:
            raise Unauthorized(f"no {SIGNATURE_HEADER} header")
        url = self.webhook_url or request.url
        expected = twilio_signature(self.auth_token, url, _form(request))
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(f"{SIGNATURE_HEADER} does not match (signed URL: {url})")

    def parse(self, request: Request) -> list[Inbound]:
        form = _form(request)
        sender, message_id = form.get("From", ""), form.get("MessageSid", "")
        if not sender or not message_id:
            raise Malformed("From and MessageSid are required")
        if form.get("AccountSid") and form["AccountSid"] != self.account_sid:
            raise Malformed("AccountSid is not this account's")
        text = form.get("ButtonPayload") or form.get("Body") or ""
        if text.strip():
            return [Inbound(sender, text, message_id)]
        return [Inbound(sender, "", message_id, content=_content(form))]


def _form(request: Request) -> dict[str, str]:
    """The form parameters, one value each, empty ones kept: Twilio signs ``Body=`` too."""
    if not request.content_type.startswith("application/x-www-form-urlencoded"):
        raise Malformed("Twilio posts application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl(request.body.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as error:
        raise Malformed("form body is not UTF-8") from error
    return dict(pairs)


def _content(form: dict[str, str]) -> str:
    if form.get("Latitude") and form.get("Longitude"):
        return "location"
    media = form.get("MediaContentType0", "")
    kind = media.split("/", 1)[0]
    return {"image": "photo", "audio": "voice", "video": "video"}.get(
        kind, "document" if media else "unknown"
    )
