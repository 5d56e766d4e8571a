"""Agent accounts and console logins.

Passwords are hashed with Argon2id (argon2-cffi's defaults, re-hashed when
those change). A login is a random token in an HttpOnly cookie; only its
SHA-256 is stored, with a CSRF token that every form and API call must
echo. An unknown username costs the same hash check as a wrong password,
so the login does not tell which usernames exist.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from actions.clock import Clock
from actions.records.unit_of_work import SqlUnitOfWork

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
SESSION_HOURS = 12
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class AccountError(ValueError):
    """A username or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class Login:
    username: str
    token: str
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AgentAccounts:
    def __init__(self, unit_of_work: Callable[[], SqlUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self.clock = clock

    def add(self, username: str, display_name: str, password: str) -> None:
        if not USERNAME.match(username):
            raise AccountError(
                "username: 2-64 lower-case letters, digits, '.', '_' or '-', starting with "
                "a letter or digit"
            )
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"password: at least {MIN_PASSWORD} characters")
        with self._uow() as uow:
            if not uow.agents.add(username, display_name or username, _hasher.hash(password),
                                  self.clock.now()):  # fmt: skip
                raise AccountError(f"username: {username} exists already")
            uow.commit()

    def log_in(self, username: str, password: str) -> Login | None:
        with self._uow() as uow:
            stored = uow.agents.password_hash(username)
            try:
                _hasher.verify(stored or _DUMMY_HASH, password)
            except (VerificationError, InvalidHashError):
                return None
            if stored is None:
                return None
            if _hasher.check_needs_rehash(stored):
                uow.agents.set_password_hash(username, _hasher.hash(password))
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            now = self.clock.now()
            uow.agents.add_session(
                _digest(token), username, csrf, now, now + timedelta(hours=SESSION_HOURS)
            )
            uow.commit()
        return Login(username, token, csrf)

    def session(self, token: str) -> Login | None:
        if not token:
            return None
        with self._uow() as uow:
            found = uow.agents.session_of(_digest(token), self.clock.now())
        return None if found is None else Login(found[0], token, found[1])

    def display_name(self, username: str) -> str:
        with self._uow() as uow:
            return uow.agents.display_name(username) or username

    def log_out(self, token: str) -> None:
        with self._uow() as uow:
            uow.agents.end_session(_digest(token))
            uow.commit()
