"""The four messaging channels, end to end against the real Rasa and action servers.

Each test replays the platform's documented webhook payloads (signed as the
platform signs them) into the running Rasa server; replies go to a loopback
stand-in of the platform's send API (platform_standin.py), which is what the
tests read. Signatures are computed here from the platforms' documentation,
not with our channel code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from conftest import returnbot
from platform_standin import PlatformStandIn, Sent

from bot.launch import Services

pytestmark = pytest.mark.e2e

RMA = re.compile(r"RMA-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}")
TELEGRAM_SECRET = "telegram-webhook-secret"
TWILIO_TOKEN = "twilio-auth-token"
TWILIO_SID = "AC" + "0123456789abcdef" * 2
MESSENGER_SECRET = "messenger-app-secret"
SLACK_SECRET = "slack-signing-secret"
_ids = itertools.count(int(time.time()) % 1_000_000 * 100)


def next_id() -> int:
    return next(_ids)


def texts(sent: list[Sent]) -> str:
    return "\n".join(item.text for item in sent)


# --- Telegram (core.telegram.org/bots/api#update) ---------------------------------------


class TelegramBuyer:
    def __init__(self, assistant: Services, platforms: PlatformStandIn, language: str) -> None:
        self.url = f"{assistant.rasa_url}/webhooks/telegram/webhook"
        self.platforms = platforms
        self.chat_id = 700_000_000 + next_id()
        self.language = language

    def post(
        self, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET
    ) -> requests.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return requests.post(self.url, json=update, headers=headers, timeout=60)

    def update(self, **message_fields: Any) -> dict[str, Any]:
        update_id = next_id()
        person = {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": "Ana",
            "language_code": self.language,
        }
        message = {
            "message_id": update_id,
            "date": int(time.time()),
            "from": person,
            "chat": {"id": self.chat_id, "first_name": "Ana", "type": "private"},
            **message_fields,
        }
        return {"update_id": update_id, "message": message}

    def send(self, **message_fields: Any) -> list[Sent]:
        before = len(self.platforms.messages("telegram", str(self.chat_id)))
        reply = self.post(self.update(**message_fields))
        assert reply.status_code == 200, reply.text
        return self.platforms.messages("telegram", str(self.chat_id))[before:]

    def press(self, data: str) -> list[Sent]:
        before = len(self.platforms.messages("telegram", str(self.chat_id)))
        update_id = next_id()
        query = {
            "id": f"cb{update_id}",
            "chat_instance": "1",
            "data": data,
            "from": {
                "id": self.chat_id,
                "is_bot": False,
                "first_name": "Ana",
                "language_code": self.language,
            },
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": self.chat_id, "type": "private"},
                "text": "...",
            },
        }
        reply = self.post({"update_id": update_id, "callback_query": query})
        assert reply.status_code == 200, reply.text
        return self.platforms.messages("telegram", str(self.chat_id))[before:]


def keyboard(sent: list[Sent]) -> list[dict[str, str]]:
    markup = next(s.body["reply_markup"] for s in reversed(sent) if "reply_markup" in s.body)
    return [row[0] for row in markup["inline_keyboard"]]


def test_a_telegram_buyer_returns_a_mug_with_buttons_and_is_told_when_the_label_is_sent(
    assistant, platforms, store_env
):
    buyer = TelegramBuyer(assistant, platforms, "en")
    asked = texts(buyer.send(text="I want to return the mug from order 300101, it arrived broken"))
    assert "email" in asked.lower()

    verified = buyer.send(text="tg.buyer@example.de")
    assert "found your order 300101" in texts(verified).lower()
    quantities = keyboard(verified)  # two mugs: "how many?" with one button per number
    assert [b["text"] for b in quantities] == ["1", "2"]

    resolution = buyer.press(quantities[0]["callback_data"])
    assert any(s.path.endswith("/answerCallbackQuery") for s in platforms.messages("telegram"))
    options = keyboard(resolution)
    refund = next(b for b in options if "refund" in b["text"].lower())
    summary = buyer.press(refund["callback_data"])
    assert "ceramic mug" in texts(summary).lower()
    decision = texts(
        buyer.press(
            next(b for b in keyboard(summary) if b["callback_data"] == "/affirm")["callback_data"]
        )
    )
    rma = RMA.search(decision)
    assert rma, decision

    env = {**store_env, "RETURNBOT_RASA_URL": assistant.rasa_url}
    changed = returnbot(env, "returns", "set-status", rma.group(0), "label_sent")
    assert changed.returncode == 0, changed.stderr
    assert "buyer told" in changed.stdout
    pushed = platforms.messages("telegram", str(buyer.chat_id))[-1].text
    assert rma.group(0) in pushed and "return label sent" in pushed.lower()


def test_a_sticker_is_answered_in_the_conversations_language_a_first_voice_note_in_the_apps(
    assistant, platforms
):
    spanish = TelegramBuyer(assistant, platforms, "es")
    assert (
        "número de pedido"
        in texts(spanish.send(text="hola, quiero devolver un artículo que llegó roto")).lower()
    )
    answer = texts(
        spanish.send(
            sticker={
                "file_id": "CAACAgIAAx0",
                "file_unique_id": "AgAD",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        )
    )
    assert "solo puedo leer mensajes de texto" in answer

    german = TelegramBuyer(assistant, platforms, "de")
    answer = texts(
        german.send(voice={"file_id": "AwACAgIAAx0", "file_unique_id": "AgAD", "duration": 3})
    )
    assert "nur Textnachrichten" in answer


def test_telegram_updates_without_the_secret_or_malformed_are_refused_before_the_assistant(
    assistant, platforms
):
    buyer = TelegramBuyer(assistant, platforms, "en")
    assert buyer.post(buyer.update(text="hi"), secret=None).status_code == 401
    assert buyer.post(buyer.update(text="hi"), secret="guessed").status_code == 401
    assert buyer.post({"message": {"text": "hi"}}).status_code == 400  # no update_id
    no_chat = {"update_id": next_id(), "message": {"message_id": 1, "text": "hi"}}
    assert buyer.post(no_chat).status_code == 400
    not_json = requests.post(
        buyer.url,
        data="{nope",
        timeout=10,
        headers={
            "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
            "Content-Type": "application/json",
        },
    )
    assert not_json.status_code == 400
    assert platforms.messages("telegram", str(buyer.chat_id)) == []


def test_a_telegram_retry_of_the_same_update_is_answered_once(assistant, platforms):
    buyer = TelegramBuyer(assistant, platforms, "en")
    update = buyer.update(text="hello")
    assert buyer.post(update).status_code == 200
    answered = len(platforms.messages("telegram", str(buyer.chat_id)))
    assert answered >= 1
    assert buyer.post(update).status_code == 200
    assert len(platforms.messages("telegram", str(buyer.chat_id))) == answered


# --- WhatsApp through Twilio (twilio.com/docs/messaging/guides/webhook-request) ---------


def twilio_signature(url: str, params: dict[str, str]) -> str:
    """As Twilio documents it: URL + each POST param name and value, sorted by name."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(TWILIO_TOKEN.encode(), payload.encode(), hashlib.sha1).digest()
    ).decode()


