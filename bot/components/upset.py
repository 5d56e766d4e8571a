"""Whether a buyer is clearly upset, so the assistant hands the conversation to a human.

Pure and standard library only: ``read_upset(text)`` needs no Rasa, no
network and no files. Conservative on purpose: most buyers who write to a
returns assistant have a problem ("my mug arrived broken", "where is my
refund?"), and the bot should simply solve it. A human takes over only when
the message itself shows anger: one strong signal (an anger phrase, an
insult, a threat) or two weak ones together (shouting, angry emoji, "!!!",
"for the third time").

Patterns are regular-expression fragments written the way ``normalise``
leaves text: lower case, no accents ("verguenza", "wutend"), straight
apostrophes, single spaces. Latin fragments match whole words (so "scam"
does not fire inside "scamp"); Chinese ones, having no spaces, match
anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl", "zh")

# Anger the buyer says in words. Strong: one is enough.
ANGER_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        r"ridiculous", r"outrageous", r"disgraceful", r"unacceptable", r"furious", r"livid",
        r"fuming", r"seething", r"pissed(?: off)?", r"fed up", r"i'?m (?:so |really |very )?angry",
        r"sick (?:and tired )?of (?:this|you|your|it|waiting)", r"enough is enough",
        r"i'?ve had enough", r"what a joke", r"(?:this|it) is a joke", r"are you kidding(?: me)?",
        r"you'?ve got to be kidding", r"absolutely disgusting",
        r"disgusting (?:service|company|shop|store|treatment|behaviou?r)",
        r"worst (?:customer )?(?:service|support|company|shop|store|experience) (?:ever|i'?ve)",
        r"what the hell", r"shame on you", r"you should be ashamed", r"how dare you",
        r"never (?:ever )?again",
        r"never (?:ever )?(?:buying|ordering|shopping) (?:from|with|here)",
    ),
    "es": (
        r"(?:es|que|menuda|vaya) (?:una )?verguenza", r"vergonzoso", r"indignante",
        r"indignad[oa]s?", r"inaceptable", r"intolerable", r"ridicul[oa]",
        r"(?:que|es|esto es|es un|un) absurdo", r"furios[oa]", r"cabread[oa]",
        r"estoy (?:muy |super |mega )?(?:enfadad[oa]|hart[oa])", r"hart[oa] de",
        r"hasta las narices", r"hasta el gorro",
        r"(?:el|la) peor (?:servicio|atencion|tienda|empresa|experiencia)",
        r"pesim[oa] (?:servicio|atencion)", r"tomadura de pelo",
        r"(?:estais|estan) tomando el pelo", r"no hay derecho", r"es el colmo",
    ),
    "fr": (
        r"inadmissible", r"inacceptable", r"scandal(?:e|eux|euse)", r"honte(?:ux|use)?",
        r"furieu(?:x|se)", r"en colere",
        r"je suis (?:tres |vraiment |super )?(?:enerve|excede|outre)e?", r"j'?en ai marre",
        r"ras[ -]le[ -]bol", r"foutage de gueule",
        r"(?:vous )?(?:foutez|moquez) de (?:moi|nous|ma gueule|vos clients)", r"ridicule",
        r"(?:le )?pire (?:service|site|boutique|magasin|sav)",
        r"c'?est (?:vraiment |du )?n'?importe quoi", r"lamentable",
    ),
    "de": (
        r"frechheit", r"unverscha(?:e)?mt(?:heit)?", r"zumutung", r"stinksauer", r"wu(?:e)?tend",
        r"ich bin (?:so |total |echt |richtig |extrem )?sauer", r"la(?:e)?cherlich",
        r"skandal(?:o(?:e)?s)?", r"unfassbar", r"mir reicht(?:'?s| es)",
        r"(?:die )?nase (?:gestrichen )?voll", r"verarsch[a-z]*",
        r"schlechteste[nrs]? (?:service|kundenservice|shop|laden|firma)", r"eine schande",
        r"sauerei",
    ),
    "it": (
        r"(?:e|che|una) vergogna", r"vergognatevi", r"vergognos[oa]", r"inaccettabile",
        r"inammissibile", r"scandalos[oa]", r"(?:uno|che) scandalo",
        r"(?:e|ma e|che|davvero|veramente) assurdo", r"ridicol[oi]", r"incazzat[oa]", r"furios[oa]",
        r"arrabbiatissim[oa]", r"sono (?:molto |davvero |proprio )?arrabbiat[oa]", r"sono stuf[oa]",
        r"stuf[oa] di", r"esasperat[oa]", r"(?:che|fa|fate|fanno) schifo",
        r"(?:servizio|assistenza) (?:pessim[oa]|vergognos[oa]|schifos[oa]|penos[oa]|indecente)",
        r"(?:il )?peggior(?:e)? (?:servizio|negozio|assistenza|azienda)",
        r"(?:state|stanno) prendendo in giro", r"presa in giro", r"ne ho abbastanza", r"indecente",
    ),
    "pt": (
        r"que absurdo", r"(?:e|eh|isso e|isto e) (?:um )?absurdo", r"um absurdo",
        r"(?:que|uma) vergonha", r"vergonhoso", r"inaceitavel", r"ridicul[oa]", r"palhacada",
        r"(?:estou|to|tou) (?:muito |super )?(?:furios[oa]|revoltad[oa]|indignad[oa]|irritad[oa]|"
        r"fart[oa])",
        r"put[oa] da vida", r"revoltad[oa]", r"(?:o )?pior (?:atendimento|servico|loja|empresa)",
        r"pessim[oa] (?:atendimento|servico)", r"(?:estao|tao) de brincadeira",
        r"so pode ser brincadeira", r"falta de respeito", r"desrespeito",
    ),
    "nl": (
        r"belachelijk", r"schandalig", r"schande", r"onacceptabel", r"onaanvaardbaar", r"woedend",
        r"razend", r"ik ben (?:zo |echt |heel |erg |super |nu )?(?:boos|kwaad|pissig)",
        r"ik ben het (?:spuugzat|zat|beu)", r"spuugzat", r"(?:ik )?heb er genoeg van",
        r"waardeloze (?:service|klantenservice|winkel|webshop|bot|bedrijf)",
        r"(?:jullie zijn|wat) (?:echt )?waardeloos",
        r"slechtste (?:service|klantenservice|winkel|webshop|bedrijf)", r"te gek voor woorden",
        r"(?:dit|het) slaat nergens op", r"in de maling",
    ),
    "zh": (
        "太过分", "过分了", "气死", "气人", "生气", "愤怒", "受够了", "忍无可忍", "岂有此理",
        "不像话", "离谱", "荒唐", "荒谬", "恶心", "火大", "什么破", "最差的服务", "最烂", "太差劲",
        "搞什么鬼", "欺人太甚", "坑爹",
    ),
}  # fmt: skip

# Insults and profanity. Modest on purpose; words that also name ordinary things
# ("thief" who took the parcel, Chinese 垃圾桶 "bin") need the shop as their target.
INSULTS: dict[str, tuple[str, ...]] = {
    "en": (
        r"scam(?:s|mers?|med|ming)?", r"fraudsters?",
        r"(?:you(?: are|'?re)|this is|what a) (?:a )?(?:total |complete )?fraud",
        r"(?:you(?: are|'?re)?|you guys are|bunch of|such) (?:[a-z]+ )?(?:thieves|crooks|cheats)",
        r"con ?artists?", r"rip[ -]?off", r"idiots", r"morons?", r"liars", r"incompetent",
        r"useless (?:bot|company|shop|store|service|support|people|lot|idiots)",
        r"you(?: are|'?re)(?: so| completely| totally)? useless",
        r"stupid (?:bot|chatbot|machine|company|shop|store|website)", r"fu+ck[a-z]*",
        r"f\*+k[a-z]*", r"wtf", r"(?:bull)?shit(?:ty)?", r"crap(?:py)?", r"screw you", r"assholes?",
        r"bastards?",
    ),
    "es": (
        r"estafa(?:d[oa]s?|dores?)?", r"timo", r"timadores", r"sinverguenzas?", r"es un robo",
        r"(?:sois|son|eres|unos|panda de|banda de) (?:unos )?(?:ladrones|inutiles|incompetentes)",
        r"incompetentes", r"mierda", r"joder", r"cabrones", r"bot inutil",
    ),
    "fr": (
        r"arnaque(?:s|urs?)?", r"escro(?:cs?|querie)", r"(?:vous etes|bande de) (?:des )?voleurs",
        r"incompetents?", r"(?:vous etes|bande de) (?:des )?(?:nuls|incapables|guignols|clowns)",
        r"merde", r"putain", r"bordel", r"connards?",
    ),
    "de": (
        r"betrug[a-z]*", r"betru(?:e)?ger[a-z]*", r"abzocke[a-z]*", r"verbrecher[a-z]*",
        r"(?:ihr|seid) (?:[a-z]+ )?diebe", r"diebesbande", r"inkompetent[a-z]*", r"idioten",
        r"scheiss[a-z]*", r"saftladen", r"drecksladen", r"verdammt",
    ),
    "it": (
        r"truff(?:a|e|atori)", r"imbroglion[ei]",
        r"(?:siete|dei|banda di|branco di) (?:dei )?ladri", r"incompetenti", r"buffoni",
        r"(?:siete|degli|banda di) (?:degli )?inutili", r"merda", r"cazz[oi]", r"vaffanculo",
    ),
    "pt": (
        r"(?:e|eh|isso e|que|um) golpe", r"golpistas?",
        r"(?:voces sao|vcs sao|bando de|seus) (?:uns )?ladroes", r"vigaristas?", r"incompetentes",
        r"merda", r"porra", r"caralho",
        r"(?:servico|atendimento|empresa|loja|bot) (?:[a-z]+ )?lixo", r"(?:e|eh|que) (?:um )?lixo",
    ),
    "nl": (
        r"oplicht(?:ers?|ing|erij)", r"(?:jullie zijn|stelletje) (?:[a-z]+ )?dieven",
        r"dievenbende", r"incompetent[a-z]*", r"kut[a-z]*", r"klootzakken", r"godverdomme",
        r"tering[a-z]*", r"prutsers", r"zwendel",
    ),
    "zh": (
        "骗子", "诈骗", "骗人", "骗钱", "黑店", "奸商", "无良", "坑人", "傻逼", "他妈的", "废物",
        "混蛋", "王八蛋", "强盗", "什么垃圾", "垃圾公司", "垃圾店", "垃圾服务", "垃圾客服",
        "垃圾平台", "垃圾商家", "垃圾网站",
    ),
}  # fmt: skip

# Threats, by kind (the signal says which kind, whatever the language). Strong.
THREATS: dict[str, dict[str, tuple[str, ...]]] = {
    "legal": {
        "en": (
            r"lawyers?", r"attorneys?", r"solicitors?", r"sue (?:you|your|the)", r"suing",
            r"(?:take|taking) (?:you|this|it) to court", r"see you in court", r"small claims",
            r"legal (?:action|steps|proceedings)",
        ),
        "es": (
            r"abogad[oa]s?", r"demandar(?:os|les|te)?", r"(?:os|les|te) (?:voy a )?demand(?:o|ar)",
            r"(?:poner|interponer) una demanda", r"denunciar(?:os|les|te)?",
            r"(?:os|les|te) denuncio", r"(?:poner|presentar) una denuncia",
            r"(?:acciones|medidas) legales", r"via (?:legal|judicial)", r"juzgado", r"tribunales",
        ),
        "fr": (
            r"(?:mon|un|des|mes) avocats?", r"porter plainte", r"deposer (?:une )?plainte",
            r"poursuites", r"poursuivre en justice", r"en justice", r"au tribunal",
            r"mise en demeure",
        ),
        "de": (
            r"[a-z]*anwa(?:e)?lt[a-z]*", r"verklag[a-z]*", r"klage einreichen", r"vor gericht",
            r"gerichtlich[a-z]*", r"rechtliche schritte", r"mahnbescheid",
        ),
        "it": (
            r"avvocat[oi]", r"(?:mio|un|al|dal) legale", r"(?:fare|faccio|faro) causa",
            r"causa legale", r"vie legali", r"azion[ei] legal[ei]", r"tribunale",
            r"denuncia(?:re|rvi)?", r"vi denuncio",
        ),
        "pt": (
            r"advogad[oa]s?", r"(?:vou|vamos) processar",
            r"processar (?:voces|vcs|a loja|a empresa)", r"processo judicial",
            r"(?:acao|medidas|vias) (?:judicia(?:l|is)|legais)", r"justica", r"juizado",
            r"tribunal",
        ),
        "nl": (
            r"advocaa?t(?:en)?", r"rechtszaak", r"naar de rechter", r"rechtbank", r"aanklagen",
            r"juridische stappen", r"aangifte (?:doen|doe)",
        ),
        "zh": ("律师", "起诉", "告你们", "法院", "打官司", "法律途径", "法律手段"),
    },
    "authority": {
        "en": (
            r"consumer (?:protection|authority|agency|ombudsman|council)", r"trading standards",
            r"better business bureau", r"bbb", r"ombudsman", r"citizens advice",
        ),
        "es": (
            r"(?:oficina|organismo|autoridad|ministerio|direccion general|junta arbitral) de "
            r"consumo",
            r"(?:en|a|ante) consumo", r"omic", r"ocu", r"facua", r"profeco",
            r"hoja de reclamaciones", r"libro de reclamaciones",
        ),
        "fr": (
            r"dgccrf", r"(?:ufc[ -]?)?que[ -]choisir", r"associations? de consommateurs",
            r"signal ?conso", r"repression des fraudes", r"mediateur",
            r"60 millions de consommateurs",
        ),
        "de": (r"verbraucherzentrale", r"verbraucherschutz[a-z]*", r"schlichtungsstelle"),
        "it": (
            r"altroconsumo", r"codacons", r"associazion[ei] (?:dei |di |per i )?consumatori",
            r"agcm", r"antitrust", r"adiconsum", r"federconsumatori",
        ),
        "pt": (
            r"procon", r"(?:na|a|para a|pela) deco", r"livro de reclamacoes", r"consumidor\.gov",
            r"defesa do consumidor", r"asae",
        ),
        "nl": (
            r"consumentenbond", r"geschillencommissie", r"consuwijzer", r"acm",
            r"autoriteit consument",
        ),
        "zh": ("消协", "消费者协会", "消保委", r"12315", "工商局", "市场监管"),
    },
    "chargeback": {
        "en": (
            r"charge[ -]?back", r"(?:open|file|raise|start) (?:a )?(?:paypal )?dispute",
            r"paypal dispute", r"dispute (?:the|this) (?:charge|payment|transaction)",
            r"dispute it with", r"reverse the (?:charge|payment)",
            r"(?:call|contact|phone|ring) my (?:bank|credit card company|card company)",
        ),
        "es": (
            r"contracargo", r"retrocargo",
            r"(?:reclamar|reclamacion) (?:a|al|con|en) (?:mi )?banco", r"anular el cargo",
            r"(?:abrir|abro|abrire) (?:una )?disputa", r"disputa (?:en|con) paypal",
        ),
        "fr": (
            r"retrofacturation", r"(?:faire|fais|ferai|ferais) opposition",
            r"(?:ouvrir|ouvre|ouvrirai) (?:un )?litige",
            r"litige (?:paypal|bancaire|avec (?:paypal|ma banque))",
            r"contester (?:le|la|ce|cette) (?:paiement|prelevement|transaction|debit)",
        ),
        "de": (
            r"ru(?:e)?ckbuchung", r"ru(?:e)?cklastschrift", r"zuru(?:e)?ckbuchen",
            r"ka(?:e)?uferschutz", r"konflikt (?:bei|uber|ueber) paypal",
        ),
        "it": (
            r"storno (?:dell'?addebito|del pagamento|sulla carta)",
            r"contestazione (?:dell'?addebito|del pagamento|con la banca)",
            r"contest(?:are|o|ero) (?:l'?addebito|il pagamento)",
            r"(?:aprire|apro|apriro) (?:una )?(?:contestazione|controversia|disputa)",
            r"(?:controversia|disputa) (?:su |con )?paypal",
        ),
        "pt": (
            r"contest(?:ar|o|ei|arei) (?:a |essa |esta )?(?:compra|cobranca)",
            r"(?:abrir|abro|vou abrir) (?:uma )?disputa", r"disputa (?:no|com o|com) paypal",
        ),
        "nl": (
            r"(?:een )?geschil (?:openen|starten|bij paypal)",
            r"(?:betaling|afschrijving) (?:laten )?terugdraaien", r"creditcardmaatschappij",
        ),
        "zh": ("拒付", "paypal争议", "paypal纠纷", "银行申诉", "向银行投诉", "信用卡公司"),
    },
    "review": {
        "en": (
            r"(?:bad|negative|terrible|horrible|awful|1[ -]?star|one[ -]?star) reviews?",
            r"trustpilot", r"report (?:you|this shop|this company|your company)", r"expose you",
            r"(?:post|share) (?:this|it) (?:on|all over) (?:social media|twitter|facebook|reddit|"
            r"tiktok)",
            r"warn (?:everyone|others|other (?:buyers|customers))",
        ),
        "es": (
            r"(?:mala|malas|pesima) (?:resena|valoracion|opinion)",
            r"(?:resena|valoracion|opinion)(?:es)? negativas?",
            r"(?:publicar|contar|difundir)(?:lo)? (?:esto )?en (?:las )?redes",
        ),
        "fr": (
            r"(?:mauvais|mauvaise) (?:avis|note|commentaire)", r"avis negatifs?",
            r"(?:publier|raconter|poster|partager) (?:ca |cela |tout ca )?sur les reseaux",
        ),
        "de": (r"(?:schlechte|negative|miese) (?:bewertung|rezension|kritik)",),
        "it": (r"recension[ei] negativ[ae]", r"(?:pessima|brutta|cattiva) recensione"),
        "pt": (
            r"reclame ?aqui", r"(?:avaliacao|avaliacoes|comentario) negativ[oa]s?",
            r"(?:pessima|ma) avaliacao", r"expor (?:voces|vcs|a loja|a empresa)",
            r"portal da queixa",
        ),
        "nl": (r"(?:slechte|negatieve) (?:review|recensie|beoordeling)s?",),
        "zh": ("差评", "曝光你们", "举报"),
    },
}  # fmt: skip

# The buyer has said it before. Weak: frustration, not yet anger.
REPEAT_COMPLAINTS: dict[str, tuple[str, ...]] = {
    "en": (
        r"(?:for the|this is the|it'?s the) (?:third|fourth|fifth|tenth|umpteenth|\d+(?:rd|th)) "
        r"time",
        r"how many (?:more )?times (?:do|must|should|have) i",
        r"(?:asked|written|wrote|called|emailed|messaged|told you|complained) (?:you )?(?:twice|"
        r"three times|\d+ times|several times|many times|so many times|again and again)",
        r"still no (?:answer|reply|response)", r"(?:nobody|no one) (?:answers|replies|responds)",
    ),
    "es": (
        r"por (?:tercera|cuarta|quinta|decima|enesima) vez", r"cuantas veces",
        r"(?:dicho|escrito|pedido|preguntado|llamado|reclamado) (?:ya )?(?:dos|tres|cuatro|varias|"
        r"muchas|mil|\d+) veces",
        r"nadie (?:me )?(?:contesta|responde)", r"sigo sin (?:respuesta|noticias)",
    ),
    "fr": (
        r"pour la (?:troisieme|quatrieme|cinquieme|dixieme|enieme|nieme) fois", r"combien de fois",
        r"(?:ecrit|demande|appele|contacte|relance|dit) (?:deja )?(?:deux|trois|plusieurs|mille|"
        r"\d+) fois",
        r"personne ne (?:me )?repond", r"toujours pas de (?:reponse|nouvelles)",
    ),
    "de": (
        r"zum (?:dritten|vierten|fu(?:e)?nften|zehnten|x-ten|xten|zigsten|hundertsten) mal",
        r"wie oft (?:noch|soll|muss)",
        r"(?:schon|bereits) (?:dreimal|viermal|mehrmals|mehrfach|x-mal|zigmal)",
        r"niemand antwortet", r"immer noch keine (?:antwort|ru(?:e)?ckmeldung)",
    ),
    "it": (
        r"per la (?:terza|quarta|quinta|decima|ennesima) volta", r"quante volte",
        r"(?:scritto|chiesto|chiamato|detto|contattato) (?:gia )?(?:tre|quattro|diverse|tante|"
        r"mille|\d+) volte",
        r"nessuno (?:mi )?risponde",
    ),
    "pt": (
        r"pela (?:terceira|quarta|quinta|decima|enesima) vez", r"quantas vezes",
        r"(?:pedi|falei|escrevi|liguei|mandei|reclamei|perguntei) (?:ja )?(?:tres|quatro|varias|"
        r"mil|muitas|\d+) vezes",
        r"ninguem (?:me )?responde",
    ),
    "nl": (
        r"voor de (?:derde|vierde|vijfde|tiende|zoveelste) keer", r"hoe vaak (?:moet|nog)",
        r"(?:drie|vier|meerdere|zoveel|tig|\d+) keer (?:gemaild|gebeld|gevraagd|geschreven|gemeld)",
        r"niemand reageert", r"nog steeds geen (?:antwoord|reactie)",
    ),
    "zh": (
        r"第[三四五六七八九十几\d]+次", "说了多少次", "问了多少次", "多少次了", "好几次了",
        "一次又一次", "问了好几次", "催了好几次", "没人回", "没人理",
    ),
}  # fmt: skip

ANGRY_EMOJI = "😡🤬👿💢😤😠"
SHOUTING_MIN_LETTERS = 12  # upper-case letters; "OK" or "DHL" is not shouting
SHOUTING_MIN_SHARE = 0.75  # of the cased letters
REPEATED_PUNCTUATION_MIN = 3  # "!!!", "???", "?!?"
WEAK_NEEDED = 2

STRONG_KINDS = ("anger_phrase", "insult", "threat")
WEAK_SIGNALS = ("repeat_complaint", "shouting", "angry_emoji", "repeated_punctuation")
SIGNALS: tuple[str, ...] = (
    *(f"anger_phrase:{code}" for code in LANGUAGES),
    *(f"insult:{code}" for code in LANGUAGES),
    *(f"threat:{kind}" for kind in THREATS),
    *WEAK_SIGNALS,
)


@dataclass(frozen=True)
class Upset:
    """Whether to hand over, and the signals that decided it (see ``SIGNALS``)."""

    clear: bool
    signals: tuple[str, ...]


_APOSTROPHES = str.maketrans(dict.fromkeys("’‘`´ʼ′", "'"))
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """How patterns are written: case-folded, unaccented, straight apostrophes, single spaces.

    NFKD also turns full-width "！！！" and "Ａ" into "!!!" and "a".
    """
    folded = text.translate(_APOSTROPHES).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", folded)


def _compile(fragments: Iterable[str]) -> re.Pattern[str]:
    """One pattern for a set: ASCII fragments on word boundaries, the others (Han) anywhere."""
    fragments = tuple(fragments)
    words = "|".join(f for f in fragments if f.isascii())
    anywhere = "|".join(f for f in fragments if not f.isascii())
    parts = [rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])" if words else "", anywhere]
    return re.compile("|".join(part for part in parts if part))


def _flatten(by_language: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [fragment for fragments in by_language.values() for fragment in fragments]


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    *((f"anger_phrase:{code}", _compile(ANGER_PHRASES[code])) for code in LANGUAGES),
    *((f"insult:{code}", _compile(INSULTS[code])) for code in LANGUAGES),
    *((f"threat:{kind}", _compile(_flatten(by_language))) for kind, by_language in THREATS.items()),
    ("repeat_complaint", _compile(_flatten(REPEAT_COMPLAINTS))),
)
# Pasted identifiers are not shouting: order and RMA numbers, e-mail addresses, links.
_IDENTIFIERS = re.compile(
    r"https?://\S+|www\.\S+"
    r"|(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w-])[\w-]*\d[\w-]*",
)
_REPEATED_PUNCTUATION = re.compile(rf"[!?¡¿]{{{REPEATED_PUNCTUATION_MIN},}}")


def _shouting(text: str) -> bool:
    """Most cased letters upper case, enough of them to be more than an acronym."""
    letters = _IDENTIFIERS.sub(" ", text)
    upper = sum(map(str.isupper, letters))
    if upper < SHOUTING_MIN_LETTERS:
        return False
    lower = sum(map(str.islower, letters))
    return upper >= SHOUTING_MIN_SHARE * (upper + lower)


def _is_clear(signals: Iterable[str]) -> bool:
    """One strong signal, or ``WEAK_NEEDED`` different weak ones."""
    weak = 0
    for signal in signals:
        if signal.split(":", 1)[0] in STRONG_KINDS:
            return True
        weak += signal in WEAK_SIGNALS
    return weak >= WEAK_NEEDED


def read_upset(text: str) -> Upset:
    """How upset ``text`` shows its writer to be; ``clear`` means hand over to a human."""
    plain = normalise(text)
    signals = [name for name, pattern in _PATTERNS if pattern.search(plain)]
    if _shouting(text):
        signals.append("shouting")
    if any(emoji in text for emoji in ANGRY_EMOJI):
        signals.append("angry_emoji")
    if _REPEATED_PUNCTUATION.search(plain):
        signals.append("repeated_punctuation")
    return Upset(clear=_is_clear(signals), signals=tuple(signals))
