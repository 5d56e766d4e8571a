"""Money, dates and numbers in the buyer's locale, by Babel (never by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

from actions.domain.money import round_money

# The locale each conversation language formats with. A store can serve a
# language in many countries; these are the defaults when no region is known.
DEFAULT_LOCALES = {
    "en": "en_IE",
    "es": "es_ES",
    "fr": "fr_FR",
    "de": "de_DE",
    "it": "it_IT",
    "pt": "pt_BR",
    "nl": "nl_NL",
    "zh": "zh_Hans_CN",
}


def locale_for(language: str) -> str:
    return DEFAULT_LOCALES.get(language, "en_IE")


def money(amount: Decimal, currency: str, language: str) -> str:
    """``35.40 EUR`` -> ``€35.40`` (en), ``35,40 €`` (de); JPY without decimals."""
    return format_currency(round_money(amount, currency), currency, locale=locale_for(language))


def day(value: date, language: str) -> str:
    """A date the buyer reads naturally: ``8 December 2026``, ``8. Dezember 2026``."""
    return format_date(value, format="long", locale=locale_for(language))
