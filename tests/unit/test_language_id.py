"""The pure language detector: ``detect(text, hints, vocabulary)``."""

from __future__ import annotations

import pytest

from bot.components.language_id import (
    Evidence,
    LanguageHints,
    Vocabulary,
    detect,
    language_bearing,
    served_locale,
    words_of,
)
from bot.components.language_request import requested_language

SERVED = ("en", "es", "fr", "de", "it", "pt", "nl", "zh")
NEW = LanguageHints(served=SERVED, default="en")

# A tiny vocabulary: enough words to tell the languages apart in these tests.
VOCABULARY = Vocabulary.from_examples(
    [
        ("en", "my parcel never arrived and i want a refund please"),
        ("en", "ok thanks yes"),
        ("es", "llego roto quiero un reembolso por favor mi pedido no ha llegado"),
        ("es", "ok gracias si"),
        ("es", "el paquete llego roto"),
        ("es", "llego tarde y roto"),
        ("fr", "mon colis est arrive casse je veux un remboursement"),
        ("fr", "ok merci oui"),
        ("de", "geld zuruck bitte mein paket ist kaputt angekommen"),
        ("de", "ok danke ja"),
        ("it", "il pacco e arrivato rotto voglio un rimborso"),
        ("pt", "chegou quebrado quero um reembolso meu pedido"),
        ("nl", "mijn pakket is kapot aangekomen ik wil mijn geld terug"),
    ]
)


def in_conversation(language: str, locale: str | None = None) -> LanguageHints:
    return LanguageHints(served=SERVED, default="en", conversation=language, locale=locale)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("llego roto", "es"),
        ("geld zurück bitte", "de"),
        ("je veux un remboursement", "fr"),
        ("chegou quebrado", "pt"),
        ("mijn pakket is kapot", "nl"),
        ("voglio un rimborso", "it"),
        ("my parcel never arrived", "en"),
    ],
)
def test_a_first_short_message_sets_its_language(text: str, language: str) -> None:
    detection = detect(text, NEW, VOCABULARY)

    assert detection.code == language
    assert detection.evidence is Evidence.TEXT
    assert detection.confidence >= 0.5


def test_chinese_is_recognised_by_its_script_even_mixed_with_latin_words() -> None:
    assert detect("还没收到", NEW, VOCABULARY).code == "zh"
    assert detect("还没收到", NEW, VOCABULARY).evidence is Evidence.SCRIPT
    assert detect("耳机坏了 refund please", NEW, VOCABULARY).code == "zh"
    # A brand name in Han inside an English sentence stays English.
    assert detect("my 小米 phone arrived broken, i want a refund", NEW, VOCABULARY).code == "en"


@pytest.mark.parametrize("text", ["ok", "12345", "#100482", "RMA-7K2Q9D", "😀👍", "", "   ",
                                  "https://shop.example.com/orders/100482", "ana@example.es"])
def test_a_message_without_clear_language_never_switches_the_conversation(text: str) -> None:
    detection = detect(text, in_conversation("es"), VOCABULARY)

    assert detection.code == "es"
    assert detection.evidence is Evidence.CONVERSATION
    assert not detection.switched_from("es")


def test_a_short_message_in_another_language_keeps_the_conversation_language() -> None:
    assert detect("ok thanks", in_conversation("es"), VOCABULARY).code == "es"
    assert detect("refund please", in_conversation("de"), VOCABULARY).code == "de"


def test_english_shop_words_in_a_chinese_message_keep_the_conversation_chinese() -> None:
    detection = detect("iPhone 坏了 refund please, my parcel", in_conversation("zh"), VOCABULARY)

    assert detection.code == "zh"


def test_full_sentences_in_another_language_switch_the_conversation() -> None:
    detection = detect("my parcel never arrived and i want a refund", in_conversation("es"),
                       VOCABULARY)

    assert detection.code == "en"
    assert detection.switched_from("es")
    assert detect("我的包裹还没有收到", in_conversation("en"), VOCABULARY).code == "zh"


def test_nothing_to_go_on_falls_back_to_the_channel_locale_then_the_default() -> None:
    assert detect("12345", LanguageHints(SERVED, "en", locale="es-MX"), VOCABULARY).code == "es"
    assert detect("12345", LanguageHints(SERVED, "en", locale="es-MX"), VOCABULARY).evidence \
        is Evidence.HINT
    assert detect("12345", LanguageHints(SERVED, "en", locale="ja-JP"), VOCABULARY).code == "en"
    assert detect("12345", NEW, VOCABULARY).evidence is Evidence.DEFAULT


