"""The clock, injectable: ``RETURNBOT_NOW`` freezes it for tests and demos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from actions.domain.case import CaseFormatError
from actions.domain.case import parse_now as parse_case_now


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


def parse_now(value: str) -> datetime:
    """``2026-11-24`` (its midday, so no timezone shifts the day) or an ISO datetime."""
    try:
        return parse_case_now(value, field="RETURNBOT_NOW")
    except CaseFormatError as error:
        raise ValueError(str(error)) from None


def clock_from_setting(value: str | None) -> Clock:
    return FixedClock(parse_now(value)) if value else SystemClock()
