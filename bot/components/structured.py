"""Order ids, emails and RMA numbers found in free text: pure and deterministic.

These identifiers have a shape, not a meaning, so a regular expression finds
them more reliably than a statistical model, in every language alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_RMA = re.compile(
    r"(?<![\w-])RMA[-\s]?([23456789ABCDEFGHJKMNPQRSTVWXYZ]{6})(?![\w-])", re.IGNORECASE
)
# Order ids, most specific first: "#100482", "SO-2026-0042", "AB12345", "100482".
_ORDER_PATTERNS = (
    re.compile(r"(?<![\w#])#\s?([A-Za-z0-9][A-Za-z0-9-]{2,39})(?![\w-])"),
    re.compile(
        r"(?<![\w#-])((?!RMA-)[A-Za-z]{1,6}(?:-[A-Za-z0-9]+)*-[A-Za-z0-9]*\d[A-Za-z0-9]*)(?![\w-])",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\w#-])([A-Z]{1,4}\d{4,20})(?![\w-])"),
    re.compile(
        r"(?<![\w#.,$€£¥-])(\d{4,20})(?![\w-]|[.,]\d|\s?(?:€|eur|usd|\$|£|¥))", re.IGNORECASE
    ),
)


@dataclass(frozen=True)
class Found:
    entity: str
    value: str
    start: int
    end: int


def find_structured_entities(text: str) -> list[Found]:
    """Emails, RMA numbers and order ids in ``text``, none overlapping another."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _EMAIL.finditer(text):
        found.append(Found("email", match.group(0), match.start(), match.end()))
        taken.append(match.span())
    for match in _RMA.finditer(text):
        if free(*match.span()):
            value = "RMA-" + match.group(1).upper()
            found.append(Found("rma", value, match.start(), match.end()))
            taken.append(match.span())
    for pattern in _ORDER_PATTERNS:
        for match in pattern.finditer(text):
            if free(*match.span()):
                found.append(Found("order_id", match.group(1), match.start(), match.end()))
                taken.append(match.span())
    return sorted(found, key=lambda f: f.start)
