"""Order ids, emails and RMA numbers found in free text by shape (``find_structured_entities``)."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.components.structured import Found, find_structured_entities


def found(text: str) -> list[tuple[str, str]]:
    return [(f.entity, f.value) for f in find_structured_entities(text)]


@pytest.mark.parametrize(
    ("text", "order_id"),
    [
        ("my order is 100482", "100482"),
        ("order #100482 please", "100482"),
        ("#100482", "100482"),
        ("# 100482", "100482"),
        ("it's SO-2026-0042", "SO-2026-0042"),
        ("order AB12345 came broken", "AB12345"),
        ("100482.", "100482"),
        ("(100482)", "100482"),
    ],
)
def test_order_ids_of_every_documented_shape_are_found(text: str, order_id: str) -> None:
    assert found(text) == [("order_id", order_id)]


@pytest.mark.parametrize(
    "text",
    [
        "it cost 1299€",
        "it cost 1299 €",
        "1299 EUR",
        "1299 usd",
        "$1299",
        "£1299",
        "12.50",
        "1,299",
        "1299.00",
        "2 mugs",
        "iPhone15",
        "T-shirt",
        "USB-C cable",
        "2-pack",
        "size XL",
        "A4 paper",
        "'; DROP TABLE orders;--",
        "<script>alert(1)</script>",
        "SELECT * FROM orders WHERE id=1",
        "ordered on 2026-10-01",
    ],
)
def test_prices_counts_product_names_markup_and_dates_are_not_order_ids(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("jane.doe@example.com", "jane.doe@example.com"),
        ("mail me: m.silva@example.com.br, thanks", "m.silva@example.com.br"),
        ("<Jane+returns@Example.org>", "Jane+returns@Example.org"),
    ],
)
def test_emails_are_found_and_kept_as_written(text: str, email: str) -> None:
    assert found(text) == [("email", email)]


@pytest.mark.parametrize("text", ["jane@localhost", "jane@", "@example.com", "jane at example.com"])
def test_text_that_is_not_a_full_email_is_not_an_email(text: str) -> None:
    assert ("email" in {entity for entity, _ in found(text)}) is False


def test_the_digits_of_an_email_are_not_an_order_id() -> None:
    assert found("jane100482@example.com") == [("email", "jane100482@example.com")]


@pytest.mark.parametrize("text", ["RMA-7K2Q9D", "rma-7k2q9d", "RMA 7K2Q9D", "rma7k2q9d"])
def test_rma_numbers_are_found_and_normalised(text: str) -> None:
    assert found(text) == [("rma", "RMA-7K2Q9D")]


@pytest.mark.parametrize("text", ["RMA-7K2Q9", "RMA-7K2Q9D1", "RMA-OOOOOO", "RMA-111111"])
def test_rma_lookalikes_outside_the_alphabet_or_length_are_not_rmas(text: str) -> None:
    assert ("rma", text.upper()) not in found(text)
    assert "rma" not in {entity for entity, _ in found(text)}


def test_several_identifiers_in_one_message_come_in_text_order_without_overlap() -> None:
    text = "RMA-7K2Q9D for order #100482, I'm jane.doe@example.com"

    result = find_structured_entities(text)

    assert [(f.entity, f.value) for f in result] == [
        ("rma", "RMA-7K2Q9D"),
        ("order_id", "100482"),
        ("email", "jane.doe@example.com"),
    ]
    for item in result:
        assert item.value.lower() in text[item.start : item.end].lower().replace(" ", "-")
    spans = sorted((f.start, f.end) for f in result)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_offsets_point_at_the_match_in_the_text() -> None:
    text = "order #100482 please"

    assert find_structured_entities(text) == [Found("order_id", "100482", 6, 13)]


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "a-" * 5_000,
        "a." * 5_000 + "@",
        "1" * 10_000,
        "#" + "a-" * 4_999,
        "a@b." * 2_500,
        "SO-" * 3_333,
    ],
)
def test_a_ten_thousand_character_message_is_scanned_quickly(text: str) -> None:
    started = time.perf_counter()
    result = find_structured_entities(text)
    elapsed = time.perf_counter() - started

    assert elapsed < 0.5
    assert all(len(f.value) <= 254 for f in result)


def test_an_order_id_in_a_long_message_is_still_found() -> None:
    text = "blah " * 2_000 + "order 100482"

    assert found(text) == [("order_id", "100482")]


def test_empty_text_has_nothing() -> None:
    assert find_structured_entities("") == []


def test_identifiers_glued_to_chinese_text_are_found_whole() -> None:
    assert found("订单200108里的耳机坏了") == [("order_id", "200108")]
    assert found("我的邮箱是wang.fang@example.cn") == [("email", "wang.fang@example.cn")]
    assert found("退货单RMA-7K2Q9D现在到哪了") == [("rma", "RMA-7K2Q9D")]


def test_an_amount_in_yuan_is_no_order_number() -> None:
    assert found("我付了1200元") == []
