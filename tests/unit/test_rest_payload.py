"""The REST channel's payload check (``parse_payload``): what becomes a 400, and what passes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.rest import MAX_MESSAGE_CHARS, MAX_SENDER_CHARS, PayloadError, parse_payload


def test_a_well_formed_body_gives_sender_text_and_metadata() -> None:
    body = {"sender": "buyer-1", "message": "hola", "metadata": {"language": "es"}}

    assert parse_payload(body) == ("buyer-1", "hola", {"language": "es"})


@pytest.mark.parametrize("metadata", [None, {}])
def test_missing_or_null_metadata_is_an_empty_object(metadata: Any) -> None:
    body: dict[str, Any] = {"sender": "buyer-1", "message": "hi"}
    if metadata is not None:
        body["metadata"] = metadata

    assert parse_payload(body) == ("buyer-1", "hi", {})


def test_a_long_message_is_cut_to_the_maximum() -> None:
    _, text, _ = parse_payload({"sender": "b", "message": "x" * (MAX_MESSAGE_CHARS + 500)})

    assert len(text) == MAX_MESSAGE_CHARS


def test_a_sender_of_the_maximum_length_is_accepted() -> None:
    sender, _, _ = parse_payload({"sender": "s" * MAX_SENDER_CHARS, "message": "hi"})

    assert len(sender) == MAX_SENDER_CHARS


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (None, "body must be a JSON object"),
        ([], "body must be a JSON object"),
        ("hello", "body must be a JSON object"),
        ({}, "'sender'"),
        ({"sender": "", "message": "hi"}, "'sender'"),
        ({"sender": "   ", "message": "hi"}, "'sender'"),
        ({"sender": 42, "message": "hi"}, "'sender'"),
        ({"sender": "s" * (MAX_SENDER_CHARS + 1), "message": "hi"}, "at most 255"),
        ({"sender": "b"}, "'message'"),
        ({"sender": "b", "message": None}, "'message'"),
        ({"sender": "b", "message": 123}, "'message'"),
        ({"sender": "b", "message": ["hi"]}, "'message'"),
        ({"sender": "b", "message": "hi", "metadata": ["es"]}, "'metadata'"),
        ({"sender": "b", "message": "hi", "metadata": "es"}, "'metadata'"),
    ],
)
def test_a_body_the_channel_cannot_take_raises_an_error_naming_the_field(
    body: Any, named: str
) -> None:
    with pytest.raises(PayloadError) as raised:
        parse_payload(body)

    assert named in str(raised.value)
