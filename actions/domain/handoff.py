"""Handing a conversation to a person: tickets and their lifecycle.

A ticket is opened when the assistant stops answering a conversation; it
carries what an agent needs without reading the whole transcript (order,
items, reason, the policy's decision and its reason codes, language,
channel, what was collected). One agent holds a ticket at a time. Pure: no
clock, database or network here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class HandoffTrigger(str, Enum):
    """Why a person takes over."""

    POLICY = "policy_escalation"  # the policy engine decided `escalate`
    BUYER_ASKED = "buyer_asked"
    NOT_UNDERSTOOD = "not_understood_twice"
    UPSET = "buyer_upset"


class TicketStatus(str, Enum):
    WAITING = "waiting"  # in the queue; the conversation is paused
    TAKEN = "taken"  # an agent holds it
    HANDED_BACK = "handed_back"  # the assistant answers again
    CLOSED = "closed"  # done; the assistant answers again too


OPEN_STATUSES = frozenset({TicketStatus.WAITING, TicketStatus.TAKEN})


class TicketError(Exception):
    """Something an agent asked that the ticket's state does not allow."""


class TicketTaken(TicketError):
    """Another agent holds the ticket."""

    def __init__(self, ticket_id: int, agent: str) -> None:
        super().__init__(f"ticket {ticket_id} is already taken by {agent}")
        self.agent = agent


class TicketNotFound(TicketError):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"no ticket {ticket_id}")


@dataclass(frozen=True)
class HandoffSummary:
    """What the agent sees first; everything the assistant had collected."""

    conversation_id: str
    channel: str
    language: str
    trigger: HandoffTrigger
    order_id: str | None = None
    items: Mapping[str, int] = field(default_factory=dict)
    reason: str | None = None
    rma: str | None = None
    decision: str | None = None
    reasons: tuple[str, ...] = ()
    details: Mapping[str, str] = field(default_factory=dict)
    last_message: str = ""


@dataclass(frozen=True)
class Ticket:
    id: int
    summary: HandoffSummary
    status: TicketStatus
    opened_at: datetime
    agent: str | None = None
    taken_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def waiting_seconds(self, now: datetime) -> float:
        return max(0.0, (now - self.opened_at).total_seconds())


def check_agent_may_act(ticket: Ticket, agent: str) -> None:
    """Only the agent holding an open ticket replies, decides or hands it back."""
    if not ticket.is_open:
        raise TicketError(f"ticket {ticket.id} is {ticket.status.value}")
    if ticket.status is TicketStatus.WAITING:
        raise TicketError(f"take ticket {ticket.id} first")
    if ticket.agent != agent:
        raise TicketTaken(ticket.id, ticket.agent or "another agent")


def queue_order(tickets: list[Ticket]) -> list[Ticket]:
    """Waiting tickets first, longest waiting first; then taken ones."""
    return sorted(tickets, key=lambda t: (t.status is not TicketStatus.WAITING, t.opened_at))
