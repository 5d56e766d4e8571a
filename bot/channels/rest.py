"""Rasa's REST channel, strict about its input and never silent.

Same URL and payload as Rasa's (``POST /webhooks/rest/webhook``,
``{"sender", "message", "metadata"}``). Differences: a malformed payload is
a 400 naming the problem instead of a 500; a very long message is cut to
``MAX_MESSAGE_CHARS``; and when a turn produces no reply at all (the action
server is down, the tracker store failed) the buyer is told so and offered
a person, instead of silence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.apology import apologise_if_silent

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 255


class PayloadError(ValueError):
    """The request body is not a message we can take; the text says why."""


def parse_payload(body: Any) -> tuple[str, str, dict[str, Any]]:
    """``(sender, text, metadata)`` from a REST body, or PayloadError naming the field."""
    if not isinstance(body, dict):
        raise PayloadError("body must be a JSON object")
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise PayloadError("'sender' must be a non-empty string")
    if len(sender) > MAX_SENDER_CHARS:
        raise PayloadError(f"'sender' must be at most {MAX_SENDER_CHARS} characters")
    text = body.get("message")
    if not isinstance(text, str):
        raise PayloadError("'message' must be a string")
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise PayloadError("'metadata' must be a JSON object")
    return sender, text[:MAX_MESSAGE_CHARS], metadata


class RestWithFallback(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("returnbot_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            try:
                sender, text, metadata = parse_payload(body)
            except PayloadError as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata,
                    )
                )
            except Exception:
                logger.exception("handling a REST message failed")
            await apologise_if_silent(
                collector, len(collector.messages), request.app, sender, metadata
            )
            return response.json(collector.messages)

        return webhook
