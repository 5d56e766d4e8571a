"""Platform payloads -> buyer messages, without a server (the e2e tests add one)."""

from __future__ import annotations

import pytest

from bot.channels import messenger, slack, telegram, whatsapp
from bot.channels.webhook import Inbound, Malformed, RecentIds, chunks, numbered


def tg_message(**fields):
    return {
        "message_id": 7,
        "date": 1,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "language_code": "pt-BR"},
        **fields,
    }


def test_a_telegram_text_carries_the_apps_language_as_a_hint():
    inbound = telegram._message(tg_message(text="oi"), "9")
    assert inbound == Inbound("42", "oi", "9", "pt-BR")


def test_a_telegram_photo_with_a_caption_is_its_caption():
    inbound = telegram._message(tg_message(photo=[{"file_id": "x"}], caption="broken"), "9")
    assert inbound.text == "broken" and inbound.content is None
    assert inbound.extra == {"attachment": "photo"}


@pytest.mark.parametrize("field", ["sticker", "location", "voice", "video_note", "contact"])
def test_a_telegram_message_without_text_names_what_it_was(field):
    inbound = telegram._message(tg_message(**{field: {"x": 1}}), "9")
    assert inbound.text == "" and inbound.content == field
    assert inbound.metadata() == {"language": "pt-BR", "content": field}


def test_a_telegram_message_without_a_chat_is_malformed():
    with pytest.raises(Malformed):
        telegram._message({"text": "hi"}, "9")


def test_a_long_telegram_button_payload_is_sent_as_its_number():
    assert telegram.callback_data({"payload": "/affirm"}, 1) == "/affirm"
    long = {"payload": '/inform{"return_item": "' + "X" * 60 + '"}'}
    assert telegram.callback_data(long, 3) == "3"


def test_messenger_quick_replies_and_postbacks_are_their_payloads():
    quick = {
        "sender": {"id": "p1"},
        "message": {"mid": "m1", "text": "Yes", "quick_reply": {"payload": "/affirm"}},
    }
    assert messenger._event(quick) == Inbound("p1", "/affirm", "m1")
    postback = {
        "sender": {"id": "p1"},
        "timestamp": 5,
        "postback": {"title": "Start", "payload": "/greet"},
    }
    assert messenger._event(postback).text == "/greet"


def test_messenger_stickers_and_audio_are_unsupported_content_and_echoes_are_ignored():
    sticker = {
        "sender": {"id": "p1"},
        "message": {
            "mid": "m2",
            "sticker_id": 369239263222822,
            "attachments": [{"type": "image", "payload": {"url": "u"}}],
        },
    }
    assert messenger._event(sticker).content == "sticker"
    audio = {"sender": {"id": "p1"}, "message": {"mid": "m3", "attachments": [{"type": "audio"}]}}
    assert messenger._event(audio).content == "voice"
    echo = {"sender": {"id": "page"}, "message": {"mid": "m4", "text": "hi", "is_echo": True}}
    assert messenger._event(echo) is None
    with pytest.raises(Malformed):
        messenger._event({"message": {"text": "no sender"}})


def test_a_slack_button_press_is_its_value_in_the_buyers_conversation():
    payload = (
        '{"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "D9"},'
        ' "actions": [{"value": "/affirm", "action_ts": "1.2"}]}'
    )
    assert slack._interaction(payload) == [Inbound("D9", "/affirm", "1.2")]
    shared = payload.replace('"D9"', '"C7"')
    assert slack._interaction(shared)[0].sender_id == "C7:U1"
    with pytest.raises(Malformed):
        slack._interaction("not json")


def test_slack_text_is_escaped_as_slack_requires():
    assert slack.escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_a_twilio_message_without_a_body_names_its_media():
    assert whatsapp._content({"Latitude": "1", "Longitude": "2"}) == "location"
    assert whatsapp._content({"NumMedia": "1", "MediaContentType0": "audio/ogg"}) == "voice"
    assert (
        whatsapp._content({"NumMedia": "1", "MediaContentType0": "application/pdf"}) == "document"
    )


def test_the_twilio_signature_is_sha1_over_url_and_sorted_params():
    import base64
    import hashlib
    import hmac

    params = {"From": "whatsapp:+1", "Body": "hi", "AccountSid": "AC1"}
    signed = "https://x.test/hook" + "AccountSid" + "AC1" + "Body" + "hi" + "From" + "whatsapp:+1"
    expected = base64.b64encode(hmac.new(b"token", signed.encode(), hashlib.sha1).digest()).decode()
    assert whatsapp.twilio_signature("token", "https://x.test/hook", params) == expected


def test_long_replies_are_cut_at_paragraphs_within_the_platform_limit():
    text = ("word " * 50 + "\n\n") * 10
    pieces = chunks(text, 300)
    assert all(len(piece) <= 300 for piece in pieces)
    assert " ".join(pieces).split() == text.split()


def test_buttons_become_a_numbered_list_under_the_text():
    buttons = [{"title": "Refund", "payload": "/x"}, {"title": "Store credit", "payload": "/y"}]
    assert (
        numbered("What would you like?", buttons)
        == "What would you like?\n\n1. Refund\n2. Store credit"
    )


def test_a_message_id_is_taken_once():
    recent = RecentIds(size=2)
    assert recent.first_time("a") and not recent.first_time("a")
    assert recent.first_time("b") and recent.first_time("c")
    assert recent.first_time("a")  # forgotten once older than the window
