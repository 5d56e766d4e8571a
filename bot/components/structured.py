"""Order ids, emails and RMA numbers found in free text: pure and deterministic.

These identifiers have a shape, not a meaning, so a regular expression finds
them more reliably than a statistical model, in every language alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Identifiers are ASCII; a neighbouring Han character is a boundary, as in
# "订单100482坏了" or "我的邮箱是li.na@example.com" (Python's \w would glue them).
_A = "A-Za-z0-9_"
_EMAIL = re.compile(
    rf"(?<![{_A}.+-])[{_A}.+-]+@[{_A}-]+(?:\.[{_A}-]+)*\.[A-Za-z]{{2,}}(?![{_A}-])"
)
_RMA = re.compile(
    rf"(?<![{_A}-])RMA[-\s]?([23456789ABCDEFGHJKMNPQRSTVWXYZ]{{6}})(?![{_A}-])", re.IGNORECASE
)
# Order ids, most specific first: "#100482", "SO-2026-0042", "AB12345", "100482".
_ORDER_PATTERNS = (
    re.compile(rf"(?<![{_A}#])#\s?([A-Za-z0-9][A-Za-z0-9-]{{2,39}})(?![{_A}-])"),
    re.compile(
        rf"(?<![{_A}#-])((?!RMA-)[A-Za-z]{{1,6}}(?:-[A-Za-z0-9]+)*-[A-Za-z0-9]*\d[A-Za-z0-9]*)"
        rf"(?![{_A}-])",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![{_A}#-])([A-Z]{{1,4}}\d{{4,20}})(?![{_A}-])"),
    re.compile(
        rf"(?<![{_A}#.,$€£¥-])(\d{{4,20}})(?![{_A}-]|[.,]\d|\s?(?:€|eur|usd|\$|£|¥|元|块|rmb))",
        re.IGNORECASE,
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