class WhatsAppBuyer:
    def __init__(self, assistant: Services, platforms: PlatformStandIn) -> None:
        self.url = f"{assistant.rasa_url}/webhooks/whatsapp/webhook"
        self.platforms = platforms
        self.number = f"whatsapp:+3461{next_id():07d}"

    def params(self, **fields: str) -> dict[str, str]:
        return {
            "SmsMessageSid": f"SM{next_id():032x}",
            "MessageSid": f"SM{next_id():032x}",
            "AccountSid": TWILIO_SID,
            "From": self.number,
            "To": "whatsapp:+14155238886",
            "NumMedia": "0",
            "ProfileName": "Lucía",
            "WaId": self.number[10:],
            "SmsStatus": "received",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
            "Body": "",
            **fields,
        }

    def post(self, params: dict[str, str], signature: str | None = "sign") -> requests.Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            headers["X-Twilio-Signature"] = twilio_signature(self.url, params)
        elif signature:
            headers["X-Twilio-Signature"] = signature
        return requests.post(self.url, data=urlencode(params), headers=headers, timeout=60)

    def send(self, **fields: str) -> str:
        before = len(self.platforms.messages("twilio", self.number))
        reply = self.post(self.params(**fields))
        assert reply.status_code == 200, reply.text
        assert "<Response" in reply.text  # TwiML, so Twilio logs no error
        return texts(self.platforms.messages("twilio", self.number)[before:])


