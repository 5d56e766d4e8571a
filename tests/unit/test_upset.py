"""Whether a buyer is clearly upset: ``bot.components.upset.read_upset``."""

from __future__ import annotations

import time

import pytest

from bot.components.upset import (
    ANGER_PHRASES,
    INSULTS,
    LANGUAGES,
    REPEAT_COMPLAINTS,
    SIGNALS,
    THREATS,
    Upset,
    normalise,
    read_upset,
)

# As buyers type them: missing accents, typos, no capitals.
UPSET = {
    "en": [
        "This is ridiculous, I've been waiting 3 weeks for my refund",
        "worst customer service ever. never ordering from you again",
        "im furious, the mug came smashed and nobody answers",
        "you are a bunch of scammers",
        "If I dont get my money by friday Im calling my lawyer",
        "fine, I'll just do a chargeback with my bank",
        "stupid bot, let me talk to a real person",
        "what the hell is going on with my order",
    ],
    "es": [
        "es una verguenza, llevo un mes esperando el reembolso",
        "sois unos estafadores, quiero mi dinero ya",
        "estoy harta de esperar, voy a poner una reclamacion en consumo",
        "que mierda de servicio, nadie me contesta",
        "como no me devolvais el dinero os denuncio",
        "el peor servicio que he visto en mi vida",
    ],
    "fr": [
        "C'est inadmissible, trois semaines sans reponse",
        "vous etes des escrocs rendez moi mon argent",
        "j'en ai marre de vos mensonges",
        "je vais porter plainte et contacter la DGCCRF",
        "si je nai pas mon remboursement je fais opposition aupres de ma banque",
        "je suis vraiment enervee, personne ne me repond",
    ],
    "de": [
        "Das ist eine Frechheit, seit drei Wochen kein Geld zurück",
        "ihr seid Betrüger, ich schalte meinen Anwalt ein",
        "ich bin stinksauer, das paket kam kaputt an",
        "Saftladen. Nie wieder hier bestellen",
        "Dann mache ich eben eine Rückbuchung über PayPal",
        "unverschaemt wie ihr mit kunden umgeht",
    ],
    "it": [
        "è una vergogna, nessuno risponde",
        "siete dei truffatori",
        "sono incazzato nero, il pacco e arrivato distrutto",
        "se non mi rimborsate vado dall'avvocato",
        "servizio pessimo, vi lascio una recensione negativa",
        "e assurdo, aspetto da un mese",
    ],
    "pt": [
        "que absurdo, ja faz um mes e nada do reembolso",
        "voces sao uns ladroes",
        "vou abrir reclamação no Procon e no Reclame Aqui",
        "que palhaçada, ninguem responde",
        "isso é golpe",
        "pessimo atendimento, nunca mais compro",
    ],
    "nl": [
        "belachelijk dit, al drie weken geen antwoord",
        "jullie zijn oplichters",
        "ik ben het zat, ik stap naar de Geschillencommissie",
        "waardeloze service, ik ga een slechte review schrijven",
        "wat een kutbedrijf",
        "ik ben echt boos, de mok was kapot",
    ],
    "zh": [
        "太过分了，三个星期了还没退款",
        "气死我了！客服一直不回",
        "你们就是骗子",
        "再不退款我就去消协投诉",
        "垃圾公司，我要给差评",
        "我要找律师起诉你们",
    ],
}

# Ordinary complaints: the bot should solve these itself.
NOT_UPSET = {
    "en": [
        "my mug arrived broken",
        "the parcel never arrived",
        "I want my money back",
        "where is my refund?",
        "the jacket is too small!!",
        "Hi, tracking says delivered but i dont have it, can you check pls",
        "I bought the Scamp hoodie for my son but its the wrong size",
        "a bit disappointed, the colour is different from the picture",
        "this is the second time I order from you, the first was fine",
    ],
    "es": [
        "el paquete llego roto, que hago?",
        "quiero devolver las zapatillas, me quedan pequeñas",
        "todavia no me ha llegado el reembolso",
        "la caja llego con un golpe pero el producto esta bien",
        "me podeis decir cuando llega mi pedido?",
        "el ultimo pedido estaba perfecto, este no",
    ],
    "fr": [
        "mon colis est arrivé cassé",
        "je n'ai toujours pas recu mon remboursement",
        "la veste est trop petite, je peux l'echanger ?",
        "Bonjour, ou est mon colis svp",
        "je voulais vous signaler un probleme avec ma commande",
        "le mug est arrive fele, comment faire un retour",
    ],
    "de": [
        "das Paket ist nicht angekommen",
        "die Tasse kam kaputt an, was nun?",
        "Ich möchte mein Geld zurück",
        "Wann bekomme ich den Betrag erstattet?",
        "Die Jacke ist zu klein, kann ich umtauschen?",
        "ich melde mich wegen meiner Rücksendung",
    ],
    "it": [
        "il pacco è arrivato rotto",
        "vorrei il rimborso per favore",
        "quando arriva il mio ordine?",
        "la giacca e troppo piccola, posso cambiarla?",
        "ho chiesto lo storno dell'ordine ieri",
        "vi segnalo che manca un pezzo",
    ],
    "pt": [
        "meu pedido chegou quebrado",
        "quero o estorno por favor",
        "quando voces vao processar o reembolso?",
        "a jaqueta ficou pequena, posso trocar?",
        "ainda nao recebi meu dinheiro de volta",
        "o produto e otimo mas veio no tamanho errado",
    ],
    "nl": [
        "mijn pakket is kapot aangekomen",
        "ik wil mijn geld terug",
        "wanneer wordt het bedrag teruggeboekt?",
        "de jas is te klein, kan ik hem ruilen?",
        "mijn bestelling is nog niet binnen",
        "ik ben niet boos hoor, maar de mok is gebarsten",
    ],
    "zh": [
        "我的包裹还没到",
        "杯子到的时候破了",
        "我想退款",
        "尺码太小了，可以换吗？",
        "退款什么时候到账？",
        "我把包装扔进垃圾桶了，还能退货吗？",
    ],
}


