"""The operator's command line (``bot.cli.main``) against a real store database."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import DATA, JANE, NOW, open_store, sample_records

from actions.bootstrap import Store
from actions.domain.requests import Reason, Resolution
from actions.service.orders_import import import_orders, parse_orders_text
from actions.service.returns import SubmitReturn
from bot.cli import EXPORT_COLUMNS, main

CONTRACT_KEYS = {
    "rma", "order_id", "created_at", "language", "channel", "reason", "items", "decision",
    "resolution", "refund_total", "currency", "return_required", "status", "reasons",
}  # fmt: skip
DECISION_KEYS = {
    "decision", "resolution", "return_required", "return_shipping_paid_by", "refund_total",
    "currency", "reasons", "return_by",
}  # fmt: skip


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI's environment: this test's database and a frozen clock."""
    monkeypatch.setenv("RETURNBOT_DB_URL", db_url)
    monkeypatch.setenv("RETURNBOT_NOW", NOW)
    for name in ("RETURNBOT_POLICY", "RETURNBOT_SHOPIFY_URL", "RETURNBOT_SHOPIFY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return db_url


@pytest.fixture
def same_store(env: str) -> Iterator[Store]:
    """The store the CLI uses, built independently to check what it wrote."""
    with open_store(env) as built:
        yield built


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# --- orders import ----------------------------------------------------------------------------


def test_orders_import_reports_created_then_updated(
    env: str, same_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(DATA / "sample_orders.json")

    assert run(capsys, "orders", "import", sample) == (
        0,
        "imported 2 new and updated 0 orders\n",
        "",
    )
    assert run(capsys, "orders", "import", sample) == (
        0,
        "imported 0 new and updated 2 orders\n",
        "",
    )
    assert same_store.desk.verify_order("100482", JANE).order_id == "100482"


def test_orders_import_with_a_bad_record_imports_nothing_and_names_it(
    env: str, same_store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good, other = sample_records()
    bad = copy.deepcopy(other) | {"order_id": "SO-2026-0099", "currency": "euro"}
    path = write_json(tmp_path / "orders.json", [good, bad, other])

    code, out, err = run(capsys, "orders", "import", str(path))

    assert code == 1
    assert out == ""
    assert "nothing imported" in err
    assert "record 2: currency: expected an ISO 4217 code, got 'EURO'" in err
    with same_store.unit_of_work() as uow:
        assert uow.orders.count() == 0


def test_orders_import_of_a_missing_file_is_an_error_naming_it(
    env: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "orders", "import", str(tmp_path / "missing.json"))

    assert code == 1
    assert "missing.json" in err
    assert "Traceback" not in err


def test_a_bad_returnbot_now_is_an_error_naming_the_variable(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETURNBOT_NOW", "next tuesday")

    code, _, err = run(capsys, "returns", "export")

    assert code == 1
    assert "RETURNBOT_NOW" in err


# --- returns export ---------------------------------------------------------------------------


@pytest.fixture
def two_returns(same_store: Store) -> list[str]:
    orders = parse_orders_text((DATA / "sample_orders.json").read_text(encoding="utf-8"))
    import_orders(orders, same_store.unit_of_work, same_store.clock)
    rmas = []
    for conversation, sku in (("c-1", "MUG-01"), ("c-2", "JKT-07")):
        submitted = same_store.desk.submit(
            SubmitReturn(
                conversation,
                "rest",
                "de",
                "100482",
                JANE,
                {sku: 1},
                Reason.DAMAGED,
                None,
                Resolution.REFUND,
            )
        )
        rmas.append(submitted.record.rma)
    return rmas


def test_returns_export_json_prints_every_record_in_the_contract_format(
    two_returns: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "returns", "export", "--format", "json")

    assert code == 0
    exported = json.loads(out)
    assert [r["rma"] for r in exported] == two_returns
    assert all(set(r) >= CONTRACT_KEYS for r in exported)
    assert exported[0]["items"] == [{"sku": "MUG-01", "quantity": 1}]
    assert exported[0]["refund_total"] == "13.97"
    assert exported[1]["return_required"] is True
    assert exported[1]["reasons"] == ["seller_fault"]


def test_returns_export_defaults_to_json(
    two_returns: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, default_out, _ = run(capsys, "returns", "export")
    _, json_out, _ = run(capsys, "returns", "export", "--format", "json")

    assert default_out == json_out


def test_returns_export_csv_has_one_row_per_return_with_flat_fields(
    two_returns: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "returns", "export", "--format", "csv")

    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS
    assert [row["rma"] for row in rows] == two_returns
    assert rows[0]["items"] == "MUG-01:1"
    assert rows[0]["return_required"] == "false"
    assert rows[0]["reasons"] == "returnless"
    assert rows[1]["refund_total"] == "65.95"
    assert rows[1]["return_required"] == "true"


def test_returns_export_of_an_empty_store_is_an_empty_list(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "returns", "export") == (0, "[]\n", "")


def test_returns_set_status_moves_a_return_and_refuses_a_forbidden_move(
    two_returns: list[str], same_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    rma = two_returns[1]

    # Made over REST, which cannot receive a push: the operator is told so.
    assert run(capsys, "returns", "set-status", rma, "label_sent", "--note", "sent") == (
        0,
        f"{rma}: label_sent\n",
        "buyer not told: the 'rest' channel cannot receive messages\n",
    )
    assert run(capsys, "returns", "set-status", rma, "received", "--no-notify") == (
        0,
        f"{rma}: received\n",
        "",
    )
    code, _, err = run(capsys, "returns", "set-status", rma, "approved")
    assert code == 1
    assert "cannot move a return from received to approved" in err
    assert same_store.desk.get(rma).events[-1].actor == "operator:cli"

    code, _, err = run(capsys, "returns", "set-status", "RMA-ZZZZZZ", "closed")
    assert (code, err) == (1, "returnbot: error: no return RMA-ZZZZZZ\n")


# --- policy -----------------------------------------------------------------------------------


def test_policy_check_of_the_default_and_the_shipped_file_is_ok(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shipped = str(DATA.parents[1] / "policy.yml")

    assert run(capsys, "policy", "check") == (0, "default policy: ok\n", "")
    assert run(capsys, "policy", "check", shipped) == (0, f"{shipped}: ok\n", "")


def test_policy_check_of_a_bad_file_names_the_file_and_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "policy.yml"
    path.write_text("manual_review:\n  item_value_usd: lots\n", encoding="utf-8")

    code, out, err = run(capsys, "policy", "check", str(path))

    assert code == 1
    assert out == ""
    assert str(path) in err
    assert "manual_review.item_value_usd" in err


def test_policy_check_of_a_missing_file_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "policy", "check", str(tmp_path / "nope.yml"))

    assert code == 1
    assert "nope.yml" in err


CASE = {
    "order": sample_records()[0],
    "request": {"items": [{"sku": "JKT-07", "quantity": 1}], "reason": "damaged",
                "resolution": "store_credit"},
    "history": {"returned_units": {"MUG-01": 1}, "returns_last_12_months": 2},
    "now": "2026-10-20",
}  # fmt: skip


def test_policy_decide_prints_the_contract_decision_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "policy", "decide", str(write_json(tmp_path / "c.json", CASE)))

    assert (code, err) == (0, "")
    decision = json.loads(out)
    assert set(decision) >= DECISION_KEYS
    # seller fault, with return: 59.00 + the jacket's shipping share 6.95 = 65.95; credit +10%
    assert {k: decision[k] for k in DECISION_KEYS} == {
        "decision": "approve",
        "resolution": "store_credit",
        "return_required": True,
        "return_shipping_paid_by": "seller",
        "refund_total": "72.55",
        "currency": "EUR",
        "reasons": ["seller_fault"],
        "return_by": "2026-11-03",
    }


def test_policy_decide_uses_the_policy_file_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yml"
    policy.write_text("store_credit_bonus: 0\n", encoding="utf-8")
    case = write_json(tmp_path / "c.json", CASE)

    code, out, _ = run(capsys, "policy", "decide", str(case), "--policy", str(policy))

    assert code == 0
    assert json.loads(out)["refund_total"] == "65.95"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("{not json", "line 1: invalid JSON"),
        (json.dumps(CASE | {"request": {**CASE["request"], "resolutoin": "refund"}}),
         "request.resolutoin"),
        (json.dumps(CASE | {"request": {**CASE["request"], "reason": "meh"}}), "request.reason"),
    ],
)  # fmt: skip
def test_policy_decide_on_a_bad_case_file_names_the_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, named: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")

    code, out, err = run(capsys, "policy", "decide", str(path))

    assert code == 1
    assert out == ""
    assert named in err
    assert str(path) in err


# --- usage ------------------------------------------------------------------------------------


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)

    assert code == 2
    assert "orders" in out and "returns" in out and "policy" in out


def test_an_unknown_export_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["returns", "export", "--format", "xml"])

    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
