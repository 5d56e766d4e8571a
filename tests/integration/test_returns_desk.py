"""The returns desk on a real database (SQLite and PostgreSQL): ownership, submit, lifecycle.

Sample orders (tests/data/sample_orders.json), with the clock at 2026-10-20:
order 100482 (Jane, Germany) has two ceramic mugs (12.50 EUR) and a rain
jacket (59.00 EUR), 9.90 EUR shipping; order SO-2026-0042 (Maria, Brazil) is
still in transit.
"""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from store_helpers import JANE, MARIA, count_rows, inserts_fail

from actions.bootstrap import Store
from actions.domain.requests import Condition, Reason, Resolution
from actions.domain.returns import InvalidTransition, ReturnStatus
from actions.records.tables import AppendOnlyViolation, ReturnEventRow
from actions.service.errors import (
    MalformedEmail,
    MalformedOrderId,
    OrderNotVerified,
    RecordStoreUnavailable,
    ReturnNotFound,
)
from actions.service.returns import ReturnsDesk, SubmitReturn

CONTRACT_KEYS = {
    "rma", "order_id", "created_at", "language", "channel", "reason", "items", "decision",
    "resolution", "refund_total", "currency", "return_required", "status", "reasons",
}  # fmt: skip


def command(
    conversation: str = "conversation-1",
    items: dict[str, int] | None = None,
    *,
    reason: Reason = Reason.DAMAGED,
    condition: Condition | None = None,
    resolution: Resolution = Resolution.REFUND,
    order_id: str = "100482",
    email: str = JANE,
    language: str = "de",
) -> SubmitReturn:
    return SubmitReturn(
        conversation_id=conversation,
        channel="rest",
        language=language,
        order_id=order_id,
        email=email,
        items=items if items is not None else {"MUG-01": 1},
        reason=reason,
        condition=condition,
        resolution=resolution,
    )


# --- ownership --------------------------------------------------------------------------------


def test_the_order_is_returned_when_id_and_email_match(store: Store) -> None:
    order = store.desk.verify_order(" #100482 ", "  Jane.Doe@Example.COM ")

    assert order.order_id == "100482"
    assert [item.sku for item in order.items] == ["MUG-01", "JKT-07"]


def test_unknown_order_and_wrong_email_raise_the_same_error(store: Store) -> None:
    with pytest.raises(OrderNotVerified) as unknown:
        store.desk.verify_order("999999", JANE)
    with pytest.raises(OrderNotVerified) as wrong_email:
        store.desk.verify_order("100482", MARIA)

    assert type(unknown.value) is type(wrong_email.value)
    assert str(unknown.value) == "999999"
    assert str(wrong_email.value) == "100482"


class _CountingSource:
    def __init__(self) -> None:
        self.lookups: list[str] = []

    def find(self, order_key: str) -> Any:
        self.lookups.append(order_key)
        return None


@pytest.mark.parametrize("order_id", ["hello world!!", "", "x" * 41, "100482; DROP TABLE orders"])
def test_a_malformed_order_id_raises_before_any_lookup(store: Store, order_id: str) -> None:
    source = _CountingSource()
    desk = ReturnsDesk(store.unit_of_work, source, store.policy, store.clock)

    with pytest.raises(MalformedOrderId):
        desk.verify_order(order_id, JANE)
    assert source.lookups == []


def test_a_malformed_email_raises_before_any_lookup(store: Store) -> None:
    source = _CountingSource()
    desk = ReturnsDesk(store.unit_of_work, source, store.policy, store.clock)

    with pytest.raises(MalformedEmail):
        desk.verify_order("100482", "jane at example")
    assert source.lookups == []


# --- submitting -------------------------------------------------------------------------------


def test_submit_approves_a_broken_mug_and_records_it_in_the_export_format(store: Store) -> None:
    submitted = store.desk.submit(command())

    assert submitted.created is True
    assert submitted.decision is not None
    exported = submitted.record.export()
    assert set(exported) >= CONTRACT_KEYS
    assert exported["rma"].startswith("RMA-") and len(exported["rma"]) == 10
    assert exported == {
        "rma": submitted.record.rma,
        "order_id": "100482",
        "created_at": "2026-10-20T12:00:00",
        "language": "de",
        "channel": "rest",
        "reason": "damaged",
        "items": [{"sku": "MUG-01", "quantity": 1}],
        "decision": "approve",
        "resolution": "refund",
        # 12.50 + 9.90 x 12.50 / 84.00 (the mug's share of shipping) = 13.97
        "refund_total": "13.97",
        "currency": "EUR",
        "return_required": False,
        "status": "approved",
        "reasons": ["returnless"],
        "return_by": None,
        "return_shipping_paid_by": None,
        "condition": None,
    }
    assert [r.export() for r in store.desk.all_returns()] == [exported]


