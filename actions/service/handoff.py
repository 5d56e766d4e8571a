"""Use cases of a handed-over conversation: open, queue, take, reply, decide, hand back.

The assistant opens tickets (``action_handoff``); agents work them in the
console. Talking to the buyer goes through a ``ConversationGateway`` port
(Rasa's HTTP API in production), so this layer never knows about Rasa.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from actions.clock import Clock
from actions.domain.handoff import (
    HandoffSummary,
    Ticket,
    TicketError,
    TicketNotFound,
    TicketStatus,
    TicketTaken,
    check_agent_may_act,
    queue_order,
)
from actions.domain.returns import ReturnStatus
from actions.records.unit_of_work import SqlUnitOfWork
from actions.service.errors import RecordStoreUnavailable
from actions.service.notifications import Notice
from actions.service.returns import ReturnsDesk

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranscriptLine:
    at: float
    sender: str  # "buyer" | "assistant" | "agent"
    text: str
    agent: str | None = None
    while_paused: bool = False


class ConversationUnreachable(RuntimeError):
    """The buyer's conversation could not be written to (Rasa down, channel refused)."""


class ConversationGateway(Protocol):
    def send_agent_message(self, conversation_id: str, channel: str, text: str, agent: str) -> bool:
        """Add an agent's words to the conversation and send them on the buyer's channel.

        Returns False when the channel cannot receive pushes (REST): the words
        are then only in the conversation. ConversationUnreachable on failure.
        """

    def resume(self, conversation_id: str, channel: str, announce: bool) -> None:
        """Let the assistant answer again; ``announce`` has it greet the buyer."""

    def transcript(self, conversation_id: str) -> list[TranscriptLine]:
        """The conversation so far, messages sent while paused included."""


class TicketNotifier(Protocol):
    def ticket_opened(self, ticket: Mapping[str, Any]) -> Notice: ...


class HandoffDesk:
    def __init__(
        self,
        unit_of_work: Callable[[], SqlUnitOfWork],
        returns: ReturnsDesk,
        conversations: ConversationGateway,
        clock: Clock,
        notifier: TicketNotifier | None = None,
        notify_in_background: bool = True,
    ) -> None:
        self._uow = unit_of_work
        self.returns = returns
        self.conversations = conversations
        self.clock = clock
        self.notifier = notifier
        self.notify_in_background = notify_in_background

    def open_ticket(self, summary: HandoffSummary) -> tuple[Ticket, bool]:
        """The conversation's open ticket, opened now if it has none: ``(ticket, new)``."""
        try:
            with self._uow() as uow:
                existing = uow.tickets.open_for(summary.conversation_id)
                if existing is not None:
                    return existing, False
                ticket = uow.tickets.add(summary, self.clock.now())
                uow.commit()
        except SQLAlchemyError as error:
            raise RecordStoreUnavailable(type(error).__name__) from error
        if self.notifier is not None:
            # A slow or failing helpdesk (retries, timeouts) must not hold up
            # the buyer's reply; the ticket is in our own queue either way.
            if self.notify_in_background:
                threading.Thread(target=self._tell_helpdesk, args=(ticket,), daemon=True).start()
            else:
                self._tell_helpdesk(ticket)
        return ticket, True

    def _tell_helpdesk(self, ticket: Ticket) -> None:
        assert self.notifier is not None
        try:
            notice = self.notifier.ticket_opened(ticket_payload(ticket))
        except Exception:
            logger.exception("ticket %s: the helpdesk notifier failed", ticket.id)
            return
        if not notice.delivered:
            logger.warning("ticket %s not sent to the helpdesk: %s", ticket.id, notice.detail)

    def queue(self) -> list[Ticket]:
        return queue_order(self._read(lambda uow: uow.tickets.open_tickets()))

    def get(self, ticket_id: int) -> Ticket:
        ticket = self._read(lambda uow: uow.tickets.get(ticket_id))
        if ticket is None:
            raise TicketNotFound(ticket_id)
        return ticket

    def take(self, ticket_id: int, agent: str) -> Ticket:
        """Assign the ticket to ``agent``; TicketTaken when someone else has it."""
        with self._uow() as uow:
            won = uow.tickets.take(ticket_id, agent, self.clock.now())
            uow.commit()
            ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        if not won and ticket.agent != agent:
            if ticket.status is TicketStatus.TAKEN:
                raise TicketTaken(ticket_id, ticket.agent or "another agent")
            raise TicketError(f"ticket {ticket_id} is {ticket.status.value}")
        return ticket

    def reply(self, ticket_id: int, agent: str, text: str) -> bool:
        """True when the buyer's channel received it (False: REST, kept in the conversation)."""
        text = text.strip()
        if not text:
            raise TicketError("the reply is empty")
        ticket = self.get(ticket_id)
        check_agent_may_act(ticket, agent)
        summary = ticket.summary
        return self.conversations.send_agent_message(
            summary.conversation_id, summary.channel, text[:4000], agent
        )

    def decide(self, ticket_id: int, agent: str, approve: bool, note: str) -> ReturnStatus:
        """Approve or deny the escalated return of the ticket; logged with the agent's name."""
        ticket = self.get(ticket_id)
        check_agent_may_act(ticket, agent)
        if not ticket.summary.rma:
            raise TicketError(f"ticket {ticket_id} has no return to decide")
        status = ReturnStatus.APPROVED if approve else ReturnStatus.DENIED
        record = self.returns.change_status(ticket.summary.rma, status, f"agent:{agent}", note)
        return record.status

    def hand_back(self, ticket_id: int, agent: str) -> Ticket:
        return self._finish(ticket_id, agent, TicketStatus.HANDED_BACK, "", announce=True)

    def close(self, ticket_id: int, agent: str, note: str) -> Ticket:
        return self._finish(ticket_id, agent, TicketStatus.CLOSED, note, announce=False)

    def transcript(self, ticket_id: int) -> list[TranscriptLine]:
        return self.conversations.transcript(self.get(ticket_id).summary.conversation_id)

    def _finish(
        self, ticket_id: int, agent: str, status: TicketStatus, note: str, announce: bool
    ) -> Ticket:
        ticket = self.get(ticket_id)
        check_agent_may_act(ticket, agent)
        summary = ticket.summary
        self.conversations.resume(summary.conversation_id, summary.channel, announce)
        with self._uow() as uow:
            uow.tickets.finish(ticket_id, status, note, self.clock.now())
            uow.commit()
            finished = uow.tickets.get(ticket_id)
        assert finished is not None
        return finished

    def _read(self, query: Callable[[SqlUnitOfWork], Any]) -> Any:
        try:
            with self._uow() as uow:
                return query(uow)
        except SQLAlchemyError as error:
            raise RecordStoreUnavailable(type(error).__name__) from error


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    """A ticket as JSON for a helpdesk (and the console's API)."""
    summary = ticket.summary
    return {
        "id": ticket.id,
        "status": ticket.status.value,
        "opened_at": _iso(ticket.opened_at),
        "agent": ticket.agent,
        "conversation_id": summary.conversation_id,
        "channel": summary.channel,
        "language": summary.language,
        "trigger": summary.trigger.value,
        "order_id": summary.order_id,
        "items": dict(summary.items),
        "reason": summary.reason,
        "rma": summary.rma,
        "decision": summary.decision,
        "reasons": list(summary.reasons),
        "details": dict(summary.details),
        "last_message": summary.last_message,
    }


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
