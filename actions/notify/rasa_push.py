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

from actions.domain.returns import ReturnRecord
from actions.notify.rasa_conversations import PUSH_CHANNELS, RasaConversations
from actions.service.handoff import ConversationUnreachable
from actions.service.notifications import Notice

STATUS_INTENT = "EXTERNAL_return_status_changed"


@dataclass(frozen=True)
class RasaPush:
    """The Rasa server's URL and, when it requires one, its auth token."""

    rasa_url: str
    token: str | None = None
    timeout_seconds: float = 15

    def return_status_changed(self, record: ReturnRecord) -> Notice:
        if record.channel not in PUSH_CHANNELS:
            return Notice(False, f"the '{record.channel}' channel cannot receive messages")
        rasa = RasaConversations(self.rasa_url, self.token, self.timeout_seconds)
        try:
            rasa.trigger_intent(
                record.conversation_id, record.channel, STATUS_INTENT, {"rma": record.rma}
            )
        except ConversationUnreachable as error:
            return Notice(False, str(error))
        return Notice(True, f"told on {record.channel}")
