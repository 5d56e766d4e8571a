"""A loopback stand-in for Shopify's Admin REST orders endpoint.

It speaks the documented wire format on 127.0.0.1 (ephemeral port) so the
adapter is tested over real HTTP: ``GET /admin/api/<version>/orders.json``
with ``name`` and ``status`` filters, the ``X-Shopify-Access-Token`` header,
401 for a wrong token, 404 for other paths. Tests can queue faults for the
next requests (5xx, 429 with ``Retry-After``, slow answers, a non-JSON body)
and read back every request it received.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "shopify" / "orders.json"
DEFAULT_TOKEN = "shpat_standin_0123456789abcdef"
DEFAULT_API_VERSION = "2024-01"
# Shopify's own error bodies, as the documentation shows them.
_RATE_LIMITED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume "
    "uninterrupted service."
)
_UNAUTHORIZED = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def fixture_orders() -> list[dict[str, Any]]:
    """A fresh copy of the fixture orders; tests may mutate it freely."""
    orders: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return orders


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased

    @property
    def name(self) -> str | None:
        values = self.query.get("name")
        return values[0] if values else None


@dataclass(frozen=True)
class _Fault:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None  # None: the normal answer
    delay_seconds: float = 0.0
    content_type: str = "application/json; charset=utf-8"


class ShopifyStandIn:
    """Context manager: ``with ShopifyStandIn() as shop: shop.url ...``."""

    def __init__(
        self,
        orders: list[dict[str, Any]] | None = None,
        *,
        access_token: str = DEFAULT_TOKEN,
        api_version: str = DEFAULT_API_VERSION,
    ) -> None:
        self.orders = fixture_orders() if orders is None else copy.deepcopy(orders)
        self.access_token = access_token
        self.api_version = api_version
        self._faults: deque[_Fault] = deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------

    def __enter__(self) -> ShopifyStandIn:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # a quick shutdown keeps the tests fast
            name="shopify-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """The shop URL to configure the adapter with (``http://127.0.0.1:<port>``)."""
        if self._server is None:
            raise RuntimeError("the stand-in is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- faults --------------------------------------------------------------

    def fail_next(self, count: int, status: int = 500) -> None:
        """The next ``count`` requests get ``status`` with Shopify's error body."""
        body = json.dumps({"errors": "Internal Server Error"}).encode()
        self._queue(count, _Fault(status=status, body=body))

    def rate_limit_next(self, count: int, retry_after: str = "2.0") -> None:
        """The next ``count`` requests get 429 with ``Retry-After`` (Shopify sends seconds)."""
        body = json.dumps({"errors": _RATE_LIMITED}).encode()
        self._queue(count, _Fault(status=429, headers=(("Retry-After", retry_after),), body=body))

    def slow_next(self, count: int, seconds: float) -> None:
        """The next ``count`` requests wait ``seconds`` before answering normally."""
        self._queue(count, _Fault(delay_seconds=seconds))

    def answer_next_with(self, body: bytes, content_type: str = "text/html") -> None:
        """The next request gets ``body`` with status 200 (e.g. a proxy's HTML page)."""
        self._queue(1, _Fault(body=body, content_type=content_type))

    def _queue(self, count: int, fault: _Fault) -> None:
        with self._lock:
            self._faults.extend([fault] * count)

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    # --- what it received -----------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    # --- the endpoint --------------------------------------------------------

    def _orders_matching(self, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Shopify's ``name`` and ``status`` filters; the default status is ``open``."""
        names = query.get("name")
        name = names[0] if names else None
        status = (query.get("status") or ["open"])[0]
        found = []
        for order in self.orders:
            if name is not None and str(order.get("name", "")).lower() != name.lower():
                continue
            closed = order.get("closed_at") is not None
            cancelled = order.get("cancelled_at") is not None
            if status == "open" and (closed or cancelled):
                continue
            if status == "closed" and not closed:
                continue
            if status == "cancelled" and not cancelled:
                continue
            found.append(order)
        return found

    def _answer(self, request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        fault = self._next_fault()
        if fault is not None and fault.delay_seconds:
            time.sleep(fault.delay_seconds)
        if fault is not None and fault.body is not None:
            headers = {"Content-Type": fault.content_type, **dict(fault.headers)}
            return fault.status, headers, fault.body
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if request.headers.get("x-shopify-access-token") != self.access_token:
            return 401, json_type, json.dumps({"errors": _UNAUTHORIZED}).encode()
        if request.path != f"/admin/api/{self.api_version}/orders.json":
            return 404, json_type, json.dumps({"errors": "Not Found"}).encode()
        orders = self._orders_matching(request.query)
        return 200, json_type, json.dumps({"orders": orders}).encode()


def _handler_for(standin: ShopifyStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ShopifyStandIn/1.0"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method="GET",
                path=parts.path,
                query=parse_qs(parts.query),
                headers={name.lower(): value for name, value in self.headers.items()},
            )
            standin._record(request)
            status, headers, body = standin._answer(request)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (timeout tests)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    return Handler
