"""Which languages a bot reply is written in, judged by domain.yml's own templates.

A reply is "in Spanish" when it is the rendering of a Spanish variant of
some response: its fixed words match the template exactly and only the
placeholders ({rma}, {amount}...) vary. Replies made of labels alone (the
resolution buttons' titles) are checked against labels.yml.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[a-z_]+\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts, position = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        token = match.group(0)
        parts.append(re.escape(token[0]) if token in ("{{", "}}") else r".*?")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def templates() -> dict[str, list[re.Pattern[str]]]:
    """Compiled templates per language, from every response variant."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    found: dict[str, list[re.Pattern[str]]] = {}
    for variants in domain["responses"].values():
        for variant in variants:
            languages = [
                c["value"] for c in variant.get("condition") or [] if c.get("name") == "language"
            ] or ["en"]
            found.setdefault(languages[0], []).append(_pattern(variant["text"]))
    return found


def languages_of(text: str) -> set[str]:
    """The languages whose templates render ``text``."""
    return {
        language
        for language, patterns in templates().items()
        if any(pattern.fullmatch(text) for pattern in patterns)
    }
