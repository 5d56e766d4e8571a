"""Importing orders into the store database: all records or none."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from actions.clock import Clock
from actions.domain.orders import Order, OrderFormatError, parse_order
from actions.service.errors import RecordStoreUnavailable
from actions.service.returns import UnitOfWorkFactory


class ImportFormatError(ValueError):
    """The file is not a JSON array or JSON lines of orders; lists every bad record."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def parse_orders_text(text: str) -> list[Order]:
    """Orders from a JSON array or JSON lines; every problem is reported, with where."""
    stripped = text.strip()
    records: list[tuple[str, Any]] = []
    if not stripped:
        raise ImportFormatError(["the file is empty"])
    if stripped.startswith("["):
        try:
            loaded = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ImportFormatError([f"line {error.lineno}: invalid JSON: {error.msg}"]) from None
        records = [(f"record {i + 1}", record) for i, record in enumerate(loaded)]
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((f"line {number}", json.loads(line)))
            except json.JSONDecodeError as error:
                raise ImportFormatError([f"line {number}: invalid JSON: {error.msg}"]) from None
    orders: list[Order] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for where, record in records:
        try:
            order = parse_order(record)
        except OrderFormatError as error:
            problems.append(f"{where}: {error}")
            continue
        if order.key in seen:
            problems.append(f"{where}: order {order.order_id} already appears in {seen[order.key]}")
            continue
        seen[order.key] = where
        orders.append(order)
    if problems:
        raise ImportFormatError(problems)
    return orders


def import_orders(
    orders: list[Order], unit_of_work: UnitOfWorkFactory, clock: Clock
) -> ImportReport:
    """Insert new orders and update existing ones, in one transaction."""
    created = updated = 0
    now = clock.now()
    try:
        with unit_of_work() as uow:
            for order in orders:
                if uow.orders.upsert(order, now):
                    created += 1
                else:
                    updated += 1
            uow.commit()
    except SQLAlchemyError as error:
        raise RecordStoreUnavailable(type(error).__name__) from error
    return ImportReport(created=created, updated=updated)
