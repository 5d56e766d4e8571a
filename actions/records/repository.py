"""Repositories: turn rows into domain records and back; no business rules here."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from actions.domain.orders import Order, order_to_record, parse_order
from actions.domain.returns import (
    UNITS_HELD_BY,
    ReturnEvent,
    ReturnRecord,
    ReturnStatus,
)
from actions.records.tables import (
    OrderLockRow,
    OrderRow,
    ReturnEventRow,
    ReturnItemRow,
    ReturnRow,
)


class SqlOrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_key: str) -> Order | None:
        row = self.session.get(OrderRow, order_key)
        return None if row is None else parse_order(json.loads(row.record))

    def upsert(self, order: Order, at: datetime) -> bool:
        """Insert or replace an order; True when it was new."""
        row = self.session.get(OrderRow, order.key)
        created = row is None
        if row is None:
            row = OrderRow(order_key=order.key)
            self.session.add(row)
        row.order_id = order.order_id
        row.email = order.email
        row.record = json.dumps(order_to_record(order), ensure_ascii=False)
        row.updated_at = at
        return created

    def count(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(OrderRow)).scalar_one())


class SqlReturnRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_order(self, order_key: str) -> None:
        """Serialise return decisions for one order until the transaction ends."""
        dialect = self.session.get_bind().dialect.name
        insert: Any = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
        if insert is not None:
            self.session.execute(
                insert(OrderLockRow).values(order_key=order_key).on_conflict_do_nothing()
            )
        elif self.session.get(OrderLockRow, order_key) is None:
            self.session.add(OrderLockRow(order_key=order_key))
            self.session.flush()
        self.session.execute(
            select(OrderLockRow).where(OrderLockRow.order_key == order_key).with_for_update()
        )

    def get(self, rma: str) -> ReturnRecord | None:
        row = self._row(rma)
        return None if row is None else _to_record(row)

    def get_by_idempotency_key(self, key: str) -> ReturnRecord | None:
        row = self.session.execute(
            select(ReturnRow).where(ReturnRow.idempotency_key == key)
        ).scalar_one_or_none()
        return None if row is None else _to_record(row)

    def for_order(self, order_key: str) -> list[ReturnRecord]:
        rows = self.session.execute(
            select(ReturnRow).where(ReturnRow.order_key == order_key).order_by(ReturnRow.id)
        ).scalars()
        return [_to_record(row) for row in rows]

    def all(self) -> list[ReturnRecord]:
        rows = self.session.execute(select(ReturnRow).order_by(ReturnRow.id)).scalars()
        return [_to_record(row) for row in rows]

    def held_units(self, order_key: str) -> dict[str, int]:
        """Units of an order in returns that are open or approved."""
        statement = (
            select(ReturnItemRow.sku, func.sum(ReturnItemRow.quantity))
            .join(ReturnRow, ReturnRow.id == ReturnItemRow.return_id)
            .where(ReturnRow.order_key == order_key)
            .where(ReturnRow.status.in_([s.value for s in UNITS_HELD_BY]))
            .group_by(ReturnItemRow.sku)
        )
        return {sku: int(total) for sku, total in self.session.execute(statement)}

    def count_returns_since(self, buyer_email: str, since: datetime) -> int:
        """The buyer's returns since ``since`` that were not denied."""
        statement = (
            select(func.count())
            .select_from(ReturnRow)
            .where(ReturnRow.buyer_email == buyer_email)
            .where(ReturnRow.created_at >= since)
            .where(ReturnRow.decision != "deny")
        )
        return int(self.session.execute(statement).scalar_one())

    def rma_exists(self, rma: str) -> bool:
        return self._row(rma) is not None

    def add(self, record: ReturnRecord, idempotency_key: str) -> None:
        row = ReturnRow(
            rma=record.rma,
            idempotency_key=idempotency_key,
            order_key=record.order_key,
            order_id=record.order_id,
            buyer_email=record.buyer_email,
            created_at=record.created_at,
            updated_at=record.created_at,
            language=record.language,
            channel=record.channel,
            conversation_id=record.conversation_id,
            reason=record.reason,
            condition=record.condition,
            requested_resolution=record.requested_resolution,
            decision=record.decision,
            resolution=record.resolution,
            refund_total=None if record.refund_total is None else str(record.refund_total),
            currency=record.currency,
            return_required=record.return_required,
            return_shipping_paid_by=record.return_shipping_paid_by,
            return_by=record.return_by,
            reasons=json.dumps(list(record.reasons)),
            status=record.status.value,
        )
        row.items = [ReturnItemRow(sku=sku, quantity=qty) for sku, qty in record.items.items()]
        self.session.add(row)
        self.session.flush()
        for logged in record.events:
            self._add_event(row, logged)

    def set_status(self, rma: str, status: ReturnStatus, logged: ReturnEvent) -> None:
        row = self._require(rma)
        row.status = status.value
        row.updated_at = logged.at
        self._add_event(row, logged)

    def set_decision(
        self, rma: str, decision: str, resolution: str | None, refund_total: Decimal | None
    ) -> None:
        row = self._require(rma)
        row.decision = decision
        row.resolution = resolution
        row.refund_total = None if refund_total is None else str(refund_total)

    def append_event(self, rma: str, logged: ReturnEvent) -> None:
        self._add_event(self._require(rma), logged)

    def _row(self, rma: str) -> ReturnRow | None:
        return self.session.execute(
            select(ReturnRow).where(ReturnRow.rma == rma)
        ).scalar_one_or_none()

    def _require(self, rma: str) -> ReturnRow:
        row = self._row(rma)
        if row is None:
            raise KeyError(rma)
        return row

    def _add_event(self, row: ReturnRow, logged: ReturnEvent) -> None:
        self.session.add(
            ReturnEventRow(
                return_id=row.id,
                at=logged.at,
                actor=logged.actor,
                action=logged.action,
                from_status=logged.from_status,
                to_status=logged.to_status,
                details=json.dumps(dict(logged.details), ensure_ascii=False, default=str),
            )
        )
        self.session.flush()


def _to_record(row: ReturnRow) -> ReturnRecord:
    return ReturnRecord(
        rma=row.rma,
        order_id=row.order_id,
        order_key=row.order_key,
        buyer_email=row.buyer_email,
        created_at=row.created_at,
        language=row.language,
        channel=row.channel,
        conversation_id=row.conversation_id,
        reason=row.reason,
        condition=row.condition,
        requested_resolution=row.requested_resolution,
        items={item.sku: item.quantity for item in row.items},
        decision=row.decision,
        resolution=row.resolution,
        refund_total=None if row.refund_total is None else Decimal(row.refund_total),
        currency=row.currency,
        return_required=row.return_required,
        return_shipping_paid_by=row.return_shipping_paid_by,
        return_by=row.return_by,
        reasons=tuple(json.loads(row.reasons)),
        status=ReturnStatus(row.status),
        events=tuple(
            ReturnEvent(
                at=event.at,
                actor=event.actor,
                action=event.action,
                from_status=event.from_status,
                to_status=event.to_status,
                details=json.loads(event.details or "{}"),
            )
            for event in row.events
        ),
    )
