"""Pushes to a buyer's conversation through Rasa's HTTP API.

``POST /conversations/<id>/trigger_intent?output_channel=<channel>`` runs
the assistant as if the buyer had sent ``EXTERNAL_return_status_changed``:
the reply is written by the assistant, in the conversation's language, and
sent on the channel the return was made in (the web widget, Telegram,
WhatsApp, Messenger, Slack). The REST channel answers requests only, so it
cannot receive a push.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import requests

from actions.domain.returns import ReturnRecord
from actions.service.notifications import Notice

STATUS_INTENT = "EXTERNAL_return_status_changed"
PATH_SAFE = ":@+!$&'()*,;="
PUSH_CHANNELS = frozenset({"socketio", "telegram", "whatsapp", "messenger", "slack"})


@dataclass(frozen=True)
class RasaPush:
    """The Rasa server's URL and, when it requires one, its auth token."""

    rasa_url: str
    token: str | None = None
    timeout_seconds: float = 15

    def return_status_changed(self, record: ReturnRecord) -> Notice:
        if record.channel not in PUSH_CHANNELS:
            return Notice(False, f"the '{record.channel}' channel cannot receive messages")
        # Rasa's router does not unquote path parameters, so characters that are
        # legal in a path ("whatsapp:+34...", "C1:U2") must be sent as they are.
        conversation = quote(record.conversation_id, safe=PATH_SAFE)
        url = f"{self.rasa_url.rstrip('/')}/conversations/{conversation}/trigger_intent"
        params = {"output_channel": record.channel}
        if self.token:
            params["token"] = self.token
        body = {"name": STATUS_INTENT, "entities": {"rma": record.rma}}
        try:
            reply = requests.post(url, params=params, json=body, timeout=self.timeout_seconds)
        except requests.RequestException as error:
            return Notice(False, f"Rasa at {self.rasa_url} did not answer: {type(error).__name__}")
        if reply.status_code != 200:
            return Notice(False, f"Rasa answered HTTP {reply.status_code}: {reply.text[:200]}")
        return Notice(True, f"told on {record.channel}")
