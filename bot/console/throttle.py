"""Slows down password guessing at the console's login.

Counts failed logins per username and per client address over a window;
past the limit, that username (or address) is refused until the window has
passed, without the password even being checked. In memory, per console
process: enough for one console; a restart forgets.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

WINDOW_SECONDS = 15 * 60
PER_USERNAME = 5
PER_ADDRESS = 100  # an office of agents shares one address


class LoginThrottle:
    def __init__(
        self,
        per_username: int = PER_USERNAME,
        per_address: int = PER_ADDRESS,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"user": per_username, "address": per_address}
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, kind: str, key: str) -> deque[float]:
        failures = self._failures[(kind, key)]
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures

    def blocked(self, username: str, address: str) -> bool:
        return (
            len(self._recent("user", username.lower())) >= self.limits["user"]
            or len(self._recent("address", address)) >= self.limits["address"]
        )

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        self._recent("user", username.lower()).append(now)
        self._recent("address", address).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(("user", username.lower()), None)
