"""Whole conversations over REST against the real Rasa and action servers."""

from __future__ import annotations

import re

import pytest
import requests
from conftest import Chat

pytestmark = pytest.mark.e2e

RMA = re.compile(r"rma-[23456789abcdefghjkmnpqrstvwxyz]{6}")


def test_a_buyer_returns_a_broken_mug_from_one_message_and_gets_a_recorded_decision(chat, exported):
    first = chat.text("I want to return the mug from order 100482, it arrived broken")
    assert "email" in first
    assert "ceramic mug" not in first  # nothing about the order before ownership is proven

    verified = chat.text("jane.doe@example.com")
    assert "found your order 100482" in verified
    assert "how many" in verified  # two mugs were ordered; the mug was recognised

    assert "refund" in chat.text("1")
    summary = chat.text("a refund please")
    assert "ceramic mug" in summary and "arrived damaged" in summary and "submit" in summary

    decision = chat.text("yes")
    rma = RMA.search(decision)
    assert rma, decision
    assert "approved" in decision
    assert "keep it" in decision  # EUR 12.50 is under the returnless threshold
    assert "€13.97" in decision  # 12.50 + share of 9.90 shipping (12.50/84 -> 1.47)

    record = next(r for r in exported() if r["rma"].lower() == rma.group(0))
    assert record["order_id"] == "100482"
    assert record["items"] == [{"sku": "MUG-01", "quantity": 1}]
    assert record["reason"] == "damaged"
    assert record["decision"] == "approve" and record["status"] == "approved"
    assert record["reasons"][0] == "returnless"
    assert record["refund_total"] == "13.97" and record["currency"] == "EUR"
    assert record["channel"] == "rest"


def test_a_wrong_email_never_reveals_the_order(chat):
    chat.text("I'd like to return something from order 100517")
    reply = chat.text("someone.else@example.com")
    assert "couldn't find an order" in reply
    assert "4 attempts left" in reply
    assert "headphones" not in reply and "100517" not in reply.replace("order 100517", "")


def test_five_wrong_tries_lock_the_lookup_and_offer_a_person(chat):
    chat.text("I want to return an item")
    for attempt in range(5):
        chat.text("100517")
        reply = chat.text(f"guess{attempt}@example.com")
    assert "can't look up orders again" in reply
    assert "person" in reply
    # Even the right details are refused now.
    chat.text("I want to return an item")
    reply = chat.text("order 100517, sam.lee@example.com")
    assert "found your order" not in reply


def test_a_policy_question_mid_return_is_answered_and_the_return_goes_on(chat):
    chat.text("my headphones from order 100517 stopped working")
    asked = chat.text("sam.lee@example.com")
    assert "what would you like instead" in asked
    answer = chat.text("wait, who pays for the return shipping?")
    assert "we pay the return" in answer
    assert "back to your return" in answer
    assert "what would you like instead" in answer  # the form asks its question again
    summary = chat.text("store credit")
    assert "wireless headphones" in summary and "store credit" in summary


def test_the_buyer_can_correct_the_order_number(chat):
    chat.text("I want to return the jacket from order 100517")
    chat.text("jane.doe@example.com")  # wrong pair: 100517 is Sam's
    reply = chat.text("sorry, the order is 100482")
    assert "email" in reply
    reply = chat.text("jane.doe@example.com")
    assert "found your order 100482" in reply


def test_cancelling_stops_the_return_and_records_nothing(chat, exported):
    before = len(exported())
    chat.text("I want to return my camera, order 100912")
    reply = chat.text("never mind, cancel that")
    assert "nothing was submitted" in reply
    assert len(exported()) == before


def test_a_parcel_not_yet_late_is_declined_with_the_date_to_come_back(chat, exported):
    chat.text("my package from order SO-2026-0042 never arrived")
    chat.text("m.silva@example.com.br")
    summary = chat.text("refund")
    assert "the whole parcel" in summary and "never arrived" in summary
    decision = chat.text("yes")
    assert "still on its way" in decision
    assert "13 november 2026" in decision  # promised 10 Nov + 3 days grace


def test_a_high_value_camera_goes_to_a_person(chat):
    chat.text("the camera from order 100912 is defective")
    chat.text("lucas.martin@example.fr")
    chat.text("refund")
    decision = chat.text("yes")
    assert "passed your request" in decision
    assert RMA.search(decision)


def test_the_buyer_checks_the_status_of_a_return(chat):
    chat.text("my earrings from order 100601 arrived damaged")
    chat.text("olivia.brown@example.co.uk")
    chat.text("refund")
    rma = RMA.search(chat.text("yes"))
    assert rma
    status = Chat(chat.url.rsplit("/webhooks", 1)[0])
    status.text(f"what's the status of {rma.group(0).upper()}?")
    reply = status.text("olivia.brown@example.co.uk")
    assert rma.group(0) in reply and "approved" in reply


def test_confirming_twice_records_one_return(chat, exported):
    chat.text(
        "no wait. I want to return the rain jacket from order 100482, it's too small"
    )
    chat.text("jane.doe@example.com")
    chat.text("still has tags on, never worn")
    chat.text("refund")
    before = len(exported())
    chat.text("yes")
    chat.text("yes")
    assert len(exported()) == before + 1


@pytest.mark.parametrize(
    "message",
    [
        "x" * 10_000,
        "🙂🙂🙂📦💔",
        "'; DROP TABLE returns; --",
        "<script>alert('x')</script> my order",
        "退货 order 100482 壊れた Сломано",
        "",
    ],
)
def test_odd_messages_get_an_answer(chat, message):
    assert chat.say(message), f"no reply to {message[:30]!r}"


def test_a_malformed_payload_is_rejected_without_reaching_the_assistant(assistant):
    url = f"{assistant.rasa_url}/webhooks/rest/webhook"
    assert requests.post(url, data="not json", timeout=10).status_code == 400
    reply = requests.post(url, json={"message": "hi"}, timeout=10)
    assert reply.status_code == 400 and "sender" in reply.json()["error"]
    assert requests.post(url, json={"sender": "a", "message": 5}, timeout=10).status_code == 400


def test_when_the_action_server_is_down_the_buyer_is_told_and_offered_a_person(
    rasa_without_actions,
):
    reply = Chat(rasa_without_actions).text("I want to return my order 100482")
    assert "technical problem" in reply
    assert "person" in reply
