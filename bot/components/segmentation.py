"""Word segmentation for every served language with blank spaCy pipelines.

Text is cut into runs of one script: Han/Kana runs go to the Chinese
pipeline (whitespace does not separate Chinese words), everything else to
spaCy's multi-language tokenizer. Blank pipelines need no downloaded model.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

import spacy

_CJK_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+"
)


@cache
def blank_pipeline(language: str) -> Any:
    return spacy.blank(language)


def segment(text: str) -> list[tuple[str, int]]:
    """Words of ``text`` with their start offsets; spaces and empty tokens dropped."""
    words: list[tuple[str, int]] = []
    position = 0
    for match in _CJK_RUN.finditer(text):
        words += _tokens(blank_pipeline("xx"), text[position : match.start()], position)
        words += _tokens(chinese(), match.group(0), match.start())
        position = match.end()
    words += _tokens(blank_pipeline("xx"), text[position:], position)
    return words


@lru_cache(maxsize=1)
def chinese() -> Any:
    """Chinese segmented into words by jieba (its dictionary ships with the package)."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def _tokens(nlp: Any, chunk: str, offset: int) -> list[tuple[str, int]]:
    if not chunk.strip():
        return []
    return [(token.text, offset + token.idx) for token in nlp(chunk) if token.text.strip()]
