"""Which language a buyer writes in, and which one the conversation speaks.

Pure and deterministic: ``detect(text, hints, vocabulary)`` needs no Rasa.
Buyer messages are short ("llego roto", "geld zurück bitte"), where
character statistics alone (langdetect) guess wrong a third of the time, so
four kinds of evidence are combined:

1. the script: Han means Chinese, Kana Japanese, Cyrillic not served...;
2. the words: how often each word occurs in each language's training
   examples (a small naive-Bayes model, ``Vocabulary``);
3. langdetect's character n-gram probabilities, restricted to the served
   languages and seeded, so the same text always gives the same answer;
4. the conversation so far and the channel's locale: a message that is not
   clearly in another language never changes the conversation language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cache, cached_property
from typing import Any

LANGDETECT_SEED = 0

# Characters that carry no language: identifiers the buyer pastes.
_IDENTIFIERS = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![A-Za-z0-9])#?[A-Za-z0-9-]*\d[A-Za-z0-9-]*(?![A-Za-z0-9])",
)
_LATIN_WORD = re.compile(
    r"[a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff]+(?:['’][a-z]+)?", re.IGNORECASE
)
# Letters beyond a-z that each language writes; a letter none of the served
# languages uses ("ł", "ő", "ș", "ư") is a sign of an unserved one.
LETTERS = {
    "en": "",
    "es": "áéíóúñü",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "de": "äöüß",
    "it": "àèéìíîòóù",
    "pt": "áâãàçéêíóôõú",
    "nl": "áéèëïóöü",
    "zh": "",
}

SCRIPTS: dict[str, re.Pattern[str]] = {
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\u1100-\u11ff\uac00-\ud7af]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
}
# The language a script stands for when langdetect cannot tell more.
SCRIPT_LANGUAGE = {
    "han": "zh", "kana": "ja", "hangul": "ko", "cyrillic": "ru", "greek": "el",
    "arabic": "ar", "hebrew": "he", "devanagari": "hi", "thai": "th",
}


class Evidence(str, Enum):
    """Why the conversation speaks the language it does after this message."""

    SCRIPT = "script"  # the writing system decided (Han -> zh)
    TEXT = "text"  # words and character statistics decided
    REQUEST = "request"  # the buyer asked for the language
    CONVERSATION = "conversation"  # not clear enough: the conversation's language stands
    HINT = "hint"  # not clear enough: the channel's locale
    DEFAULT = "default"  # not clear enough, nothing else known: the store's default


@dataclass(frozen=True)
class LanguageHints:
    """What is known besides the text."""

    served: tuple[str, ...]
    default: str
    conversation: str | None = None  # the conversation's language so far
    locale: str | None = None  # the channel's hint, e.g. the browser's "es-MX"


@dataclass(frozen=True)
class Thresholds:
    """Tuning, from config.yml; the benchmark (bench/language.py) measures it."""

    accept: float = 0.4  # a new conversation takes a guess at least this sure
    switch: float = 0.9  # an ongoing one changes only when this sure ...
    switch_words: int = 3  # ... and the message has this many words
    switch_han_chars: int = 3  # or this many Han characters
    unserved: float = 0.9  # langdetect's certainty that a sentence is in an unserved language
    unserved_words: int = 3
    # How much langdetect's character statistics count next to the words,
    # and the least probability they give any served language (they are
    # overconfident on two-word messages).
    character_weight: float = 0.3
    character_floor: float = 0.05
    trigram_weight: float = 0.35  # our own character trigrams, next to whole words


@dataclass(frozen=True)
class Detection:
    """The conversation's language after one message, and how sure we are."""

    code: str
    confidence: float
    evidence: Evidence
    # What the message itself looks like, when it shows any language at all.
    detected: str | None = None
    detected_confidence: float = 0.0
    # An unserved language the buyer clearly writes in (or asked for).
    unserved: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)
    # Whether the message is clearly enough in ``detected`` to switch to it.
    clear: bool = False

    def switched_from(self, previous: str | None) -> bool:
        return previous is not None and self.code != previous

    def as_output(self) -> dict[str, Any]:
        """The ``language`` object of ``/model/parse``."""
        output: dict[str, Any] = {
            "code": self.code,
            "confidence": round(self.confidence, 4),
            "evidence": self.evidence.value,
            "detected": self.detected,
        }
        if self.unserved:
            output["unserved"] = self.unserved
        return output


