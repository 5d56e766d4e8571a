"""Word segmentation across scripts (``bot.components.segmentation.segment``)."""

from __future__ import annotations

import re

import pytest

from bot.components.segmentation import segment

HAN = re.compile(r"[\u4e00-\u9fff]")


def assert_offsets_match(text: str, words: list[tuple[str, int]]) -> None:
    for word, start in words:
        assert text[start : start + len(word)] == word
    starts = [start for _, start in words]
    assert starts == sorted(starts)


def test_a_chinese_sentence_is_cut_into_several_words_covering_it() -> None:
    text = "我想退货杯子碎了"

    words = segment(text)

    assert len(words) >= 3
    assert "".join(word for word, _ in words) == text
    assert_offsets_match(text, words)


def test_mixed_scripts_never_share_a_word() -> None:
    text = "hello 我想退货 order 100482 please"

    words = segment(text)

    assert_offsets_match(text, words)
    assert [w for w, _ in words if not HAN.search(w)] == ["hello", "order", "100482", "please"]
    assert "".join(w for w, _ in words if HAN.search(w)) == "我想退货"
    assert all(not (HAN.search(w) and re.search(r"[A-Za-z0-9]", w)) for w, _ in words)


def test_digits_inside_chinese_text_stay_one_word() -> None:
    text = "我的订单100482坏了"

    words = segment(text)

    assert ("100482", 4) in words
    assert_offsets_match(text, words)


def test_latin_text_with_accents_is_split_on_spaces_and_punctuation() -> None:
    text = "Ich möchte zurückgeben, bitte."

    words = segment(text)

    assert [w for w, _ in words] == ["Ich", "möchte", "zurückgeben", ",", "bitte", "."]
    assert_offsets_match(text, words)


@pytest.mark.parametrize("text", ["😀", "😀😀🙂", "🙂 👍"])
def test_emoji_only_messages_give_emoji_tokens(text: str) -> None:
    words = segment(text)

    assert words
    assert "".join(w for w, _ in words) == text.replace(" ", "")
    assert_offsets_match(text, words)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_or_blank_text_has_no_words(text: str) -> None:
    assert segment(text) == []


def test_no_word_is_blank() -> None:
    words = segment("  a  ，  我  \n b ")

    assert all(word.strip() for word, _ in words)
