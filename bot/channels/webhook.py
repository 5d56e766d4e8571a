"""What every messaging platform's webhook channel shares.

A platform (Telegram, WhatsApp through Twilio, Messenger, Slack) calls our
webhook with its own payload and signature, and we answer through its send
API. The pieces that differ per platform are small: how a request is
authenticated, how its payload becomes buyer messages, and how a reply is
posted. Everything else is here, once:

- unauthenticated requests are a 401 and malformed ones a 400, both before
  anything reaches the assistant;
- a platform's retry of a message we already took is acknowledged, not
  answered twice;
- a turn that produced no reply (the action server is down) still gets the
  channel's apology, so the buyer is never met with silence;
- stickers, locations and voice notes become an empty message marked
  ``content`` in its metadata, which ``UnsupportedContent`` (an NLU
  component) turns into a polite answer in the conversation's language.
"""

from __future__ import annotations

import asyncio
import json
import logging
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.apology import apologise_if_silent
from bot.channels.rest import MAX_MESSAGE_CHARS
from bot.components.channel_choices import CONTENT_KEY

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 10


class Unauthorized(Exception):
    """The request does not prove it comes from the platform (401)."""


class Malformed(Exception):
    """The request is not a payload the platform documents (400)."""


class Handshake(Exception):
    """A signed setup request (Slack's url_verification): answered as it asks."""

    def __init__(self, reply: HTTPResponse) -> None:
        super().__init__("handshake")
        self.reply = reply


class DeliveryFailed(RuntimeError):
    """The platform's send API refused or did not answer."""


@dataclass(frozen=True)
class Inbound:
    """One buyer message taken from a platform payload.

    ``content`` names what the buyer sent when it was not text (``sticker``,
    ``location``, ``voice``...); the text is then empty.
    """

    sender_id: str
    text: str
    message_id: str
    language: str | None = None
    content: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = dict(self.extra)
        if self.language:
            metadata["language"] = self.language
        if self.content:
            metadata[CONTENT_KEY] = self.content
        return metadata


class RecentIds:
    """The last ``size`` message ids seen, to take each platform retry only once.

    In memory, per process: a retry that reaches another Rasa instance is
    answered again (platforms retry within seconds, usually the same one).
    """

    def __init__(self, size: int = 10_000) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, message_id: str) -> bool:
        if not message_id:
            return True
        if message_id in self._seen:
            self._seen.move_to_end(message_id)
            return False
        self._seen[message_id] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True


def cut(text: str) -> str:
    return text[:MAX_MESSAGE_CHARS]


def chunks(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, split at paragraphs or lines."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        at = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        at = at if at > limit // 2 else limit
        pieces.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def numbered(text: str, buttons: Iterable[dict[str, Any]]) -> str:
    """Buttons as a numbered list under the text, for channels that have none.

    The buyer answers with the number; ``NumberedChoice`` (an NLU component)
    maps it back to the button's payload from the conversation itself.
    """
    options = [f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, 1)]
    return "\n".join([text.rstrip(), "", *options]) if options else text


