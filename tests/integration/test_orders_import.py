"""Importing orders into the store database: all records or none, re-import updates."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest
from store_helpers import (
    JANE,
    MARIA,
    count_rows,
    inserts_fail,
    open_store,
    sample_orders,
    sample_records,
)

from actions.bootstrap import Store
from actions.domain.orders import parse_order
from actions.service.errors import OrderNotVerified, RecordStoreUnavailable
from actions.service.orders_import import (
    ImportFormatError,
    ImportReport,
    import_orders,
    parse_orders_text,
)


@pytest.fixture
def empty_store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as built:
        yield built


def order_count(store: Store) -> int:
    with store.unit_of_work() as uow:
        return uow.orders.count()


def test_a_json_array_and_json_lines_give_the_same_orders() -> None:
    records = sample_records()
    as_array = json.dumps(records)
    as_lines = "\n".join(json.dumps(r) for r in records) + "\n\n"

    assert parse_orders_text(as_array) == parse_orders_text(as_lines) == sample_orders()


def test_a_bad_record_in_the_middle_lists_the_problem_and_imports_nothing() -> None:
    good, other = sample_records()
    bad = copy.deepcopy(good) | {"order_id": "200001", "email": "not-an-email"}
    text = json.dumps([good, bad, other])

    with pytest.raises(ImportFormatError) as raised:
        parse_orders_text(text)

    assert raised.value.problems == ["record 2: email: not an email address: 'not-an-email'"]


def test_every_bad_record_is_listed_with_where_it_is() -> None:
    good, other = sample_records()
    no_items = copy.deepcopy(other) | {"items": []}
    bad_price = copy.deepcopy(good)
    bad_price["items"][1]["unit_price"] = "cheap"
    lines = [json.dumps(r) for r in (good, no_items, bad_price, good)]

    with pytest.raises(ImportFormatError) as raised:
        parse_orders_text("\n".join(lines))

    problems = raised.value.problems
    assert len(problems) == 3
    assert problems[0] == "line 2: items: expected a non-empty list"
    assert problems[1].startswith("line 3: items[1].unit_price")
    assert problems[2] == "line 4: order 100482 already appears in line 1"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("[{]", "line 1: invalid JSON"),
        ('{"order_id": "1"}\n{oops', "line 2: invalid JSON"),
    ],
)
def test_a_file_that_is_not_json_names_the_line(text: str, problem: str) -> None:
    with pytest.raises(ImportFormatError) as raised:
        parse_orders_text(text)
    assert raised.value.problems[0].startswith(problem)


def test_importing_creates_the_orders_and_makes_them_verifiable(empty_store: Store) -> None:
    report = import_orders(sample_orders(), empty_store.unit_of_work, empty_store.clock)

    assert report == ImportReport(created=2, updated=0)
    assert order_count(empty_store) == 2
    assert empty_store.desk.verify_order("so-2026-0042", MARIA).order_id == "SO-2026-0042"


def test_an_imported_order_reads_back_equal_to_what_was_imported(empty_store: Store) -> None:
    orders = sample_orders()
    import_orders(orders, empty_store.unit_of_work, empty_store.clock)

    with empty_store.unit_of_work() as uow:
        assert [uow.orders.get(order.key) for order in orders] == orders


def test_re_importing_an_order_updates_it(empty_store: Store) -> None:
    import_orders(sample_orders(), empty_store.unit_of_work, empty_store.clock)
    changed = copy.deepcopy(sample_records()[0])
    changed["email"] = "jane.new@example.com"
    changed["items"][0]["quantity"] = 3

    report = import_orders([parse_order(changed)], empty_store.unit_of_work, empty_store.clock)

    assert report == ImportReport(created=0, updated=1)
    assert order_count(empty_store) == 2
    order = empty_store.desk.verify_order("100482", "jane.new@example.com")
    assert order.item("MUG-01") is not None and order.item("MUG-01").quantity == 3
    with pytest.raises(OrderNotVerified):
        empty_store.desk.verify_order("100482", JANE)


def test_a_database_error_during_import_rolls_back_the_updates_too(empty_store: Store) -> None:
    first, second = sample_orders()
    import_orders([first], empty_store.unit_of_work, empty_store.clock)
    updated = parse_order(sample_records()[0] | {"email": "jane.new@example.com"})
    with inserts_fail(empty_store, "orders"), pytest.raises(RecordStoreUnavailable):
        import_orders([updated, second], empty_store.unit_of_work, empty_store.clock)

    assert count_rows(empty_store, "orders") == 1
    assert empty_store.desk.verify_order("100482", JANE).email == JANE
