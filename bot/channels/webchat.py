"""The website chat widget's channel: Rasa's socket.io protocol, plus what a widget needs.

Same events as Rasa's ``socketio`` channel (``session_request`` /
``session_confirm``, ``user_uttered`` / ``bot_uttered``) and the same name,
so Rasa's HTTP API can push to it (``output_channel=socketio``) and any
client written for Rasa connects. What it adds:

- ``bot_typing`` ``{"typing": true|false}`` around each turn, for the
  widget's typing indicator;
- ``GET /webhooks/socketio/history?session_id=`` - the conversation from
  the tracker store, so a reload (or a message pushed while the page was
  closed) shows the whole conversation; the session id is the widget's
  random 128-bit secret, as in Rasa's own protocol;
- the widget itself (``widget.js``, ``widget.css``) and the official
  socket.io browser client from npm, served from the same place, so a store
  embeds the chat with one ``<script>`` tag;
- the channel's apology when a turn produced no reply, as the REST channel.

Sessions always persist (the socket joins a room named after the session),
which pushes need. Rooms live in this process; see the README on scaling.
Rasa's own channel does not await ``enter_room``, a coroutine in the
python-socketio that Rasa 3.6 installs, so with session persistence on its
sockets never join their session's room and receive no replies at all.
"""

from __future__ import annotations

import inspect
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.apology import apologise_if_silent
from bot.channels.rest import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

WEBCHAT_DIR = Path(__file__).resolve().parent.parent / "webchat"
ASSETS = {
    "widget.js": (WEBCHAT_DIR / "static" / "widget.js", "application/javascript"),
    "widget.css": (WEBCHAT_DIR / "static" / "widget.css", "text/css"),
    "socket.io.min.js": (
        WEBCHAT_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
        "application/javascript",
    ),
}
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_HISTORY = 200


class CountingSocketOutput(SocketIOOutput):
    """Rasa's socket.io output, counting what it sent in this turn."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def _send_message(self, socket_id: str, response: Any) -> None:
        await super()._send_message(socket_id, response)
        self.sent += 1


class WebChat(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChat:
        credentials = credentials or {}
        return cls(
            user_message_evt=str(credentials.get("user_message_evt") or "user_uttered"),
            bot_message_evt=str(credentials.get("bot_message_evt") or "bot_uttered"),
            socketio_path=str(credentials.get("socketio_path") or "/socket.io"),
            metadata_key=str(credentials.get("metadata_key") or "metadata"),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        socketio_path: str = "/socket.io",
        metadata_key: str = "metadata",
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.socketio_path = socketio_path
        self.metadata_key = metadata_key
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> SocketIOOutput | None:
        """For pushes through Rasa's HTTP API: the socket of the conversation's room."""
        return CountingSocketOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS is Sanic's (rasa run --cors); engine.io's own check is switched off.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
        chat = SocketBlueprint(sio, self.socketio_path, "returnbot_webchat", __name__)

        @chat.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @chat.route("/<asset:(widget\\.js|widget\\.css|socket\\.io\\.min\\.js)>", methods=["GET"])
        async def serve_asset(_: Request, asset: str) -> HTTPResponse:
            return _asset(asset)

        @chat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            session_id = request.args.get("session_id", "")
            if not SESSION_ID.match(session_id):
                return response.json({"error": "session_id: 8-64 letters, digits, - or _"}, 400)
            tracker_store = request.app.ctx.agent.tracker_store
            tracker = await tracker_store.retrieve(session_id)
            events = list(tracker.events) if tracker else []
            return response.json(
                {"session_id": session_id, "messages": transcript(events)[-MAX_HISTORY:]},
                headers={"Cache-Control": "no-store"},
            )

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                session_id = uuid.uuid4().hex
            joined = sio.enter_room(sid, session_id)
            if inspect.isawaitable(joined):  # a coroutine since python-socketio 5.10
                await joined
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session_id, text = data.get("session_id"), data.get("message")
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                await sio.emit("error", {"error": "send session_request first"}, room=sid)
                return
            if not isinstance(text, str) or not text.strip():
                return
            metadata = data.get(self.metadata_key)
            metadata = metadata if isinstance(metadata, dict) else {}
            output = CountingSocketOutput(sio, self.bot_message_evt)
            await sio.emit("bot_typing", {"typing": True}, room=session_id)
            try:
                await on_new_message(
                    UserMessage(
                        text[:MAX_MESSAGE_CHARS], output, session_id,
                        input_channel=self.name(), metadata=metadata,
                    )
                )  # fmt: skip
            except Exception:
                logger.exception("handling a web chat message failed")
            finally:
                await apologise_if_silent(output, output.sent, chat_app(), session_id, metadata)
                await sio.emit("bot_typing", {"typing": False}, room=session_id)

        return chat


def chat_app() -> Any:
    """The Sanic app serving this channel (Rasa runs one per process)."""
    try:
        return Sanic.get_app()
    except SanicException:
        return None


def _asset(name: str) -> HTTPResponse:
    path, content_type = ASSETS[name]
    if not path.exists():
        message = f"{name} is not built: run `make install` (needs Node.js and npm)"
        return response.text(message, status=503)
    return response.text(
        path.read_text(encoding="utf-8"),
        content_type=f"{content_type}; charset=utf-8",
        headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"},
    )


def transcript(events: list[Any]) -> list[dict[str, Any]]:
    """The buyer's and the assistant's messages, as the widget shows them.

    A button press is stored as its payload (``/affirm``); the buyer saw the
    button's title, so that is what the history shows.
    """
    messages: list[dict[str, Any]] = []
    last_buttons: list[dict[str, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            pressed = next((b for b in last_buttons if b.get("payload") == text), None)
            if pressed is not None:
                text = str(pressed.get("title", ""))
            elif not text:
                continue  # a sticker or voice note on another channel
            messages.append({"sender": "user", "text": text, "timestamp": event.timestamp})
        elif isinstance(event, BotUttered):
            buttons = list(event.data.get("buttons") or event.data.get("quick_replies") or [])
            last_buttons = buttons or last_buttons
            messages.append(
                {
                    "sender": "bot",
                    "text": event.text or "",
                    "buttons": [
                        {"title": b.get("title"), "payload": b.get("payload")} for b in buttons
                    ],
                    "image": event.data.get("image"),
                    "timestamp": event.timestamp,
                }
            )
    return messages