NGRAM_MARK = "~"  # prefixes character trigram features; words never contain it


def features_of(words: Iterable[str]) -> list[str]:
    """Each word, and the character trigrams of ``<word>`` (for words never seen)."""
    features: list[str] = []
    for word in words:
        features.append(word)
        padded = f"<{word}>"
        features += [NGRAM_MARK + padded[i : i + 3] for i in range(len(padded) - 2)]
    return features


@dataclass(frozen=True)
class Vocabulary:
    """Word and trigram counts per language, learnt from the training examples."""

    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> Vocabulary:
        """``examples`` are ``(language, text)`` pairs."""
        counts: dict[str, Counter[str]] = {}
        for language, text in examples:
            counts.setdefault(language, Counter()).update(features_of(words_of(text)))
        return cls({language: dict(counter) for language, counter in counts.items()})

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {language: dict(words) for language, words in self.counts.items()}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Mapping[str, int]]) -> Vocabulary:
        return cls(
            {str(lang): {str(w): int(c) for w, c in words.items()} for lang, words in raw.items()}
        )

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(f for features in self.counts.values() for f in features)

    def knows(self, word: str) -> bool:
        return word in self._known

    @cached_property
    def _totals(self) -> dict[tuple[str, bool], int]:
        """Per (language, is_trigram): the number of features counted."""
        totals: dict[tuple[str, bool], int] = {}
        for language, features in self.counts.items():
            for feature, count in features.items():
                key = (language, feature.startswith(NGRAM_MARK))
                totals[key] = totals.get(key, 0) + count
        return totals

    @cached_property
    def _sizes(self) -> dict[bool, int]:
        trigrams = sum(f.startswith(NGRAM_MARK) for f in self._known)
        return {True: trigrams or 1, False: (len(self._known) - trigrams) or 1}

    def log_likelihoods(
        self, words: list[str], languages: Iterable[str], trigram_weight: float = 0.0
    ) -> dict[str, float]:
        """Naive Bayes over the features any language knows.

        Trigrams are weighted down: they overlap, so their evidence is not independent.
        """
        known = [f for f in features_of(words) if self.knows(f)]
        scores: dict[str, float] = {}
        for language in languages:
            features = self.counts.get(language, {})
            score = 0.0
            for feature in known:
                trigram = feature.startswith(NGRAM_MARK)
                if trigram and not trigram_weight:
                    continue
                total = self._totals.get((language, trigram), 0)
                size = self._sizes[trigram]
                probability = (features.get(feature, 0) + 0.5) / (total + 0.5 * size)
                score += (trigram_weight if trigram else 1.0) * math.log(probability)
            scores[language] = score
        return scores


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language_bearing(text: str) -> str:
    """``text`` without order numbers, emails, URLs and RMA numbers."""
    return _IDENTIFIERS.sub(" ", text)


def words_of(text: str) -> list[str]:
    """Latin-script words, lower case and unaccented (buyers drop accents)."""
    return [
        strip_accents(word.lower()).replace("’", "'")
        for word in _LATIN_WORD.findall(language_bearing(text))
    ]


def script_counts(text: str) -> dict[str, int]:
    return {name: len(pattern.findall(text)) for name, pattern in SCRIPTS.items()}