class PlatformOutput(OutputChannel):
    """Posts replies to a platform's send API; counts what it sent.

    A platform says how one message goes out (``send_piece``) and how one with
    options does (``send_piece_with_buttons``, numbered unless it overrides);
    texts longer than ``max_text`` go as several messages, the options on the
    last.
    """

    max_text = 1600

    def __init__(self) -> None:
        self.sent = 0

    @abstractmethod
    async def send_piece(self, recipient_id: str, text: str) -> None:
        """One message of at most ``max_text`` characters."""

    async def send_piece_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]]
    ) -> None:
        await self.send_text_message(recipient_id, numbered(text, buttons))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in chunks(text, self.max_text):
            await self.send_piece(recipient_id, piece)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        *first, last = chunks(text, self.max_text) or [""]
        for piece in first:
            await self.send_piece(recipient_id, piece)
        await self.send_piece_with_buttons(recipient_id, last, buttons)

    async def post(
        self,
        url: str,
        *,
        payload: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: aiohttp.BasicAuth | None = None,
    ) -> Any:
        """POST to the platform; its JSON answer, or DeliveryFailed naming the status."""
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session, session.post(
                url, json=payload, data=form, headers=headers, auth=auth
            ) as reply:
                body = await reply.text()
                if reply.status >= 300:
                    raise DeliveryFailed(f"{self.name()}: HTTP {reply.status}: {body[:200]}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise DeliveryFailed(f"{self.name()}: {type(error).__name__}: {error}") from error
        self.sent += 1
        try:
            return json.loads(body) if body else None
        except ValueError:
            return None

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        logger.warning("%s: custom payloads are not sent: %s", self.name(), json_message)


class WebhookChannel(InputChannel, ABC):
    """One platform's webhook: authenticate, parse, deduplicate, answer."""

    def __init__(self) -> None:
        self.recent = RecentIds()

    @abstractmethod
    def authenticate(self, request: Request) -> None:
        """Raise Unauthorized unless the request proves it comes from the platform."""

    @abstractmethod
    def parse(self, request: Request) -> list[Inbound]:
        """The buyer messages in the request; Malformed when it is not a documented payload."""

    @abstractmethod
    def get_output_channel(self) -> PlatformOutput:
        """A sender for this platform (also used for pushes through Rasa's HTTP API)."""

    def verify_subscription(self, request: Request) -> HTTPResponse:
        """A GET to the webhook: only platforms that verify a subscription this way answer it."""
        return response.json({"error": "POST the platform's webhook payload"}, status=405)

    async def after_message(self, request: Request, message: Inbound) -> None:
        """Platform bookkeeping once a message is handled (e.g. stop a button's spinner)."""

    def acknowledge(self) -> HTTPResponse:
        return response.text("ok")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"returnbot_{self.name()}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET", "POST"])
        async def receive(request: Request) -> HTTPResponse:
            if request.method != "POST":
                return self.verify_subscription(request)
            try:
                self.authenticate(request)
                messages = self.parse(request)
            except Unauthorized as error:
                logger.warning("%s webhook: rejected: %s", self.name(), error)
                return response.json({"error": f"unauthorized: {error}"}, status=401)
            except Malformed as error:
                return response.json({"error": f"malformed payload: {error}"}, status=400)
            except Handshake as handshake:
                return handshake.reply
            for message in messages:
                if self.recent.first_time(f"{message.sender_id}/{message.message_id}"):
                    await self._handle(message, on_new_message, request.app)
                    await self.after_message(request, message)
            return self.acknowledge()

        return webhook

    async def _handle(
        self,
        message: Inbound,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        app: Any,
    ) -> None:
        output = self.get_output_channel()
        metadata = message.metadata()
        try:
            await on_new_message(
                UserMessage(
                    cut(message.text),
                    output,
                    message.sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                    message_id=message.message_id or None,
                )
            )
        except Exception:
            logger.exception("%s: handling a message failed", self.name())
        try:
            await apologise_if_silent(output, output.sent, app, message.sender_id, metadata)
        except DeliveryFailed:
            logger.exception("%s: could not even send the apology", self.name())


def require(credentials: dict[str, Any] | None, channel: str, *keys: str) -> dict[str, str]:
    """The named credentials as strings; a clear error naming the missing ones."""
    credentials = credentials or {}
    missing = [key for key in keys if not str(credentials.get(key) or "").strip()]
    if missing:
        raise ValueError(f"credentials.yml: {channel}: missing {', '.join(missing)}")
    return {key: str(credentials[key]).strip() for key in keys}


def optional(credentials: dict[str, Any] | None, key: str, default: str = "") -> str:
    value = (credentials or {}).get(key)
    return str(value).strip() if value not in (None, "") else default
