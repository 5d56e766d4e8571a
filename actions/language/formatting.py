"""Money, dates and numbers in the buyer's locale, by Babel (never by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.languages import get_official_languages
from babel.lists import format_list
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


# Money in English without a known country uses CLDR's root English symbols
# ("¥5,000", "$35.40") rather than en_IE's "JP¥5,000" and "US$35.40".
MONEY_LOCALES = {"en": "en"}


def locale_for(language: str, country: str | None = None) -> str:
    """The buyer's locale: their language in their country when CLDR knows it.

    ``("pt", "PT")`` -> ``pt_PT``, ``("de", "AT")`` -> ``de_AT``; a language
    that is not the country's own (``en`` in ``JP``) uses the language's default.
    """
    return _regional(language, country) or DEFAULT_LOCALES.get(language, "en_IE")


def _regional(language: str, country: str | None) -> str | None:
    """``de_AT`` for German in Austria; None for English in Germany.

    English is not Germany's language, so the buyer reads it the English way: ``€13.97``.
    """
    if not country or language not in get_official_languages(country.upper(), de_facto=True):
        return None
    candidate = f"{language}_{country.upper()}"
    return candidate if _known_locale(candidate) else None


@cache
def _known_locale(identifier: str) -> bool:
    try:
        Locale.parse(identifier)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def money(amount: Decimal, currency: str, language: str, country: str | None = None) -> str:
    """``35.40 EUR`` -> ``€35.40`` (en), ``35,40 €`` (de); ``¥5,000`` for JPY."""
    locale = (
        _regional(language, country) or MONEY_LOCALES.get(language) or locale_for(language)
    )
    return format_currency(round_money(amount, currency), currency, locale=locale)


def day(value: date, language: str, country: str | None = None) -> str:
    """A date the buyer reads naturally: ``8 December 2026``, ``8. Dezember 2026``."""
    return format_date(value, format="long", locale=locale_for(language, country))


def language_names(codes: list[str], language: str) -> str:
    """Each language by its own name, listed the buyer's way: "English, español and 中文"."""
    names = [Locale.parse(code).get_display_name(code) or code for code in codes]
    return format_list(names, locale=locale_for(language))