def detect(
    text: str,
    hints: LanguageHints,
    vocabulary: Vocabulary | None = None,
    thresholds: Thresholds | None = None,
    requested: str | None = None,
) -> Detection:
    """The language to answer ``text`` in.

    ``requested`` is a language the buyer explicitly asked for ("can we
    speak English?"); a served one always wins, an unserved one is reported.
    """
    limits = thresholds or Thresholds()
    standing = _standing_language(hints)
    reading = _read(language_bearing(text), hints, vocabulary or Vocabulary(), limits)
    if requested and not _declines(requested, reading, hints, limits):
        if requested in hints.served:
            return Detection(requested, 1.0, Evidence.REQUEST, requested, 1.0)
        return Detection(standing[0], 0.0, standing[1], unserved=requested)

    if reading is None:
        return Detection(standing[0], 0.0, standing[1])
    # What the message shows, answered in the standing language ...
    stands = Detection(
        standing[0], 0.0, standing[1], reading.code, reading.confidence,
        scores=reading.scores, clear=_clear_enough(reading, limits),
    )  # fmt: skip
    if reading.unserved:
        return replace(stands, unserved=reading.unserved)
    # ... unless it is good enough to answer in its own language.
    follows = replace(
        stands,
        code=reading.code,
        confidence=reading.confidence,
        evidence=Evidence.SCRIPT if reading.by_script else Evidence.TEXT,
    )
    if hints.conversation is None:
        return follows if reading.confidence >= limits.accept else stands
    # A Chinese conversation stays Chinese while the buyer still writes Han
    # ("iPhone 坏了 refund please"): English shop words are part of it.
    keeps_chinese = hints.conversation == "zh" and reading.han_chars > 0
    if reading.code == hints.conversation or (not keeps_chinese and stands.clear):
        return follows
    return stands


def _declines(
    requested: str, reading: _Reading | None, hints: LanguageHints, limits: Thresholds
) -> bool:
    """Whether a request for the current language really asks for another.

    "sorry, my Spanish is bad, ..." names Spanish in a clear English sentence:
    the buyer wants the language they are writing.
    """
    if reading is None or requested != hints.conversation:
        return False
    return not reading.unserved and reading.code != requested and _clear_enough(reading, limits)


def _standing_language(hints: LanguageHints) -> tuple[str, Evidence]:
    """The language when the message itself says nothing clear."""
    if hints.conversation in hints.served:
        return hints.conversation or hints.default, Evidence.CONVERSATION
    locale = served_locale(hints.locale, hints.served)
    if locale:
        return locale, Evidence.HINT
    return hints.default, Evidence.DEFAULT


def served_locale(locale: str | None, served: Iterable[str]) -> str | None:
    """``"es-MX"`` -> ``"es"`` when Spanish is served; None otherwise."""
    if not locale or not isinstance(locale, str):
        return None
    code = re.split(r"[-_]", locale.strip().lower(), maxsplit=1)[0]
    return code if code in set(served) else None


def _clear_enough(reading: _Reading, limits: Thresholds) -> bool:
    """Whether a message is clearly enough in its language to switch to it."""
    if reading.confidence < limits.switch:
        return False
    if reading.by_script:
        return reading.han_chars >= limits.switch_han_chars
    return reading.words >= limits.switch_words


@dataclass(frozen=True)
class _Reading:
    """What one message shows by itself, before the conversation is considered."""

    code: str
    confidence: float
    by_script: bool
    han_chars: int
    words: int
    scores: Mapping[str, float] = field(default_factory=dict)
    unserved: str | None = None


