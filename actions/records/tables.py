"""Table definitions: the only place that knows how records are laid out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()


class OrderRow(Base):
    """An order of the built-in store database, kept in the import format."""

    __tablename__ = "orders"

    order_key = Column(String(40), primary_key=True)
    order_id = Column(String(40), nullable=False)
    email = Column(String(254), nullable=False)
    record = Column(Text, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class ReturnRow(Base):
    __tablename__ = "returns"

    id = Column(Integer, primary_key=True, autoincrement=True)
    rma = Column(String(16), nullable=False, unique=True)
    idempotency_key = Column(String(64), nullable=False, unique=True)
    order_key = Column(String(40), nullable=False, index=True)
    order_id = Column(String(40), nullable=False)
    buyer_email = Column(String(254), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)
    language = Column(String(8), nullable=False)
    channel = Column(String(32), nullable=False)
    conversation_id = Column(String(255), nullable=False)
    reason = Column(String(32), nullable=False)
    condition = Column(String(32))
    requested_resolution = Column(String(32), nullable=False)
    decision = Column(String(16), nullable=False)
    resolution = Column(String(32))
    # Exact decimal text: SQLite has no decimal type and floats lose cents.
    refund_total = Column(String(32))
    currency = Column(String(3), nullable=False)
    return_required = Column(Boolean, nullable=False)
    return_shipping_paid_by = Column(String(8))
    return_by = Column(Date)
    reasons = Column(Text, nullable=False)
    status = Column(String(16), nullable=False)

    items = relationship("ReturnItemRow", order_by="ReturnItemRow.id", cascade="all, delete-orphan")
    events = relationship("ReturnEventRow", order_by="ReturnEventRow.id")


class ReturnItemRow(Base):
    __tablename__ = "return_items"
    __table_args__ = (UniqueConstraint("return_id", "sku"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    sku = Column(String(64), nullable=False)
    quantity = Column(Integer, nullable=False)


class ReturnEventRow(Base):
    """Append-only: who did what to a return, and when."""

    __tablename__ = "return_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    return_id = Column(Integer, ForeignKey("returns.id"), nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    actor = Column(String(128), nullable=False)
    action = Column(String(64), nullable=False)
    from_status = Column(String(16))
    to_status = Column(String(16))
    details = Column(Text, nullable=False, default="{}")


class OrderLockRow(Base):
    """One row per order with returns: locked while a return is being decided.

    Two conversations returning units of the same order at once would both
    see the units as free; the row lock makes the second wait for the first.
    """

    __tablename__ = "order_locks"

    order_key = Column(String(40), primary_key=True)


class HandoffTicketRow(Base):
    """A conversation handed to a person; the summary is kept as JSON."""

    __tablename__ = "handoff_tickets"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False)
    trigger = Column(String(32), nullable=False)
    summary = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, index=True)
    agent = Column(String(64))
    opened_at = Column(DateTime, nullable=False)
    taken_at = Column(DateTime)
    closed_at = Column(DateTime)
    outcome = Column(Text, nullable=False, default="")


class AgentRow(Base):
    """A person who answers handed-over conversations in the agent console."""

    __tablename__ = "agents"

    username = Column(String(64), primary_key=True)
    display_name = Column(String(128), nullable=False)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False)


class AgentSessionRow(Base):
    """A console login; only the token's SHA-256 is stored, never the token."""

    __tablename__ = "agent_sessions"

    token_hash = Column(String(64), primary_key=True)
    username = Column(String(64), ForeignKey("agents.username"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)


class AppendOnlyViolation(RuntimeError):
    """Something tried to change or delete a logged return event."""


@event.listens_for(ReturnEventRow, "before_update")
def _refuse_event_update(*_: object) -> None:
    raise AppendOnlyViolation("return events are append-only; add a new event instead")


@event.listens_for(ReturnEventRow, "before_delete")
def _refuse_event_delete(*_: object) -> None:
    raise AppendOnlyViolation("return events are append-only and cannot be deleted")
