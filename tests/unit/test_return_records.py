"""Return records in the domain: RMA numbers, the status lifecycle, the idempotency key."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from actions.domain.returns import (
    ALLOWED_TRANSITIONS,
    RMA_ALPHABET,
    UNITS_HELD_BY,
    InvalidTransition,
    ReturnEvent,
    ReturnRecord,
    ReturnStatus,
    check_transition,
    idempotency_key,
    new_rma,
    normalise_rma,
)

RMA_SHAPE = re.compile(r"RMA-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")

# --- RMA numbers ------------------------------------------------------------------------------


def test_the_rma_alphabet_leaves_out_characters_that_are_easily_confused() -> None:
    assert set(RMA_ALPHABET).isdisjoint(set("01OILU"))
    assert len(set(RMA_ALPHABET)) == len(RMA_ALPHABET) == 30


def test_new_rma_numbers_have_the_documented_shape() -> None:
    draws = [new_rma() for _ in range(2_000)]

    assert all(RMA_SHAPE.fullmatch(rma) for rma in draws)


def test_new_rma_numbers_are_practically_unique_and_use_the_whole_alphabet() -> None:
    draws = [new_rma() for _ in range(2_000)]

    # 30^6 values: two equal among 2000 draws happens ~0.3% of the time, ten never.
    assert len(set(draws)) >= 1_990
    assert set("".join(rma[4:] for rma in draws)) == set(RMA_ALPHABET)


def test_new_rma_draws_each_character_with_the_chooser_given() -> None:
    assert new_rma(lambda alphabet: alphabet[0]) == "RMA-222222"
    cycle = itertools.cycle("7K2Q9D")
    assert new_rma(lambda alphabet: next(cycle)) == "RMA-7K2Q9D"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RMA-7K2Q9D", "RMA-7K2Q9D"),
        (" rma-7k2q9d ", "RMA-7K2Q9D"),
        ("7k2q9d", "RMA-7K2Q9D"),
        ("RMA-7K2 Q9D", "RMA-7K2Q9D"),
    ],
)
def test_normalise_rma_accepts_the_ways_buyers_type_it(raw: str, expected: str) -> None:
    assert normalise_rma(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "RMA-", "RMA-7K2Q9", "RMA-7K2Q9DX", "RMA-7K2Q9O", "RMA-1K2Q9D", "100482", "RMA_7K2Q9D"],
)
def test_normalise_rma_refuses_what_cannot_be_an_rma(raw: str) -> None:
    assert normalise_rma(raw) is None


@pytest.mark.parametrize("raw", ["RMA 7K2Q9D", "rma7k2q9d", "RMA - 7K2Q9D"])
def test_normalise_rma_accepts_the_prefix_without_a_dash_as_the_extractor_does(raw: str) -> None:
    assert normalise_rma(raw) == "RMA-7K2Q9D"


@pytest.mark.parametrize("code", ["RMAB23", "RMA234"])
def test_a_number_whose_code_starts_with_rma_is_kept_whole(code: str) -> None:
    # new_rma can draw R, M, A first: "RMA-RMAB23" is a real number.
    assert normalise_rma(f"RMA-{code}") == f"RMA-{code}"
    assert normalise_rma(f"rma {code.lower()}") == f"RMA-{code}"


def test_a_bare_code_that_starts_with_rma_is_still_a_code() -> None:
    assert normalise_rma("rmab23") == "RMA-RMAB23"


# --- lifecycle --------------------------------------------------------------------------------

S = ReturnStatus
LIFECYCLE = {
    (S.ESCALATED, S.APPROVED), (S.ESCALATED, S.DENIED), (S.ESCALATED, S.CLOSED),
    (S.APPROVED, S.LABEL_SENT), (S.APPROVED, S.RECEIVED), (S.APPROVED, S.REFUNDED),
    (S.APPROVED, S.CLOSED),
    (S.LABEL_SENT, S.RECEIVED), (S.LABEL_SENT, S.CLOSED),
    (S.RECEIVED, S.REFUNDED), (S.RECEIVED, S.CLOSED),
    (S.REFUNDED, S.CLOSED),
    (S.DENIED, S.CLOSED),
}  # fmt: skip


@pytest.mark.parametrize(("current", "new"), sorted(LIFECYCLE))
def test_each_step_of_the_lifecycle_is_allowed(current: S, new: S) -> None:
    check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    sorted(set(itertools.product(S, S)) - LIFECYCLE),
)
def test_every_other_change_is_refused(current: S, new: S) -> None:
    with pytest.raises(InvalidTransition):
        check_transition(current, new)


def test_a_refused_change_names_both_statuses_and_what_is_allowed() -> None:
    with pytest.raises(InvalidTransition) as raised:
        check_transition(S.REFUNDED, S.APPROVED)

    assert str(raised.value) == "cannot move a return from refunded to approved (allowed: closed)"


def test_a_closed_return_allows_nothing() -> None:
    with pytest.raises(InvalidTransition, match=r"allowed: none"):
        check_transition(S.CLOSED, S.APPROVED)
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()


def test_units_are_held_by_open_returns_but_not_by_denied_or_closed_ones() -> None:
    assert set(S) - {S.DENIED, S.CLOSED} == UNITS_HELD_BY


# --- idempotency key --------------------------------------------------------------------------


def key(**changes: object) -> str:
    arguments: dict[str, object] = {
        "conversation_id": "c-1",
        "order_key": "100482",
        "items": {"MUG-01": 1, "JKT-07": 1},
        "reason": "damaged",
        "condition": None,
        "resolution": "refund",
    }
    arguments.update(changes)
    return idempotency_key(**arguments)  # type: ignore[arg-type]


def test_the_idempotency_key_is_stable_and_ignores_item_order() -> None:
    assert key() == key()
    assert key() == key(items={"JKT-07": 1, "MUG-01": 1})
    assert re.fullmatch(r"[0-9a-f]{64}", key())


def test_the_idempotency_key_does_not_change_between_releases() -> None:
    # Keys are stored: a retry after an upgrade must still find the first return.
    assert key() == "a38a5415d7530da1aad183063a9645af2adf3c704792a896b3037fa3a8cc3e3c"


def test_no_condition_and_the_text_none_give_different_keys() -> None:
    assert key(condition=None) != key(condition="None")


@pytest.mark.parametrize(
    "change",
    [
        {"conversation_id": "c-2"},
        {"order_key": "100483"},
        {"items": {"MUG-01": 2, "JKT-07": 1}},
        {"items": {"MUG-01": 1}},
        {"reason": "defective"},
        {"condition": "used"},
        {"resolution": "store_credit"},
    ],
)
def test_the_idempotency_key_changes_with_any_part_of_the_request(change: dict) -> None:
    assert key(**change) != key()


def test_the_idempotency_key_cannot_be_forged_by_moving_text_between_fields() -> None:
    assert key(conversation_id="c-1", order_key="100482") != key(
        conversation_id="c-1,100482", order_key=""
    )


# --- export -----------------------------------------------------------------------------------


def test_a_record_exports_in_the_contract_format() -> None:
    record = ReturnRecord(
        rma="RMA-7K2Q9D",
        order_id="100482",
        order_key="100482",
        buyer_email="jane@example.com",
        created_at=datetime(2026, 10, 20, 12, 0),
        language="de",
        channel="rest",
        conversation_id="c-1",
        reason="damaged",
        condition=None,
        requested_resolution="refund",
        items={"MUG-01": 1},
        decision="approve",
        resolution="refund",
        refund_total=Decimal("15.45"),
        currency="EUR",
        return_required=False,
        return_shipping_paid_by=None,
        return_by=date(2026, 11, 3),
        reasons=("returnless",),
        status=S.APPROVED,
        events=(
            ReturnEvent(at=datetime(2026, 10, 20, 12, 0), actor="assistant:rest", action="created"),
        ),
    )

    exported = record.export()

    assert exported == {
        "rma": "RMA-7K2Q9D", "order_id": "100482", "created_at": "2026-10-20T12:00:00",
        "language": "de", "channel": "rest", "reason": "damaged",
        "items": [{"sku": "MUG-01", "quantity": 1}], "decision": "approve",
        "resolution": "refund", "refund_total": "15.45", "currency": "EUR",
        "return_required": False, "status": "approved", "reasons": ["returnless"],
        "return_by": "2026-11-03", "return_shipping_paid_by": None, "condition": None,
    }  # fmt: skip
    assert "buyer_email" not in exported
    assert "conversation_id" not in exported
