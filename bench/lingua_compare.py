"""Lingua on our held-out language-ID sets, to compare with ``bench.language``.

Lingua is not a dependency (its wheel is 96 MB); measure it in a throw-away
virtualenv::

    python3.10 -m venv /tmp/lingua-venv
    /tmp/lingua-venv/bin/pip install lingua-language-detector==2.1.1 pyyaml
    /tmp/lingua-venv/bin/python bench/lingua_compare.py

Same question as ours: the first message of a conversation, no hint, the
detector restricted to the served languages.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from lingua import Language, LanguageDetectorBuilder

HELDOUT = Path(__file__).resolve().parent / "heldout" / "language_id"
LANGUAGES = {
    "en": Language.ENGLISH, "es": Language.SPANISH, "fr": Language.FRENCH,
    "de": Language.GERMAN, "it": Language.ITALIAN, "pt": Language.PORTUGUESE,
    "nl": Language.DUTCH, "zh": Language.CHINESE,
}  # fmt: skip


def main() -> None:
    codes = {language: code for code, language in LANGUAGES.items()}
    detector = LanguageDetectorBuilder.from_languages(*LANGUAGES.values()).build()
    started, count = time.perf_counter(), 0
    print("| language | short | sentences |\n|---|---|---|")
    for code in LANGUAGES:
        sets = yaml.safe_load((HELDOUT / f"{code}.yml").read_text(encoding="utf-8"))
        cells = []
        for kind in ("short", "sentences"):
            texts = [str(text) for text in sets[kind]]
            hits = sum(codes.get(detector.detect_language_of(text)) == code for text in texts)
            cells.append(f"{hits / len(texts):.1%}")
            count += len(texts)
        print(f"| {code} | {cells[0]} | {cells[1]} |")
    print(f"\n{1000 * (time.perf_counter() - started) / count:.2f} ms per message")


if __name__ == "__main__":
    main()