def test_a_whatsapp_buyer_answers_numbered_options_with_numbers(assistant, platforms, store_env):
    buyer = WhatsAppBuyer(assistant, platforms)
    assert (
        "correo"
        in buyer.send(Body="Hola, quiero devolver la taza del pedido 300102, llegó rota").lower()
    )
    asked = buyer.send(Body="wa.buyer@example.es")
    assert "300102" in asked
    assert re.search(r"^1\. 1$", asked, re.M) and re.search(r"^2\. 2$", asked, re.M), asked
    assert "/inform" not in asked  # payloads never reach the buyer

    resolutions = buyer.send(Body="1")  # one mug
    options = dict(re.findall(r"^(\d)\. (.+)$", resolutions, re.M))
    refund = next(number for number, title in options.items() if "reembolso" in title.lower())
    summary = buyer.send(Body=refund)
    assert "ceramic mug" in summary.lower() and "reembolso" in summary.lower()
    confirm = dict(re.findall(r"^(\d)\. (.+)$", summary, re.M))
    yes = next(number for number, title in confirm.items() if title.lower().startswith("sí"))
    decision = buyer.send(Body=f"{yes}.")
    rma = RMA.search(decision)
    assert rma, decision

    env = {**store_env, "RETURNBOT_RASA_URL": assistant.rasa_url}
    changed = returnbot(env, "returns", "set-status", rma.group(0), "label_sent")
    assert "buyer told" in changed.stdout, changed.stderr
    pushed = platforms.messages("twilio", buyer.number)[-1]
    assert rma.group(0) in pushed.text and "etiqueta de devolución enviada" in pushed.text
    assert pushed.body["From"] == "whatsapp:+14155238886"


def test_whatsapp_requests_not_signed_by_twilio_are_refused(assistant, platforms):
    buyer = WhatsAppBuyer(assistant, platforms)
    assert buyer.post(buyer.params(Body="hi"), signature=None).status_code == 401
    assert buyer.post(buyer.params(Body="hi"), signature="bm90IGEgc2lnbmF0dXJl").status_code == 401
    signed = buyer.params(Body="hi")
    signature = twilio_signature(buyer.url, signed)
    tampered = {**signed, "Body": "hi, refund order 100482 to me"}
    assert buyer.post(tampered, signature=signature).status_code == 401
    assert buyer.post({"Body": "no sender"}).status_code == 400
    assert platforms.messages("twilio", buyer.number) == []


def test_a_whatsapp_location_and_a_10000_character_message_get_text_answers(assistant, platforms):
    buyer = WhatsAppBuyer(assistant, platforms)
    answer = buyer.send(Latitude="40.4168", Longitude="-3.7038", Address="Madrid")
    assert "text" in answer.lower()
    long_reply = buyer.send(Body="refund " + "ñ😀<b>x</b>'; DROP TABLE returns; -- " * 300)
    assert long_reply
    assert all(len(s.text) <= 1600 for s in platforms.messages("twilio", buyer.number))


# --- Messenger (developers.facebook.com/docs/messenger-platform/webhooks) --------------


