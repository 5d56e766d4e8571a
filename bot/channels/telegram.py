"""Telegram: the Bot API's webhook in, ``sendMessage`` out.

Telegram does not sign updates; instead ``setWebhook`` takes a
``secret_token`` that Telegram sends back in the
``X-Telegram-Bot-Api-Secret-Token`` header of every update. We require it:
without it anyone who guesses the URL could write into any buyer's
conversation. Buttons are an inline keyboard; a button whose payload is
longer than Telegram's 64-byte ``callback_data`` sends its number instead,
which ``NumberedChoice`` maps back.
"""

from __future__ import annotations

import hmac
from typing import Any

from sanic.request import Request

from bot.channels.webhook import (
    Inbound,
    Malformed,
    PlatformOutput,
    Unauthorized,
    WebhookChannel,
    optional,
    require,
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_API_URL = "https://api.telegram.org"
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
# What a buyer can send instead of text, in the order Telegram documents them.
CONTENT_FIELDS = (
    "sticker", "voice", "audio", "video_note", "video", "animation", "photo", "document",
    "location", "venue", "contact", "poll", "dice",
)  # fmt: skip


class TelegramOutput(PlatformOutput):
    max_text = MAX_TEXT

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api_url: str, token: str) -> None:
        super().__init__()
        self.base = f"{api_url.rstrip('/')}/bot{token}"

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        return await self.post(f"{self.base}/{method}", payload=payload)

    async def send_piece(self, recipient_id: str, text: str) -> None:
        await self.call("sendMessage", {"chat_id": recipient_id, "text": text})

    async def send_piece_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]]
    ) -> None:
        keyboard = [
            [{"text": button.get("title", ""), "callback_data": callback_data(button, index)}]
            for index, button in enumerate(buttons, 1)
        ]
        await self.call(
            "sendMessage",
            {"chat_id": recipient_id, "text": text, "reply_markup": {"inline_keyboard": keyboard}},
        )


def callback_data(button: dict[str, Any], index: int) -> str:
    payload = str(button.get("payload") or button.get("title") or index)
    return payload if len(payload.encode()) <= MAX_CALLBACK_BYTES else str(index)


class TelegramChannel(WebhookChannel):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramChannel:
        given = require(credentials, cls.__name__, "access_token", "secret_token")
        return cls(
            given["access_token"],
            given["secret_token"],
            optional(credentials, "api_url", DEFAULT_API_URL),
        )

    def __init__(self, access_token: str, secret_token: str, api_url: str) -> None:
        super().__init__()
        self.access_token = access_token
        self.secret_token = secret_token
        self.api_url = api_url

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.api_url, self.access_token)

    def authenticate(self, request: Request) -> None:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            raise Unauthorized(f"missing or wrong {SECRET_HEADER} header")

    def parse(self, request: Request) -> list[Inbound]:
        update = _json_object(request)
        if not isinstance(update.get("update_id"), int):
            raise Malformed("an Update needs an integer update_id")
        update_id = str(update["update_id"])
        if "callback_query" in update:
            return [_button_press(update["callback_query"], update_id)]
        message = update.get("message") or update.get("edited_message")
        if message is None:
            return []  # channel posts, membership changes...: nothing a buyer said
        if not isinstance(message, dict):
            raise Malformed("'message' must be an object")
        return [_message(message, update_id)]

    async def after_message(self, request: Request, message: Inbound) -> None:
        query_id = message.extra.get("callback_query_id")
        if query_id:  # stops the spinner on the buyer's button
            output = self.get_output_channel()
            await output.call("answerCallbackQuery", {"callback_query_id": query_id})


def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception as error:
        raise Malformed("body is not JSON") from error
    if not isinstance(body, dict):
        raise Malformed("body must be a JSON object")
    return body


def _chat_id(message: Any) -> str:
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or not isinstance(chat.get("id"), int):
        raise Malformed("message.chat.id is missing")
    return str(chat["id"])


def _language(sender: Any) -> str | None:
    code = sender.get("language_code") if isinstance(sender, dict) else None
    return code if isinstance(code, str) and code else None


def _message(message: dict[str, Any], update_id: str) -> Inbound:
    chat_id = _chat_id(message)
    language = _language(message.get("from"))
    text = message.get("text") or message.get("caption")
    if isinstance(text, str) and text.strip():
        attachment = next((name for name in CONTENT_FIELDS if name in message), None)
        extra = {"attachment": attachment} if attachment else {}
        return Inbound(chat_id, text, update_id, language, extra=extra)
    content = next((name for name in CONTENT_FIELDS if name in message), "unknown")
    return Inbound(chat_id, "", update_id, language, content=content)


def _button_press(query: Any, update_id: str) -> Inbound:
    if not isinstance(query, dict) or not isinstance(query.get("data"), str):
        raise Malformed("callback_query.data is missing")
    chat_id = _chat_id(query.get("message"))
    return Inbound(
        chat_id, query["data"], update_id, _language(query.get("from")),
        extra={"callback_query_id": str(query.get("id", ""))},
    )  # fmt: skip