def test_the_recorded_return_logs_its_creation_by_the_assistant(store: Store) -> None:
    record = store.desk.submit(command()).record

    stored = store.desk.get(record.rma)
    assert [(e.actor, e.action, e.from_status, e.to_status) for e in stored.events] == [
        ("assistant:rest", "created", None, "approved")
    ]
    assert stored.events[0].at == datetime(2026, 10, 20, 12, 0)
    assert stored.buyer_email == JANE
    assert stored.conversation_id == "conversation-1"


def test_the_refund_total_keeps_its_cents_exactly(store: Store) -> None:
    record = store.desk.submit(command(items={"JKT-07": 1})).record

    stored = store.desk.get(record.rma)
    assert stored.refund_total == Decimal("65.95")
    assert stored.return_required is True
    assert stored.return_shipping_paid_by == "seller"


def test_submitting_the_same_command_twice_returns_the_first_record(store: Store) -> None:
    first = store.desk.submit(command())
    again = store.desk.submit(command())

    assert again.created is False
    assert again.decision is None
    assert again.record.rma == first.record.rma
    assert count_rows(store, "returns") == 1
    assert count_rows(store, "return_items") == 1


def test_the_same_request_from_another_conversation_is_a_new_return(store: Store) -> None:
    first = store.desk.submit(command("conversation-1"))
    second = store.desk.submit(command("conversation-2"))

    assert second.created is True
    assert second.record.rma != first.record.rma
    assert count_rows(store, "returns") == 2


def test_units_already_returned_cannot_be_returned_by_another_conversation(store: Store) -> None:
    first = store.desk.submit(command("conversation-1", {"MUG-01": 2}))
    second = store.desk.submit(command("conversation-2", {"MUG-01": 1}))

    assert first.record.decision == "approve"
    assert second.record.decision == "deny"
    assert second.record.status is ReturnStatus.DENIED
    assert second.record.reasons[0] == "exceeds_returnable_quantity"


def test_returnable_units_count_only_units_held_by_open_returns(store: Store) -> None:
    order = store.desk.verify_order("100482", JANE)
    assert store.desk.returnable_units(order) == {"MUG-01": 2, "JKT-07": 1}

    held = store.desk.submit(command("c-1", {"MUG-01": 1})).record
    denied = store.desk.submit(command("c-2", {"MUG-01": 5}))
    assert denied.record.decision == "deny"
    assert store.desk.returnable_units(order) == {"MUG-01": 1, "JKT-07": 1}

    store.desk.change_status(held.rma, ReturnStatus.CLOSED, "agent:kim")
    assert store.desk.returnable_units(order) == {"MUG-01": 2, "JKT-07": 1}


def test_submit_verifies_the_order_again(store: Store) -> None:
    with pytest.raises(OrderNotVerified):
        store.desk.submit(command(email=MARIA))
    assert count_rows(store, "returns") == 0


