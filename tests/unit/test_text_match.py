"""Free text -> reason, condition, resolution and quantity codes, with the English lexicon."""

from __future__ import annotations

import pytest

from actions.language.text_match import (
    Lexicon,
    lexicon_from_mapping,
    load_lexicon,
    match_condition,
    match_quantity,
    match_reason,
    match_resolution,
    normalise_text,
)

EN = load_lexicon("en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Café — L'Été!", "cafe lete"),
        ("  Doesn’t   WORK!!! ", "doesnt work"),
        ("Größe: XL/XXL", "grosse xl xxl"),
        ("", ""),
        ("我的杯子碎了", "我的杯子碎了"),
    ],
)
def test_normalise_text_lowercases_drops_accents_apostrophes_and_punctuation(
    text: str, expected: str
) -> None:
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("the mug arrived broken", "damaged"),
        ("It DOESN'T work", "defective"),
        ("you sent me the wrong colour", "wrong_item"),
        ("the charger is missing from the box", "missing_parts"),
        ("looks nothing like the picture", "not_as_described"),
        ("it's the wrong size", "size_fit"),  # "wrong size" beats "wrong"
        ("I changed my mind", "changed_mind"),
        ("my parcel never arrived", "not_received"),
        ("the delivery is late", "late_delivery"),
        ("I was ill", "other"),
    ],
)
def test_match_reason_finds_each_reason_of_the_policy(text: str, reason: str) -> None:
    assert match_reason(text, EN) == reason


@pytest.mark.parametrize("text", ["hello there", "100482", "", "unbroken promises"])
def test_match_reason_finds_nothing_in_text_without_a_reason(text: str) -> None:
    assert match_reason(text, EN) is None


def test_the_longest_phrase_wins_over_a_shorter_one_of_another_code() -> None:
    # "broken" is damaged; "broken after" is defective.
    assert match_reason("it was broken after a week", EN) == "defective"
    assert match_reason("it was broken", EN) == "damaged"


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("brand new, still sealed", "new_unopened"),
        ("opened but never used", "opened_unused"),
        ("I only tried it on", "opened_unused"),
        ("not used", "opened_unused"),
        ("I wore it once", "used"),
        ("used", "used"),
    ],
)
def test_match_condition(text: str, condition: str) -> None:
    assert match_condition(text, EN) == condition


@pytest.mark.parametrize(
    ("text", "resolution"),
    [
        ("money back please", "refund"),
        ("back to my credit card", "refund"),  # "credit card" beats "credit"
        ("store credit is fine", "store_credit"),
        ("send a new one", "replacement"),
        ("a different size", "exchange"),
    ],
)
def test_match_resolution(text: str, resolution: str) -> None:
    assert match_resolution(text, EN) == resolution


def test_match_resolution_finds_nothing_in_unrelated_text() -> None:
    assert match_resolution("whatever you think", EN) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2),
        ("just 1 please", 1),
        ("two of them", 2),
        ("a pair", 2),
        ("both", 5),
        ("all of them", 5),
        ("0", 0),
    ],
)
def test_match_quantity_reads_digits_words_and_all(text: str, expected: int) -> None:
    assert match_quantity(text, EN, available=5) == expected


@pytest.mark.parametrize("text", ["order 100482", "1000", "#12", "none", "someone said so", ""])
def test_match_quantity_ignores_order_numbers_and_words_that_only_contain_a_number(
    text: str,
) -> None:
    assert match_quantity(text, EN, available=5) is None


def test_an_unknown_language_falls_back_to_the_english_lexicon() -> None:
    assert load_lexicon("xx") == EN


def test_a_lexicon_is_built_from_a_mapping_with_normalised_phrases() -> None:
    lexicon = lexicon_from_mapping(
        {
            "reasons": {"damaged": ["Kaputt!", "Zerbrochen"]},
            "quantities": {"all": ["Alle"], "numbers": {"Zwei": 2}},
        }
    )

    assert lexicon == Lexicon(
        reasons={"damaged": ("kaputt", "zerbrochen")},
        conditions={},
        resolutions={},
        quantity_all=("alle",),
        quantity_words={"zwei": 2},
        policy_topics={},
    )
    assert match_reason("Der Becher ist KAPUTT.", lexicon) == "damaged"
    assert match_quantity("zwei bitte", lexicon, available=3) == 2


def test_chinese_phrases_match_without_word_boundaries() -> None:
    lexicon = lexicon_from_mapping({"reasons": {"damaged": ["碎了"]}})

    assert match_reason("我的杯子碎了", lexicon) == "damaged"


# --- other languages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("es", "llego roto", "damaged"),
        ("fr", "il ne marche plus", "defective"),
        ("de", "zu groß", "size_fit"),
        ("de", "zu gross", "size_fit"),
        ("it", "non è quello che ho ordinato", "wrong_item"),
        ("pt", "parou de funcionar", "defective"),
        ("nl", "doet het niet meer", "defective"),
        ("zh", "耳机坏了", "damaged"),
    ],
)
def test_each_language_has_its_own_phrases(language: str, text: str, reason: str) -> None:
    assert match_reason(text, load_lexicon(language)) == reason


def test_buyers_may_borrow_longer_english_shop_words() -> None:
    assert match_resolution("quiero store credit", load_lexicon("es")) == "store_credit"
    assert match_resolution("我要refund", load_lexicon("zh")) == "refund"


def test_short_english_words_are_not_borrowed_into_other_languages() -> None:
    # "bent" is English for damaged, and Dutch for "(you) are".
    assert match_reason("je bent top", load_lexicon("nl")) is None