def _read(
    text: str, hints: LanguageHints, vocabulary: Vocabulary, limits: Thresholds
) -> _Reading | None:
    """The language ``text`` shows; None when it shows none (digits, emoji...)."""
    scripts = script_counts(text)
    words = words_of(text)
    han, count = scripts["han"], len(words)
    if scripts["kana"] or scripts["hangul"]:
        code = "ja" if scripts["kana"] else "ko"
        unserved = None if code in hints.served else code
        return _Reading(code, 1.0, True, han, count, scores={code: 1.0}, unserved=unserved)
    other = max(
        (name for name in SCRIPTS if name not in ("han", "kana", "hangul")), key=scripts.__getitem__
    )
    if scripts[other] > sum(len(w) for w in words) and scripts[other] > scripts["han"]:
        code = _unserved_code(text) or SCRIPT_LANGUAGE[other]
        unserved = code if code not in hints.served else None
        return _Reading(code, 1.0, True, han, count, unserved=unserved)
    han_words = scripts["han"] / 2  # a Chinese word is about two characters
    if scripts["han"] and han_words >= len(words) / 2:
        if "zh" not in hints.served:
            return _Reading("zh", 1.0, True, han, count, unserved="zh")
        confidence = 0.99 if scripts["han"] >= 2 else 0.6
        return _Reading("zh", confidence, True, han, count, scores={"zh": confidence})
    if not words:
        return None

    served = [language for language in hints.served if language != "zh"] or list(hints.served)
    combined = vocabulary.log_likelihoods(words, served, limits.trigram_weight)
    written = [word.lower() for word in _LATIN_WORD.findall(text)]  # accents kept
    character = langdetect_probabilities(" ".join(written), tuple(served))
    for language in served:
        probability = max(character.get(language, 0.0), limits.character_floor)
        combined[language] += limits.character_weight * math.log(probability)
    if hints.conversation is None:
        hinted = served_locale(hints.locale, served)
        if hinted:  # a tie-breaker only: the words outweigh it
            combined[hinted] += math.log(2.0)
    scores = _softmax(combined)
    code = max(scores, key=scores.__getitem__)

    unserved = _unserved_latin(words, written, hints.served, vocabulary, limits)
    if unserved:
        return _Reading(unserved, 1.0, False, han, count, scores=scores, unserved=unserved)
    return _Reading(code, scores[code], False, han, count, scores=scores)


def _unserved_latin(
    words: list[str],
    written: list[str],
    served: tuple[str, ...],
    vocabulary: Vocabulary,
    limits: Thresholds,
) -> str | None:
    """An unserved language, when langdetect says so and our evidence agrees.

    Agreement is a letter no served language writes, or words we have never
    seen (all of them for two words, most of them for a sentence).
    """
    known = sum(vocabulary.knows(w) for w in words)
    served_letters = set("abcdefghijklmnopqrstuvwxyz'").union(
        *(LETTERS.get(language, "") for language in served)
    )
    foreign_letters = any(ch not in served_letters for word in written for ch in word)
    if foreign_letters:
        minimum = 0.5
    elif len(words) >= limits.unserved_words and known / len(words) < 0.5:
        minimum = limits.unserved
    elif len(words) >= 2 and known == 0:
        minimum = 0.99
    else:
        return None
    code = _unserved_code(" ".join(written), minimum)
    return code if code and code not in served else None


def _softmax(log_scores: Mapping[str, float]) -> dict[str, float]:
    top = max(log_scores.values())
    exps = {language: math.exp(score - top) for language, score in log_scores.items()}
    total = sum(exps.values())
    return {language: value / total for language, value in exps.items()}


# --- langdetect, seeded and loaded once ----------------------------------------------


def _langdetect_code(code: str) -> str:
    return "zh" if code.startswith("zh") else code


@cache
def _factory() -> Any:
    """A private, seeded langdetect factory (profiles read on first use, not at import)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(LANGDETECT_SEED)
    return factory


def langdetect_probabilities(
    text: str, languages: tuple[str, ...] | None = None
) -> dict[str, float]:
    """Langdetect's probability per language, optionally restricted to ``languages``."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    if languages:
        known = [code for code in detector.langlist if _langdetect_code(code) in languages]
        if not known:
            return {}
        detector.set_prior_map({code: 1.0 for code in known})
    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException:  # no usable characters
        return {}
    probabilities: dict[str, float] = {}
    for code, probability in zip(detector.langlist, detector.langprob or [], strict=False):
        key = _langdetect_code(code)
        probabilities[key] = probabilities.get(key, 0.0) + float(probability)
    return probabilities


def raw_langdetect(text: str) -> str | None:
    """Plain langdetect's single answer (the benchmark's baseline)."""
    probabilities = langdetect_probabilities(text)
    return max(probabilities, key=probabilities.__getitem__) if probabilities else None


def _unserved_code(text: str, minimum: float = 0.0) -> str | None:
    probabilities = langdetect_probabilities(text)
    if not probabilities:
        return None
    code = max(probabilities, key=probabilities.__getitem__)
    return code if probabilities[code] >= minimum else None