def test_two_conversations_returning_the_same_units_at_once_get_one_approval(
    store: Store,
) -> None:
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def submit(conversation: str) -> None:
        try:
            start.wait(timeout=10)
            results.append(store.desk.submit(command(conversation, {"MUG-01": 2})).record.decision)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(f"c-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == ["approve", "deny"]


# --- failures while writing -------------------------------------------------------------------


def test_a_database_error_mid_submit_leaves_nothing_written(store: Store) -> None:
    with inserts_fail(store, "return_items"), pytest.raises(RecordStoreUnavailable):
        store.desk.submit(command())

    assert count_rows(store, "returns") == 0
    assert count_rows(store, "return_items") == 0
    assert count_rows(store, "return_events") == 0
    assert count_rows(store, "order_locks") == 0


def test_a_failed_submit_can_be_retried_once_the_database_is_back(store: Store) -> None:
    with inserts_fail(store, "return_items"), pytest.raises(RecordStoreUnavailable):
        store.desk.submit(command())

    retried = store.desk.submit(command())
    assert retried.created is True
    assert count_rows(store, "returns") == 1


def test_an_rma_collision_draws_a_new_number(store: Store) -> None:
    draws = iter(["RMA-222222", "RMA-222222", "RMA-333333"])
    desk = ReturnsDesk(
        store.unit_of_work, store.orders, store.policy, store.clock, rma_factory=lambda: next(draws)
    )

    first = desk.submit(command("conversation-1", {"MUG-01": 1}))
    second = desk.submit(command("conversation-2", {"JKT-07": 1}))

    assert first.record.rma == "RMA-222222"
    assert second.record.rma == "RMA-333333"
    assert second.created is True
    assert sorted(r.rma for r in desk.all_returns()) == ["RMA-222222", "RMA-333333"]


def test_endless_rma_collisions_give_up_without_writing(store: Store) -> None:
    desk = ReturnsDesk(
        store.unit_of_work,
        store.orders,
        store.policy,
        store.clock,
        rma_factory=lambda: "RMA-222222",
    )
    desk.submit(command("conversation-1", {"MUG-01": 1}))

    with pytest.raises(RecordStoreUnavailable):
        desk.submit(command("conversation-2", {"JKT-07": 1}))
    assert count_rows(store, "returns") == 1


# --- looking returns up -----------------------------------------------------------------------


def test_a_buyer_finds_their_return_by_rma_or_by_order(store: Store) -> None:
    record = store.desk.submit(command()).record

    by_rma = store.desk.returns_of_buyer(JANE.upper(), rma=record.rma.lower(), order_id=None)
    by_order = store.desk.returns_of_buyer(JANE, rma=None, order_id="#100482")

    assert [r.rma for r in by_rma] == [record.rma]
    assert [r.rma for r in by_order] == [record.rma]


def test_someone_else_cannot_see_a_return_even_with_its_rma(store: Store) -> None:
    record = store.desk.submit(command()).record

    with pytest.raises(ReturnNotFound):
        store.desk.returns_of_buyer(MARIA, rma=record.rma, order_id=None)
    with pytest.raises(ReturnNotFound):
        store.desk.returns_of_buyer(MARIA, rma=None, order_id="100482")
    with pytest.raises(ReturnNotFound):
        store.desk.returns_of_buyer(JANE, rma="RMA-ZZZZZZ", order_id=None)


def test_a_malformed_order_id_in_a_status_lookup_is_named_as_such(store: Store) -> None:
    with pytest.raises(MalformedOrderId):
        store.desk.returns_of_buyer(JANE, rma=None, order_id="no such thing!")


# --- lifecycle and its log --------------------------------------------------------------------


def test_change_status_follows_the_lifecycle_and_logs_who_and_when(store: Store) -> None:
    rma = store.desk.submit(command(items={"JKT-07": 1})).record.rma

    store.desk.change_status(rma, ReturnStatus.LABEL_SENT, "agent:kim", "label emailed")
    store.desk.change_status(rma, ReturnStatus.RECEIVED, "warehouse:berlin")
    updated = store.desk.change_status(rma, ReturnStatus.REFUNDED, "payments:stripe")

    assert updated.status is ReturnStatus.REFUNDED
    assert [(e.actor, e.action, e.from_status, e.to_status) for e in updated.events] == [
        ("assistant:rest", "created", None, "approved"),
        ("agent:kim", "status_changed", "approved", "label_sent"),
        ("warehouse:berlin", "status_changed", "label_sent", "received"),
        ("payments:stripe", "status_changed", "received", "refunded"),
    ]
    assert updated.events[1].details == {"note": "label emailed"}
    assert all(e.at == datetime(2026, 10, 20, 12, 0) for e in updated.events)
    assert store.desk.get(rma).status is ReturnStatus.REFUNDED


def test_a_change_the_lifecycle_forbids_changes_and_logs_nothing(store: Store) -> None:
    rma = store.desk.submit(command()).record.rma
    store.desk.change_status(rma, ReturnStatus.REFUNDED, "payments:stripe")

    with pytest.raises(InvalidTransition):
        store.desk.change_status(rma, ReturnStatus.APPROVED, "agent:kim")

    record = store.desk.get(rma)
    assert record.status is ReturnStatus.REFUNDED
    assert len(record.events) == 2


def test_changing_the_status_of_an_unknown_rma_raises_return_not_found(store: Store) -> None:
    with pytest.raises(ReturnNotFound):
        store.desk.change_status("RMA-ZZZZZZ", ReturnStatus.CLOSED, "agent:kim")


def test_logged_events_cannot_be_changed(store: Store) -> None:
    store.desk.submit(command())

    with store.unit_of_work() as uow:
        logged = uow.session.execute(select(ReturnEventRow)).scalars().one()
        logged.actor = "someone:else"
        with pytest.raises(AppendOnlyViolation):
            uow.session.flush()

    assert [e.actor for e in store.desk.all_returns()[0].events] == ["assistant:rest"]


def test_logged_events_cannot_be_deleted(store: Store) -> None:
    store.desk.submit(command())

    with store.unit_of_work() as uow:
        logged = uow.session.execute(select(ReturnEventRow)).scalars().one()
        uow.session.delete(logged)
        with pytest.raises(AppendOnlyViolation):
            uow.session.flush()

    assert count_rows(store, "return_events") == 1
