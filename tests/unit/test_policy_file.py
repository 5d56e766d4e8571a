"""The operator's policy YAML: defaults, overrides, and errors that name file and key."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from actions.domain.engine import Outcome, decide
from actions.domain.orders import Order, OrderItem
from actions.domain.policy import DEFAULT_POLICY
from actions.domain.requests import BuyerHistory, Condition, Reason, ReturnRequest
from actions.policy_file import (
    PolicyFileError,
    load_policy,
    parse_policy_yaml,
    policy_to_yaml,
    policy_to_yaml_dict,
)

SHIPPED_POLICY = Path(__file__).resolve().parents[2] / "policy.yml"


def write(tmp_path: Path, text: str, name: str = "policy.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(text: str) -> str:
    with pytest.raises(PolicyFileError) as raised:
        parse_policy_yaml(text, source="policy.yml")
    return str(raised.value)


def test_the_shipped_policy_file_equals_the_default_policy() -> None:
    assert load_policy(SHIPPED_POLICY) == DEFAULT_POLICY


def test_the_default_policy_round_trips_through_yaml() -> None:
    assert parse_policy_yaml(policy_to_yaml(DEFAULT_POLICY)) == DEFAULT_POLICY
    assert policy_to_yaml_dict(DEFAULT_POLICY)["manual_review"] == {
        "item_value_usd": 750,
        "returns_last_12_months": 10,
    }


def test_no_path_means_the_default_policy() -> None:
    assert load_policy(None) is DEFAULT_POLICY


def test_an_empty_file_or_empty_section_keeps_the_defaults(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path, "# nothing changed\n")) == DEFAULT_POLICY
    assert parse_policy_yaml("withdrawal:\n") == DEFAULT_POLICY


def test_an_unknown_key_is_named_with_its_dotted_path() -> None:
    message = error_of("manual_review:\n  item_value: 500\n")
    assert message.startswith("policy.yml: manual_review.item_value: unknown key")
    assert "did you mean 'item_value_usd'?" in message
    assert error_of("return_windw_days: 45").startswith(
        "policy.yml: return_windw_days: unknown key"
    )


def test_a_bad_value_is_named_with_the_file_and_its_dotted_path(tmp_path: Path) -> None:
    path = write(tmp_path, "manual_review:\n  item_value_usd: abc\n")
    with pytest.raises(PolicyFileError) as raised:
        load_policy(path)
    assert str(raised.value) == (
        f"{path}: manual_review.item_value_usd: expected a non-negative number, got 'abc'"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("return_window_days: -1", "return_window_days: expected a whole number of days >= 0"),
        ("return_window_days: 3.5", "return_window_days: expected a whole number of days >= 0"),
        ("free_exchange_size_fit: sometimes", "free_exchange_size_fit: expected true or false"),
        ("restocking_fee_percent: 120", "restocking_fee_percent: expected a number from 0 to 100"),
        ("store_credit_bonus: 10", "store_credit_bonus: expected a fraction from 0 to 1"),
        ("usd_rates: {EUR: 0}", "usd_rates.EUR: expected a positive number, got 0"),
        ("usd_rates: {EURO: 1.1}", "usd_rates.EURO: expected an ISO 4217 currency code"),
        ("categories: {hygiene: cosmetics}", "categories.hygiene: expected a list"),
        ("withdrawal: {floor_days: {EU: fourteen}}", "withdrawal.floor_days.EU: expected a whole"),
        ("markets: {EU: [DE, FRA]}", "markets.EU[1]: expected an ISO 3166-1 alpha-2 country code"),
        ("markets: {EU: [DE, NO]}", "markets.EU[1]: expected an ISO 3166-1 alpha-2 country code, "
                                    "got false (write 'NO' in quotes)"),
        ("delivery: 20", "delivery: expected a mapping"),
        ("- return_window_days: 30", "the top level: expected a mapping"),
    ],
)  # fmt: skip
def test_each_bad_value_is_explained(text: str, message: str) -> None:
    assert error_of(text).startswith(f"policy.yml: {message}")


def test_bad_yaml_syntax_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "return_window_days: 30\nwithdrawal:\n  floor_days: {EU: 14\n")
    with pytest.raises(PolicyFileError) as raised:
        load_policy(path)
    assert str(raised.value) == (
        f"{path}: line 4 column 1: invalid YAML: expected ',' or '}}', but got '<stream end>' "
        "(while parsing a flow mapping at line 3)"
    )
    message = error_of("return_window_days: 30\n  bad indent: [\n")
    assert message.startswith("policy.yml: line 2 column 13: invalid YAML")


def test_a_key_given_twice_is_an_error_not_a_silent_override() -> None:
    message = error_of("return_window_days: 30\nreturn_window_days: 45\n")
    assert (
        message
        == "policy.yml: line 2 column 1: invalid YAML: the key 'return_window_days' appears twice"
    )


def test_a_missing_file_is_reported_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match=r"nope\.yml: cannot read the policy file"):
        load_policy(tmp_path / "nope.yml")


def test_a_country_in_two_markets_is_rejected() -> None:
    assert error_of("markets: {DACH: [DE, AT, CH]}") == (
        "policy.yml: markets.DACH: DE is already in market EU"
    )


def test_an_unknown_market_is_rejected_where_it_is_used() -> None:
    assert error_of("seller_fault: {legal_guarantee_markets: [EU, XX]}").startswith(
        "policy.yml: seller_fault.legal_guarantee_markets: unknown market 'XX'"
    )
    assert error_of("withdrawal: {floor_days: {CH: 14}}").startswith(
        "policy.yml: withdrawal.floor_days.CH: unknown market 'CH'"
    )


def test_tables_merge_over_the_defaults_and_null_removes_an_entry() -> None:
    policy = parse_policy_yaml(
        "usd_rates: {CHF: '1.13'}\n"
        "withdrawal: {floor_days: {CN: null}}\n"
        "markets: {CH: [ch]}\n"
        "estimated_return_shipping_usd: {CH: 22.5}\n"
    )
    assert policy.usd_rates["CHF"] == Decimal("1.13")
    assert policy.usd_rates["EUR"] == Decimal("1.08")
    assert dict(policy.withdrawal.floor_days) == {"EU": 14, "UK": 14, "BR": 7}
    assert policy.market_of("CH") == "CH"
    assert policy.return_shipping_estimate_usd("CH") == Decimal("22.5")


def test_lists_replace_the_default_list() -> None:
    policy = parse_policy_yaml("categories: {hygiene: [Swimwear]}")
    assert policy.categories.hygiene == ("swimwear",)
    assert policy.categories.non_returnable == DEFAULT_POLICY.categories.non_returnable


def test_estimated_return_shipping_needs_an_other_entry() -> None:
    assert error_of("estimated_return_shipping_usd: {OTHER: null}") == (
        "policy.yml: estimated_return_shipping_usd: needs an OTHER entry"
    )


def test_overriding_one_number_changes_a_decision(tmp_path: Path) -> None:
    now = date(2026, 11, 16)
    order = Order(
        order_id="SO-1",
        email="sam@example.com",
        country="US",
        currency="USD",
        placed_at=now - timedelta(days=50),
        delivered_at=now - timedelta(days=40),
        items=(OrderItem("JKT-07", "Rain jacket", "apparel", Decimal("59.00"), 1),),
    )
    request = ReturnRequest({"JKT-07": 1}, Reason.CHANGED_MIND, Condition.OPENED_UNUSED)

    def outcome(policy_text: str) -> Outcome:
        policy = load_policy(write(tmp_path, policy_text))
        return decide(order, request, BuyerHistory(), policy, now).decision

    assert outcome("return_window_days: 30\n") is Outcome.DENY
    assert outcome("return_window_days: 45\n") is Outcome.APPROVE
