"""Tickets, agents and console sessions: rows <-> domain records."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from actions.domain.handoff import (
    OPEN_STATUSES,
    HandoffSummary,
    HandoffTrigger,
    Ticket,
    TicketStatus,
)
from actions.records.tables import AgentRow, AgentSessionRow, HandoffTicketRow


def _summary_to_json(summary: HandoffSummary) -> str:
    raw = asdict(summary)
    raw["trigger"] = summary.trigger.value
    raw["items"] = dict(summary.items)
    raw["reasons"] = list(summary.reasons)
    raw["details"] = dict(summary.details)
    return json.dumps(raw, ensure_ascii=False, sort_keys=True)


def _summary_from_json(text: str) -> HandoffSummary:
    raw = json.loads(text)
    raw["trigger"] = HandoffTrigger(raw["trigger"])
    raw["reasons"] = tuple(raw.get("reasons") or ())
    return HandoffSummary(**raw)


def _ticket(row: HandoffTicketRow) -> Ticket:
    return Ticket(
        id=row.id,
        summary=_summary_from_json(row.summary),
        status=TicketStatus(row.status),
        opened_at=row.opened_at,
        agent=row.agent,
        taken_at=row.taken_at,
        closed_at=row.closed_at,
        outcome=row.outcome or "",
    )


class SqlTicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, summary: HandoffSummary, at: datetime) -> Ticket:
        row = HandoffTicketRow(
            conversation_id=summary.conversation_id,
            channel=summary.channel,
            language=summary.language,
            trigger=summary.trigger.value,
            summary=_summary_to_json(summary),
            status=TicketStatus.WAITING.value,
            opened_at=at,
            outcome="",
        )
        self.session.add(row)
        self.session.flush()
        return _ticket(row)

    def get(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(HandoffTicketRow, ticket_id)
        return None if row is None else _ticket(row)

    def open_for(self, conversation_id: str) -> Ticket | None:
        row = self.session.execute(
            select(HandoffTicketRow)
            .where(HandoffTicketRow.conversation_id == conversation_id)
            .where(HandoffTicketRow.status.in_([s.value for s in OPEN_STATUSES]))
            .order_by(HandoffTicketRow.id.desc())
        ).scalars().first()
        return None if row is None else _ticket(row)

    def open_tickets(self) -> list[Ticket]:
        rows = self.session.execute(
            select(HandoffTicketRow)
            .where(HandoffTicketRow.status.in_([s.value for s in OPEN_STATUSES]))
            .order_by(HandoffTicketRow.opened_at)
        ).scalars()
        return [_ticket(row) for row in rows]

    def take(self, ticket_id: int, agent: str, at: datetime) -> bool:
        """Assign a waiting ticket; False when another agent got there first.

        One UPDATE with the status in its WHERE clause: of two agents taking
        the same ticket at once, the database lets exactly one change a row.
        """
        changed = self.session.execute(
            update(HandoffTicketRow)
            .where(HandoffTicketRow.id == ticket_id)
            .where(HandoffTicketRow.status == TicketStatus.WAITING.value)
            .values(status=TicketStatus.TAKEN.value, agent=agent, taken_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(changed.rowcount == 1)

    def finish(self, ticket_id: int, status: TicketStatus, outcome: str, at: datetime) -> None:
        row = self.session.get(HandoffTicketRow, ticket_id)
        if row is not None:
            row.status = status.value
            row.closed_at = at
            row.outcome = outcome


class SqlAgentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, username: str, display_name: str, password_hash: str, at: datetime) -> bool:
        """False when the username exists already."""
        if self.session.get(AgentRow, username) is not None:
            return False
        self.session.add(
            AgentRow(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
                created_at=at,
            )
        )
        return True

    def password_hash(self, username: str) -> str | None:
        row = self.session.get(AgentRow, username)
        return None if row is None else str(row.password_hash)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        row = self.session.get(AgentRow, username)
        if row is not None:
            row.password_hash = password_hash

    def display_name(self, username: str) -> str | None:
        row = self.session.get(AgentRow, username)
        return None if row is None else str(row.display_name)

    def add_session(
        self, token_hash: str, username: str, csrf: str, at: datetime, expires: datetime
    ) -> None:
        self.session.add(
            AgentSessionRow(
                token_hash=token_hash, username=username, csrf_token=csrf,
                created_at=at, expires_at=expires,
            )
        )  # fmt: skip

    def session_of(self, token_hash: str, now: datetime) -> tuple[str, str] | None:
        """``(username, csrf_token)`` of a live session."""
        row = self.session.get(AgentSessionRow, token_hash)
        if row is None or row.expires_at <= now:
            return None
        return str(row.username), str(row.csrf_token)

    def end_session(self, token_hash: str) -> None:
        ended = delete(AgentSessionRow).where(AgentSessionRow.token_hash == token_hash)
        self.session.execute(ended)
