"""The buyer notifier against a loopback stand-in of Rasa's trigger_intent endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from actions.domain.returns import ReturnRecord, ReturnStatus
from actions.notify.rasa_push import RasaPush
from bot.launch import free_port

RECORD = ReturnRecord(
    rma="RMA-7K2Q9D", order_id="100482", order_key="100482", buyer_email="jane@example.com",
    created_at=datetime(2026, 10, 20), language="es", channel="whatsapp",
    conversation_id="whatsapp:+34611222333", reason="damaged", condition=None,
    requested_resolution="refund", items={"MUG-01": 1}, decision="approve", resolution="refund",
    refund_total=Decimal("13.97"), currency="EUR", return_required=False,
    return_shipping_paid_by=None, return_by=None, reasons=("returnless",),
    status=ReturnStatus.LABEL_SENT,
)  # fmt: skip


class FakeRasa:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append({"path": self.path, "body": json.loads(body)})
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"messages": []}')

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture()
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_the_push_names_the_conversation_as_rasa_reads_it_and_the_returns_channel(rasa):
    notice = RasaPush(rasa.url, token="s3cret").return_status_changed(RECORD)
    assert notice.delivered and notice.detail == "told on whatsapp"
    sent = rasa.requests[0]
    # Rasa does not unquote path parameters: ":" and "+" go as they are.
    assert sent["path"].startswith("/conversations/whatsapp:+34611222333/trigger_intent?")
    assert "output_channel=whatsapp" in sent["path"] and "token=s3cret" in sent["path"]
    assert sent["body"] == {"name": "EXTERNAL_return_status_changed",
                            "entities": {"rma": "RMA-7K2Q9D"}}  # fmt: skip


def test_a_failed_push_says_why_and_a_rest_conversation_is_not_tried(rasa):
    rasa.status = 500
    failed = RasaPush(rasa.url).return_status_changed(RECORD)
    assert not failed.delivered and "HTTP 500" in failed.detail
    rest = RasaPush(rasa.url).return_status_changed(replace(RECORD, channel="rest"))
    assert not rest.delivered and "'rest' channel cannot receive" in rest.detail
    assert len(rasa.requests) == 1


def test_rasa_not_running_is_reported_not_raised():
    down = RasaPush(f"http://127.0.0.1:{free_port()}", timeout_seconds=2)
    notice = down.return_status_changed(RECORD)
    assert not notice.delivered and "did not answer" in notice.detail