class MessengerBuyer:
    def __init__(self, assistant: Services, platforms: PlatformStandIn) -> None:
        self.url = f"{assistant.rasa_url}/webhooks/messenger/webhook"
        self.platforms = platforms
        self.psid = f"{6_000_000_000_000 + next_id()}"

    def post(
        self, body: dict[str, Any], secret: str | None = MESSENGER_SECRET
    ) -> requests.Response:
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if secret:
            digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = f"sha256={digest}"
        return requests.post(self.url, data=raw, headers=headers, timeout=60)

    def event(self, **fields: Any) -> dict[str, Any]:
        messaging = {
            "sender": {"id": self.psid},
            "recipient": {"id": "104000000000001"},
            "timestamp": int(time.time() * 1000),
            **fields,
        }
        return {
            "object": "page",
            "entry": [
                {"id": "104000000000001", "time": int(time.time() * 1000), "messaging": [messaging]}
            ],
        }

    def send(self, **fields: Any) -> list[Sent]:
        before = len(self.platforms.messages("messenger", self.psid))
        reply = self.post(self.event(**fields))
        assert reply.status_code == 200, reply.text
        return self.platforms.messages("messenger", self.psid)[before:]

    def say(self, text: str) -> list[Sent]:
        return self.send(message={"mid": f"m_{next_id()}", "text": text})


def test_messenger_verifies_its_subscription_with_the_verify_token(assistant):
    url = f"{assistant.rasa_url}/webhooks/messenger/webhook"
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": "messenger-verify-token",
        "hub.challenge": "1158201444",
    }
    answer = requests.get(url, params=good, timeout=10)
    assert answer.status_code == 200 and answer.text == "1158201444"
    wrong = requests.get(url, params={**good, "hub.verify_token": "guess"}, timeout=10)
    assert wrong.status_code == 403


def test_a_messenger_buyer_gets_quick_replies_and_answers_with_one(assistant, platforms):
    buyer = MessengerBuyer(assistant, platforms)
    assert (
        "e-mail"
        in texts(
            buyer.say(
                "Bonjour, je veux retourner la tasse de la commande 300103, elle est arrivée cassée"
            )
        ).lower()
    )
    verified = buyer.say("fb.buyer@example.fr")
    quick = next(s for s in reversed(verified) if "quick_replies" in s.body["message"])
    replies = quick.body["message"]["quick_replies"]
    assert [r["title"] for r in replies] == ["1", "2"]
    assert all(r["content_type"] == "text" and r["payload"].startswith("/inform") for r in replies)
    resolution = buyer.send(
        message={
            "mid": f"m_{next_id()}",
            "text": "1",
            "quick_reply": {"payload": replies[0]["payload"]},
        }
    )
    offered = resolution[-1].body["message"]["quick_replies"]
    assert "Remboursement" in [reply["title"] for reply in offered]

    photo = buyer.send(
        message={
            "mid": f"m_{next_id()}",
            "attachments": [
                {"type": "image", "payload": {"url": "https://scontent.example/photo.jpg"}}
            ],
        }
    )
    assert "je ne peux lire que les messages texte" in texts(photo)

    echo = buyer.send(message={"mid": f"m_{next_id()}", "text": "our own reply", "is_echo": True})
    assert echo == []


def test_messenger_events_with_a_bad_signature_or_shape_are_refused(assistant, platforms):
    buyer = MessengerBuyer(assistant, platforms)
    event = buyer.event(message={"mid": "m_1", "text": "hi"})
    assert buyer.post(event, secret=None).status_code == 401
    assert buyer.post(event, secret="not-the-app-secret").status_code == 401
    assert buyer.post({"object": "instagram", "entry": []}).status_code == 400
    assert (
        buyer.post(
            {"object": "page", "entry": [{"messaging": [{"message": {"text": "x"}}]}]}
        ).status_code
        == 400
    )
    assert platforms.messages("messenger", buyer.psid) == []


# --- Slack (api.slack.com/apis/connections/events-api, /interactivity/handling) ---------


