"""Free text -> policy codes (reason, condition, resolution) and quantities.

Pure: takes a lexicon (phrases per code) and a message. The lexicons are
data, one YAML file per language in ``lexicon/``; ``load_lexicon`` reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"(?<![\w#-])(\d{1,3})(?![\w-])")


@dataclass(frozen=True)
class Lexicon:
    reasons: Mapping[str, tuple[str, ...]]
    conditions: Mapping[str, tuple[str, ...]]
    resolutions: Mapping[str, tuple[str, ...]]
    quantity_all: tuple[str, ...] = ()
    quantity_words: Mapping[str, int] = field(default_factory=dict)
    policy_topics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def normalise_text(text: str) -> str:
    """Lower case, no accents, ß as ss, apostrophes dropped, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = re.sub(r"['’`´]", "", stripped)
    stripped = re.sub(r"[^\w\s]", " ", stripped)
    return " ".join(stripped.split())


def _contains(haystack: str, phrase: str) -> bool:
    if not phrase:
        return False
    if _CJK.search(phrase):
        return phrase in haystack
    # Latin letters and digits bound a word; a Chinese character does not glue
    # to an English one ("我要refund").
    return re.search(rf"(?<![a-z0-9_]){re.escape(phrase)}(?![a-z0-9_])", haystack) is not None


def best_match(text: str, phrases_by_code: Mapping[str, tuple[str, ...]]) -> str | None:
    """The code whose longest phrase occurs in ``text``; None if none does."""
    haystack = normalise_text(text)
    best: tuple[int, str] | None = None
    for code, phrases in phrases_by_code.items():
        for phrase in phrases:
            if _contains(haystack, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), code)
    return best[1] if best else None


def match_reason(text: str, lexicon: Lexicon) -> str | None:
    return best_match(text, lexicon.reasons)


def match_condition(text: str, lexicon: Lexicon) -> str | None:
    return best_match(text, lexicon.conditions)


def match_resolution(text: str, lexicon: Lexicon) -> str | None:
    return best_match(text, lexicon.resolutions)


def match_quantity(text: str, lexicon: Lexicon, available: int) -> int | None:
    """A count in ``text``: digits, number words, or "all"/"both" (= ``available``).

    Order numbers and long digit runs are ignored: only 1-3 digit numbers
    that stand alone count.
    """
    haystack = normalise_text(text)
    digits = _DIGITS.findall(text)
    if digits:
        return int(digits[0])
    if any(_contains(haystack, phrase) for phrase in lexicon.quantity_all):
        return available
    found = [
        (len(word), value)
        for word, value in lexicon.quantity_words.items()
        if _contains(haystack, normalise_text(word))
    ]
    return max(found)[1] if found else None


def lexicon_from_mapping(raw: Mapping[str, object]) -> Lexicon:
    def phrases(section: object) -> dict[str, tuple[str, ...]]:
        if not isinstance(section, Mapping):
            return {}
        return {
            str(code): tuple(normalise_text(str(p)) for p in values or ())
            for code, values in section.items()
        }

    quantities = raw.get("quantities") or {}
    assert isinstance(quantities, Mapping)
    words = quantities.get("numbers") or {}
    return Lexicon(
        reasons=phrases(raw.get("reasons")),
        conditions=phrases(raw.get("conditions")),
        resolutions=phrases(raw.get("resolutions")),
        quantity_all=tuple(normalise_text(str(p)) for p in quantities.get("all") or ()),
        quantity_words={normalise_text(str(k)): int(v) for k, v in dict(words).items()},
        policy_topics=phrases(raw.get("policy_topics")),
    )


# Buyers mix English shop words into their own language ("refund", "store
# credit", "wrong size"). Short English words are left out of that: they are
# words of other languages too (Dutch "je bent", "ten").
BORROWED_MIN_CHARS = 5
FALLBACK_LANGUAGE = "en"


def with_borrowed_english(own: Lexicon, english: Lexicon) -> Lexicon:
    """``own`` plus the longer English phrases; the longest match still wins."""

    def merged(
        mine: Mapping[str, tuple[str, ...]], theirs: Mapping[str, tuple[str, ...]]
    ) -> dict[str, tuple[str, ...]]:
        codes = dict(mine)
        for code, phrases in theirs.items():
            borrowed = tuple(p for p in phrases if len(p) >= BORROWED_MIN_CHARS)
            codes[code] = tuple(dict.fromkeys(codes.get(code, ()) + borrowed))
        return codes

    return Lexicon(
        reasons=merged(own.reasons, english.reasons),
        conditions=merged(own.conditions, english.conditions),
        resolutions=merged(own.resolutions, english.resolutions),
        quantity_all=own.quantity_all,
        quantity_words=own.quantity_words,
        policy_topics=merged(own.policy_topics, english.policy_topics),
    )


def _read_lexicon(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return lexicon_from_mapping(yaml.safe_load(handle) or {})


@cache
def load_lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` with borrowed English; English alone if it has none."""
    english = _read_lexicon(LEXICON_DIR / f"{FALLBACK_LANGUAGE}.yml")
    path = LEXICON_DIR / f"{language}.yml"
    if language == FALLBACK_LANGUAGE or not path.exists():
        return english
    return with_borrowed_english(_read_lexicon(path), english)
