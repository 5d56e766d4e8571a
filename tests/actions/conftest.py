"""Action tests: the real action code on a real store (a SQLite file), built from the env."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions import bootstrap
from actions.bootstrap import Store
from actions.domain.orders import parse_order
from actions.service.orders_import import import_orders

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = "2026-10-20"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """What ``bootstrap.store()`` builds from RETURNBOT_DB_URL/RETURNBOT_NOW, sample orders in."""
    monkeypatch.setenv("RETURNBOT_DB_URL", f"sqlite:///{tmp_path / 'returnbot.db'}")
    monkeypatch.setenv("RETURNBOT_NOW", NOW)
    for name in ("RETURNBOT_POLICY", "RETURNBOT_SHOPIFY_URL", "RETURNBOT_SHOPIFY_TOKEN",
                 "RETURNBOT_AGENT_REPLY_HOURS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bootstrap, "_store", None)  # it caches the store of the last test
    built = bootstrap.store()
    records = json.loads((DATA / "sample_orders.json").read_text(encoding="utf-8"))
    import_orders([parse_order(r) for r in records], built.unit_of_work, built.clock)
    yield built
    built.close()