def cases(examples: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(language, text) for language, texts in examples.items() for text in texts]


def test_every_served_language_has_upset_and_ordinary_examples() -> None:
    for language in LANGUAGES:
        assert len(UPSET[language]) >= 3
        assert len(NOT_UPSET[language]) >= 3


@pytest.mark.parametrize(("language", "text"), cases(UPSET))
def test_a_clearly_upset_message_is_handed_over(language: str, text: str) -> None:
    upset = read_upset(text)

    assert upset.clear, (language, upset)
    assert upset.signals


@pytest.mark.parametrize(("language", "text"), cases(NOT_UPSET))
def test_an_ordinary_complaint_is_not_upset(language: str, text: str) -> None:
    assert not read_upset(text).clear


@pytest.mark.parametrize(
    ("text", "signals"),
    [
        ("This is ridiculous", ("anger_phrase:en",)),
        ("es una vergüenza", ("anger_phrase:es",)),
        ("c'est inadmissible", ("anger_phrase:fr",)),
        ("Das ist eine Frechheit", ("anger_phrase:de",)),
        ("è una vergogna", ("anger_phrase:it",)),
        ("isso é uma vergonha", ("anger_phrase:pt",)),
        ("belachelijk", ("anger_phrase:nl",)),
        ("太过分了", ("anger_phrase:zh",)),
        ("scammers", ("insult:en",)),
        ("oplichters", ("insult:nl",)),
        ("骗子", ("insult:zh",)),
        ("I'll see you in court", ("threat:legal",)),
        ("je vais contacter la DGCCRF", ("threat:authority",)),
        ("Ich beantrage eine Rückbuchung", ("threat:chargeback",)),
        ("I will leave a 1 star review", ("threat:review",)),
        ("for the third time, where is my parcel", ("repeat_complaint",)),
        ("WHERE IS MY PARCEL PLEASE", ("shouting",)),
        ("hello 😡", ("angry_emoji",)),
        ("hello???", ("repeated_punctuation",)),
    ],
)
def test_the_signals_name_what_fired(text: str, signals: tuple[str, ...]) -> None:
    assert read_upset(text).signals == signals


def test_a_threat_is_named_by_its_kind_in_any_language() -> None:
    assert "threat:legal" in read_upset("vou falar com meu advogado").signals
    assert "threat:chargeback" in read_upset("我要申请拒付").signals
    assert "threat:review" in read_upset("ik geef jullie een negatieve recensie").signals
    assert "threat:authority" in read_upset("ich gehe zur Verbraucherzentrale").signals


def test_several_signals_are_all_named_in_order() -> None:
    upset = read_upset("YOU ARE SCAMMERS, I WILL CALL MY LAWYER!!! 😡")

    assert upset == Upset(
        clear=True,
        signals=("insult:en", "threat:legal", "shouting", "angry_emoji", "repeated_punctuation"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "WHERE IS MY REFUND I HAVE BEEN WAITING FOR WEEKS",
        "¿DÓNDE ESTÁ MI REEMBOLSO? LLEVO UN MES",
        "ICH WILL MEIN GELD ZURÜCK",
        "WHERE IS MY REFUND FOR SO-2026-0042",
    ],
)
def test_a_message_mostly_in_capitals_is_shouting(text: str) -> None:
    assert "shouting" in read_upset(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "OK",
        "OK THANKS",
        "SO-2026-0042",
        "my order SO-2026-0042, return RMA-7K2Q9D",
        "SO-2026-0042 RMA-7K2Q9D SO-2026-0043 RMA-8M3R0E",
        "my email is JOHN.SMITHSON@EXAMPLE.COM",
        "I sent it with DHL, not UPS, to the EU warehouse",
        "Where Is My Refund Please Tell Me",
        "我的包裹还没到 OK",
    ],
)
def test_order_ids_acronyms_and_short_capitals_are_not_shouting(text: str) -> None:
    assert "shouting" not in read_upset(text).signals


