"""Helpers shared by the store tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from actions.bootstrap import Store
from actions.domain.orders import Order, parse_order

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = "2026-10-20"
JANE = "jane.doe@example.com"
MARIA = "m.silva@example.com.br"


def sample_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        (DATA / "sample_orders.json").read_text(encoding="utf-8")
    )
    return records


def sample_orders() -> list[Order]:
    return [parse_order(record) for record in sample_records()]


def count_rows(store: Store, table: str) -> int:
    """Rows in ``table``, counted with plain SQL rather than through the code under test."""
    with store.unit_of_work() as uow:
        return int(uow.session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
