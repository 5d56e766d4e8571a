"""Money, dates and language names in the buyer's locale (Babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from actions.language.formatting import day, language_names, locale_for, money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "country", "expected"),
    [
        ("35.40", "EUR", "de", None, f"35,40{NBSP}€"),
        ("35.40", "EUR", "en", None, "€35.40"),
        ("35.40", "EUR", "en", "IE", "€35.40"),
        ("5000", "JPY", "en", None, "¥5,000"),
        ("5000", "JPY", "en", "JP", "¥5,000"),
        ("94.90", "EUR", "pt", "PT", f"94,90{NBSP}€"),
        ("94.90", "EUR", "nl", "NL", f"€{NBSP}94,90"),
        ("678", "CNY", "zh", "CN", "¥678.00"),
        ("1234.5", "USD", "en", "US", "$1,234.50"),
        ("1234.5", "EUR", "fr", "FR", f"1{chr(0x202f)}234,50{NBSP}€"),
    ],
)
def test_money_is_written_the_buyers_way(
    amount: str, currency: str, language: str, country: str | None, expected: str
) -> None:
    assert money(Decimal(amount), currency, language, country) == expected


def test_money_is_rounded_to_the_currencys_minor_unit() -> None:
    assert money(Decimal("4999.6"), "JPY", "en") == "¥5,000"
    assert money(Decimal("10.005"), "EUR", "en") == "€10.01"


def test_dates_follow_the_buyers_language_and_country() -> None:
    assert day(date(2026, 12, 8), "en") == "8 December 2026"
    assert day(date(2026, 12, 8), "en", "US") == "December 8, 2026"
    assert day(date(2026, 12, 8), "de") == "8. Dezember 2026"
    assert day(date(2026, 12, 8), "zh", "CN") == "2026年12月8日"


def test_a_language_and_country_pair_cldr_lacks_uses_the_language_default() -> None:
    assert locale_for("de", "AT") == "de_AT"
    assert locale_for("en", "JP") == "en_IE"
    assert locale_for("xx") == "en_IE"


def test_served_languages_are_listed_by_their_own_names_in_the_buyers_grammar() -> None:
    assert language_names(["en", "es", "zh"], "en") == "English, español and 中文"
    assert language_names(["en", "de"], "de") == "English und Deutsch"
