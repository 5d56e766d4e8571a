"""Tells an outside helpdesk (Zendesk, Freshdesk, ...) that a person is needed.

Stores that work their queue in a helpdesk rather than in our agent view can
point ``RETURNBOT_HELPDESK_WEBHOOK_URL`` at the helpdesk's inbound webhook;
every new handoff ticket is then POSTed there. It is optional and best
effort: a helpdesk that is down never stops the handoff, the operator sees
the returned Notice instead.

Wire format, for the helpdesk integrator::

    POST <RETURNBOT_HELPDESK_WEBHOOK_URL>
    Content-Type: application/json
    User-Agent: returnbot-helpdesk/1
    X-Returnbot-Delivery: 3f2c...e1      (uuid4 hex; the same on every retry)
    X-Returnbot-Signature: sha256=9b1d...  (only when a secret is configured)

    {"event": "handoff.ticket_opened", "ticket": {...}}

The body is UTF-8 JSON with sorted keys and non-ASCII text as is. Retries of
one ticket repeat the same body and ``X-Returnbot-Delivery``, so a receiver
that has seen a delivery id already should answer 2xx and ignore it.

With ``RETURNBOT_HELPDESK_WEBHOOK_SECRET`` set, ``X-Returnbot-Signature`` is
``sha256=`` and the hex HMAC-SHA256 of the exact body bytes, keyed with the
secret (UTF-8). Verify it over the raw body, before parsing JSON::

    key = secret.encode("utf-8")
    expected = "sha256=" + hmac.new(key, raw_body, hashlib.sha256).hexdigest()
    ok = hmac.compare_digest(expected, request.headers["X-Returnbot-Signature"])

Connection errors, timeouts, 429 and 5xx are retried (a numeric
``Retry-After`` on 429 and 503 is honoured, up to 30 s; otherwise the wait
doubles from ``backoff_seconds``). Other answers are final: a wrong URL or
credentials will not fix themselves. Redirects are not followed, since they
would turn the POST into a GET that drops the ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from actions.service.notifications import Notice

EVENT_TICKET_OPENED = "handoff.ticket_opened"
USER_AGENT = "returnbot-helpdesk/1"
URL_VARIABLE = "RETURNBOT_HELPDESK_WEBHOOK_URL"
SECRET_VARIABLE = "RETURNBOT_HELPDESK_WEBHOOK_SECRET"
MAX_RETRY_AFTER_SECONDS = 30.0
RETRY_AFTER_STATUSES = frozenset({429, 503})
_MAX_BODY_TEXT = 200


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class HelpdeskWebhook:
    """Where to POST new handoff tickets, how to sign them, and how hard to try.

    ``sleep`` waits between attempts; tests pass one that records instead.
    """

    url: str
    secret: str | None = field(default=None, repr=False)  # never in logs or reprs
    attempts: int = 4
    backoff_seconds: float = 0.5
    timeout_seconds: float = 10
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not _is_http_url(self.url):
            raise ValueError(f"url must be an http(s) URL, got {self.url!r}")
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts!r}")
        if self.backoff_seconds < 0:
            raise ValueError(f"backoff_seconds must not be negative, got {self.backoff_seconds!r}")
        if self.timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, got {self.timeout_seconds!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> HelpdeskWebhook | None:
        """The webhook from RETURNBOT_HELPDESK_WEBHOOK_*; None when no URL is set.

        Raises:
            ValueError: the URL is set but is not an http(s) URL; the message
                names the variable.
        """
        url = (env.get(URL_VARIABLE) or "").strip()
        if not url:
            return None
        if not _is_http_url(url):
            raise ValueError(
                f"{URL_VARIABLE} must be an http(s) URL such as "
                f"https://example.zendesk.com/api/v2/webhooks/..., got {url!r}"
            )
        secret = (env.get(SECRET_VARIABLE) or "").strip()
        return cls(url=url, secret=secret or None)

    @property
    def host(self) -> str:
        """Host and port of the URL: what notices name instead of a URL that may hold a token."""
        return urlsplit(self.url).netloc.rpartition("@")[2]

    def ticket_opened(self, ticket: Mapping[str, Any]) -> Notice:
        """POSTs one new ticket to the helpdesk, retrying what may pass.

        Args:
            ticket: The ticket as the helpdesk should see it; values JSON
                cannot encode (dates, decimals) are sent as ``str(value)``.

        Returns:
            Whether the helpdesk took the ticket and, either way, what it
            answered; HTTP and network problems are reported here, not raised.
        """
        document = {"event": EVENT_TICKET_OPENED, "ticket": dict(ticket)}
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
        body = text.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Returnbot-Delivery": uuid.uuid4().hex,
        }
        if self.secret:
            digest = hmac.new(self.secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-Returnbot-Signature"] = f"sha256={digest}"

        why, answer = "no attempt made", ""
        for attempt in range(1, self.attempts + 1):
            wait = self.backoff_seconds * 2 ** (attempt - 1)
            try:
                reply = requests.post(
                    self.url,
                    data=body,
                    headers=headers,
                    timeout=self.timeout_seconds,
                    allow_redirects=False,
                )
            except requests.Timeout:
                why = f"helpdesk at {self.host} did not answer within {self.timeout_seconds:g}s"
                answer = ""
            except requests.RequestException as error:
                why = f"helpdesk at {self.host} could not be reached ({type(error).__name__})"
                answer = ""
            else:
                status = reply.status_code
                if 200 <= status < 300:
                    return Notice(
                        True, f"helpdesk answered HTTP {status} after {attempt} attempt(s)"
                    )
                answer = reply.text[:_MAX_BODY_TEXT]
                if status != 429 and status < 500:
                    return Notice(False, self._refused(status, attempt, answer))
                why = f"helpdesk answered HTTP {status}"
                if status in RETRY_AFTER_STATUSES:
                    wait = _retry_after(reply, default=wait)
            if attempt < self.attempts:
                self.sleep(wait)
        detail = f"{why}, after {self.attempts} attempt(s)"
        return Notice(False, f"{detail}: {answer}" if answer else detail)

    def _refused(self, status: int, attempt: int, answer: str) -> str:
        if 300 <= status < 400:
            hint = f"redirects are not followed, set {URL_VARIABLE} to the final URL"
        else:
            hint = "not retried"
        detail = (
            f"helpdesk refused the ticket with HTTP {status} after {attempt} attempt(s) ({hint})"
        )
        return f"{detail}: {answer}" if answer else detail


def _retry_after(reply: requests.Response, *, default: float) -> float:
    """The seconds of a numeric ``Retry-After`` (capped at 30), else ``default``.

    The HTTP-date form is not parsed: the backoff applies then.
    """
    try:
        seconds = float(reply.headers.get("Retry-After", ""))
    except ValueError:
        return default
    if seconds != seconds or seconds < 0:  # NaN or negative: ignore
        return default
    return min(seconds, MAX_RETRY_AFTER_SECONDS)