def test_the_locale_hint_never_overrides_what_the_buyer_clearly_writes() -> None:
    hints = LanguageHints(SERVED, "en", locale="en-US")

    assert detect("llego roto, quiero un reembolso", hints, VOCABULARY).code == "es"


def test_a_served_requested_language_always_wins() -> None:
    detection = detect("ok", in_conversation("es"), VOCABULARY, requested="en")

    assert (detection.code, detection.evidence) == ("en", Evidence.REQUEST)
    assert detection.confidence == 1.0


def test_an_unserved_requested_language_is_reported_and_the_conversation_stays() -> None:
    detection = detect("can we speak japanese", in_conversation("en"), VOCABULARY, requested="ja")

    assert detection.code == "en"
    assert detection.unserved == "ja"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("где моя посылка, я хочу вернуть деньги", "ru"),
        ("荷物がまだ届いていません", "ja"),
        ("gdzie jest moja paczka, chcę zwrot pieniędzy", "pl"),
    ],
)
def test_a_clear_unserved_language_is_reported_without_switching(text: str, language: str) -> None:
    detection = detect(text, in_conversation("fr"), VOCABULARY)

    assert detection.unserved == language
    assert detection.code == "fr"


def test_the_store_default_answers_an_unserved_first_message() -> None:
    detection = detect("gdzie jest moja paczka, chcę zwrot pieniędzy", NEW, VOCABULARY)

    assert (detection.code, detection.unserved) == ("en", "pl")


def test_detection_is_deterministic() -> None:
    texts = ["llego roto", "ok", "rotto", "kapot", "geld", "reembolso"]
    first = [detect(t, NEW, VOCABULARY).as_output() for t in texts]
    again = [detect(t, NEW, VOCABULARY).as_output() for t in texts]

    assert first == again


def test_a_store_serving_fewer_languages_never_answers_in_another() -> None:
    hints = LanguageHints(served=("en", "de"), default="de")

    assert detect("llego roto, quiero un reembolso", hints, VOCABULARY).code in ("en", "de")
    assert detect("还没收到", hints, VOCABULARY).code == "de"
    assert detect("还没收到", hints, VOCABULARY).unserved == "zh"


def test_identifiers_carry_no_language() -> None:
    assert language_bearing("order SO-2026-0042 and #100482 to ana@example.es").split() == [
        "order", "and", "to"]
    assert words_of("Llegó ROTO!!") == ["llego", "roto"]


def test_served_locale_reads_browser_locales() -> None:
    assert served_locale("pt-BR", SERVED) == "pt"
    assert served_locale("zh_Hans_CN", SERVED) == "zh"
    assert served_locale("ja", SERVED) is None
    assert served_locale(None, SERVED) is None


def test_vocabulary_survives_a_round_trip() -> None:
    assert Vocabulary.from_dict(VOCABULARY.to_dict()) == VOCABULARY


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("can we speak english?", "en"),
        ("en español por favor", "es"),
        ("pouvez-vous parler anglais", "en"),
        ("sprechen sie deutsch?", "de"),
        ("não falo alemão, em português por favor", "pt"),
        ("kun je nederlands praten", "nl"),
        ("可以说中文吗", "zh"),
        ("do you speak japanese", "ja"),
        ("help me please", None),
    ],
)
def test_the_requested_language_is_found_in_any_language(text: str, language: str | None) -> None:
    assert requested_language(text) == language


def test_a_store_that_serves_japanese_answers_kana_in_japanese() -> None:
    detection = detect("荷物がまだ届いていません", LanguageHints(("en", "ja"), "en"), VOCABULARY)

    assert (detection.code, detection.unserved) == ("ja", None)


def test_naming_the_current_language_in_a_sentence_of_another_asks_for_that_other() -> None:
    detection = detect("sorry my spanish is bad, my parcel never arrived and i want a refund",
                       in_conversation("es"), VOCABULARY, requested="es")  # fmt: skip

    assert detection.code == "en"
    assert detect("en español por favor", in_conversation("en"), VOCABULARY,
                  requested="es").code == "es"  # fmt: skip
