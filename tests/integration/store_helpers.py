"""Helpers shared by the store tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from actions.bootstrap import Settings, Store, build_store
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


@contextmanager
def inserts_fail(store: Store, table: str) -> Iterator[None]:
    """The database rejects inserts into ``table``: a real error, mid-transaction."""
    engine = store.engine
    marker = f"INSERT INTO {table.upper()}"

    def rewrite(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> Any:
        if statement.lstrip().upper().startswith(marker):
            statement = statement.replace(table, "no_such_table", 1)
        return statement, parameters

    event.listen(engine, "before_cursor_execute", rewrite, retval=True)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", rewrite)


@contextmanager
def open_store(db_url: str, now: str = NOW) -> Iterator[Store]:
    """A store built as the action server builds it; its connections closed after."""
    built = build_store(Settings(db_url=db_url, policy_path=None, now=now))
    try:
        yield built
    finally:
        built.close()