def test_shouting_alone_is_not_clearly_upset() -> None:
    upset = read_upset("WHERE IS MY REFUND I HAVE BEEN WAITING FOR WEEKS")

    assert upset == Upset(clear=False, signals=("shouting",))


def test_shouting_with_question_marks_is_clearly_upset() -> None:
    assert read_upset("WHERE IS MY REFUND???").clear


def test_an_angry_emoji_and_exclamation_marks_together_are_clearly_upset() -> None:
    upset = read_upset("where is my parcel!!! 😡")

    assert upset == Upset(clear=True, signals=("angry_emoji", "repeated_punctuation"))


@pytest.mark.parametrize(
    "text",
    [
        "where is my parcel 😡",
        "where is my parcel!!!",
        "😡😡😡",
        "¿¿¿dónde está mi pedido???",
        "🤬",
    ],
)
def test_an_angry_emoji_or_exclamation_marks_alone_are_not(text: str) -> None:
    upset = read_upset(text)

    assert not upset.clear
    assert len(upset.signals) == 1


@pytest.mark.parametrize("text", ["the jacket is too small!!", "why?!", "really?", "ok...", "🙂👍"])
def test_two_marks_or_friendly_emoji_are_no_signal(text: str) -> None:
    assert read_upset(text).signals == ()


def test_full_width_chinese_exclamation_marks_count() -> None:
    assert read_upset("包裹呢！！！").signals == ("repeated_punctuation",)


def test_a_repeat_complaint_with_exclamation_marks_is_clearly_upset() -> None:
    upset = read_upset("por tercera vez, donde esta mi reembolso!!!")

    assert upset == Upset(clear=True, signals=("repeat_complaint", "repeated_punctuation"))


def test_a_repeat_complaint_alone_is_not() -> None:
    assert not read_upset("zum dritten Mal: wo ist mein Paket?").clear


@pytest.mark.parametrize(
    "text",
    ["I bought the scampi set", "the scamp hoodie", "catering tray", "ultimo pedido", "otimo"],
)
def test_latin_words_match_only_whole(text: str) -> None:
    assert read_upset(text).signals == ()


@pytest.mark.parametrize(
    "text",
    ["ES UNA VERGÜENZA", "es una verguenza", "Es Una Vergüenza", "es   una\nvergüenza"],
)
def test_matching_ignores_case_accents_and_spacing(text: str) -> None:
    assert read_upset(text).signals[0] == "anger_phrase:es"


def test_typographic_apostrophes_match_straight_ones() -> None:
    assert read_upset("I’m fed up").clear
    assert read_upset("j’en ai marre").clear


def test_empty_text_is_not_upset() -> None:
    assert read_upset("") == Upset(clear=False, signals=())
    assert read_upset("   \n\t") == Upset(clear=False, signals=())


@pytest.mark.parametrize(
    "text",
    [
        "😊🎉",
        "ok 好的 merci danke",
        "<script>alert('x')</script>",
        "'; DROP TABLE orders; --",
        "SELECT * FROM orders WHERE id = 1",
        "\x00\ud800\ufeff",
        "ＡＢＣ full width",
        "https://shop.example.com/orders/SO-2026-0042?ref=MAIL",
    ],
)
def test_odd_input_is_read_safely(text: str) -> None:
    assert read_upset(text) == Upset(clear=False, signals=())


@pytest.mark.parametrize(
    "text",
    [
        "my parcel never arrived. " * 400,
        "a" * 10_000,
        "A" * 10_000,
        "!" * 10_000,
        "😡" * 10_000,
        "垃" * 10_000,
        "x@" * 5_000,
        "ab1-" * 2_500,
    ],
)
def test_a_ten_thousand_character_message_is_read_quickly(text: str) -> None:
    started = time.perf_counter()
    read_upset(text)

    assert time.perf_counter() - started < 0.5


def test_a_long_message_is_read_correctly() -> None:
    calm = "my parcel never arrived, could you check please. " * 200

    assert not read_upset(calm[:10_000]).clear
    assert read_upset(calm[: 10_000 - 20] + " this is ridiculous").signals == ("anger_phrase:en",)


def test_every_signal_returned_is_a_known_name() -> None:
    texts = [text for texts in UPSET.values() for text in texts]

    assert {signal for text in texts for signal in read_upset(text).signals} <= set(SIGNALS)


def test_latin_patterns_are_written_as_normalised_text() -> None:
    latin = [code for code in LANGUAGES if code != "zh"]
    fragments = [f for code in latin for f in ANGER_PHRASES[code] + INSULTS[code]]
    fragments += [f for by_language in THREATS.values() for c in latin for f in by_language[c]]
    fragments += [f for code in latin for f in REPEAT_COMPLAINTS[code]]

    assert all(f.isascii() and f == f.lower() for f in fragments)


def test_normalise_folds_case_accents_apostrophes_and_spaces() -> None:
    assert normalise("Ça  VA’ Straße\tÜBER！！") == "ca va' strasse uber!!"
