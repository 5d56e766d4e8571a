"""Telling a buyer, unasked, that something happened to their return.

The service layer only knows this small port; ``actions/notify/`` holds the
adapter that reaches the buyer's conversation through Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from actions.domain.returns import ReturnRecord


@dataclass(frozen=True)
class Notice:
    """Whether the buyer was told, and if not, why (shown to the operator)."""

    delivered: bool
    detail: str


class BuyerNotifier(Protocol):
    def return_status_changed(self, record: ReturnRecord) -> Notice: ...


class NoNotifier:
    """For stores that tell buyers some other way (``--no-notify``, tests)."""

    def return_status_changed(self, record: ReturnRecord) -> Notice:
        return Notice(False, "buyer notifications are off")