class SlackBuyer:
    def __init__(self, assistant: Services, platforms: PlatformStandIn) -> None:
        self.url = f"{assistant.rasa_url}/webhooks/slack/webhook"
        self.platforms = platforms
        self.channel = f"D{next_id():010d}"
        self.user = f"U{next_id():010d}"

    def post(
        self,
        raw: bytes,
        content_type: str,
        *,
        secret: str = SLACK_SECRET,
        age: int = 0,
        signed: bool = True,
    ) -> requests.Response:
        timestamp = str(int(time.time()) - age)
        headers = {"Content-Type": content_type}
        if signed:
            base = b"v0:" + timestamp.encode() + b":" + raw
            headers["X-Slack-Signature"] = (
                "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
            )
            headers["X-Slack-Request-Timestamp"] = timestamp
        return requests.post(self.url, data=raw, headers=headers, timeout=60)

    def event(self, **fields: Any) -> bytes:
        event = {
            "type": "message",
            "channel": self.channel,
            "user": self.user,
            "ts": f"{time.time():.6f}",
            "channel_type": "im",
            **fields,
        }
        body = {
            "token": "legacy",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{next_id()}",
            "event_time": int(time.time()),
            "event": event,
        }
        return json.dumps(body).encode()

    def send(self, raw: bytes, content_type: str = "application/json") -> list[Sent]:
        before = len(self.platforms.messages("slack", self.channel))
        reply = self.post(raw, content_type)
        assert reply.status_code == 200, reply.text
        return self.platforms.messages("slack", self.channel)[before:]

    def press(self, value: str) -> list[Sent]:
        payload = {
            "type": "block_actions",
            "user": {"id": self.user},
            "channel": {"id": self.channel},
            "trigger_id": f"{next_id()}.1",
            "actions": [
                {
                    "type": "button",
                    "action_id": "choice-1",
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                    "block_id": "b",
                }
            ],
        }
        return self.send(
            urlencode({"payload": json.dumps(payload)}).encode(),
            "application/x-www-form-urlencoded",
        )


def test_slack_url_verification_needs_a_valid_signature(assistant):
    buyer = SlackBuyer(assistant, None)  # type: ignore[arg-type]
    raw = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    answer = buyer.post(raw, "application/json")
    assert answer.status_code == 200
    assert answer.json()["challenge"].startswith("3eZbrw1aBm2")
    assert buyer.post(raw, "application/json", signed=False).status_code == 401
    assert buyer.post(raw, "application/json", secret="wrong").status_code == 401
    assert buyer.post(raw, "application/json", age=600).status_code == 401  # a replayed request


def test_a_slack_buyer_gets_buttons_and_presses_one(assistant, platforms):
    buyer = SlackBuyer(assistant, platforms)
    assert (
        "e-mail"
        in texts(
            buyer.send(
                buyer.event(
                    text="Hallo, ik wil de mok van bestelling 300104 retourneren, "
                    "hij is kapot aangekomen"
                )
            )
        ).lower()
    )
    verified = buyer.send(buyer.event(text="slack.buyer@example.nl"))
    with_buttons = next(
        s for s in reversed(verified) if any(b["type"] == "actions" for b in s.body["blocks"])
    )
    buttons = next(b for b in with_buttons.body["blocks"] if b["type"] == "actions")["elements"]
    assert [b["text"]["text"] for b in buttons] == ["1", "2"]
    resolution = buyer.press(buttons[0]["value"])
    offered = next(b for b in resolution[-1].body["blocks"] if b["type"] == "actions")
    assert "Terugbetaling" in [button["text"]["text"] for button in offered["elements"]]

    upload = buyer.send(
        buyer.event(text="", subtype="file_share", files=[{"id": "F1", "mimetype": "image/jpeg"}])
    )
    assert "alleen tekstberichten" in texts(upload)
    assert buyer.send(buyer.event(text="echo of our reply", bot_id="B0001")) == []
