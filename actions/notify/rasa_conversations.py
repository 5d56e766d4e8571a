"""A handed-over conversation, read and written through Rasa's HTTP API.

- An agent's reply is appended to the conversation as a bot message with
  ``execute_side_effects=true`` and the conversation's ``output_channel``,
  so Rasa sends it on the buyer's own channel (widget, Telegram, WhatsApp,
  Messenger, Slack) although the conversation is paused, and it stays in
  the transcript, marked with the agent's name.
- Handing back appends ``ConversationResumed`` and, when asked, triggers
  ``EXTERNAL_handed_back`` so the assistant greets the buyer again in their
  language.
- The transcript is the conversation's tracker: what the buyer wrote while
  paused is there too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from actions.service.handoff import ConversationUnreachable, TranscriptLine

HANDED_BACK_INTENT = "EXTERNAL_handed_back"
# Rasa's router does not unquote path parameters, so characters that are legal
# in a path ("whatsapp:+34...", "C1:U2") must be sent as they are.
PATH_SAFE = ":@+!$&'()*,;="
# Channels that can be written to unasked; REST only answers requests.
PUSH_CHANNELS = frozenset({"socketio", "telegram", "whatsapp", "messenger", "slack"})


@dataclass(frozen=True)
class RasaConversations:
    rasa_url: str
    token: str | None = None
    timeout_seconds: float = 15

    def _url(self, conversation_id: str, tail: str) -> str:
        conversation = quote(conversation_id, safe=PATH_SAFE)
        return f"{self.rasa_url.rstrip('/')}/conversations/{conversation}/{tail}"

    def _params(self, **extra: str) -> dict[str, str]:
        return {**extra, **({"token": self.token} if self.token else {})}

    def _call(self, method: str, url: str, params: dict[str, str], body: Any = None) -> Any:
        try:
            reply = requests.request(
                method, url, params=params, json=body, timeout=self.timeout_seconds
            )
        except requests.RequestException as error:
            raise ConversationUnreachable(
                f"Rasa at {self.rasa_url} did not answer ({type(error).__name__})"
            ) from error
        if reply.status_code != 200:
            raise ConversationUnreachable(
                f"Rasa answered HTTP {reply.status_code}: {reply.text[:200]}"
            )
        return reply.json()

    def send_agent_message(self, conversation_id: str, channel: str, text: str, agent: str) -> bool:
        event = {"event": "bot", "text": text, "timestamp": time.time(),
                 "metadata": {"agent": agent}}  # fmt: skip
        self._call(
            "POST",
            self._url(conversation_id, "tracker/events"),
            self._params(execute_side_effects="true", output_channel=channel),
            [event],
        )
        return channel in PUSH_CHANNELS

    def resume(self, conversation_id: str, channel: str, announce: bool) -> None:
        self._call(
            "POST",
            self._url(conversation_id, "tracker/events"),
            self._params(),
            # While paused Rasa logs the buyer's messages with no action after
            # them; an action_listen closes that stretch, so the policies see
            # an ordinary turn next (otherwise the next intent falls back).
            [{"event": "resume", "timestamp": time.time()},
             {"event": "action", "name": "action_listen", "timestamp": time.time()}],
        )  # fmt: skip
        if announce:
            self.trigger_intent(conversation_id, channel, HANDED_BACK_INTENT, {})

    def trigger_intent(
        self, conversation_id: str, channel: str, intent: str, entities: dict[str, str]
    ) -> None:
        """Run the assistant as if the buyer had said ``intent``; replies go to ``channel``."""
        self._call(
            "POST",
            self._url(conversation_id, "trigger_intent"),
            self._params(output_channel=channel),
            {"name": intent, "entities": entities},
        )

    def transcript(self, conversation_id: str) -> list[TranscriptLine]:
        tracker = self._call("GET", self._url(conversation_id, "tracker"), self._params())
        return transcript_lines(tracker.get("events") or [])


def transcript_lines(events: list[dict[str, Any]]) -> list[TranscriptLine]:
    """Buyer, assistant and agent messages in order; pauses marked on the buyer's."""
    lines: list[TranscriptLine] = []
    paused = False
    for event in events:
        kind = event.get("event")
        if kind == "pause":
            paused = True
        elif kind == "resume":
            paused = False
        elif kind == "user":
            text = event.get("text") or ""
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if str(intent or "").startswith("EXTERNAL_"):
                continue  # pushes we triggered, not the buyer's words
            if not text:
                content = (event.get("metadata") or {}).get("content")
                if not content:
                    continue
                text = f"[{content}]"  # a sticker, voice note...
            lines.append(TranscriptLine(float(event.get("timestamp") or 0), "buyer", text,
                                        while_paused=paused))  # fmt: skip
        elif kind == "bot" and event.get("text"):
            agent = (event.get("metadata") or {}).get("agent")
            sender = "agent" if agent else "assistant"
            lines.append(TranscriptLine(float(event.get("timestamp") or 0), sender,
                                        str(event["text"]), agent=agent))  # fmt: skip
    return lines
