"""The demo shop page that ``make run`` serves, with the chat widget embedded.

A stand-in for a store's own website: plain files from ``store/``, on its
own origin (so the widget talks to Rasa cross-origin, as on a real shop),
with ``__RASA_URL__`` in the page replaced by the Rasa server's URL.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STORE_DIR = Path(__file__).resolve().parent / "store"
PLACEHOLDER = "__RASA_URL__"


class StoreHandler(SimpleHTTPRequestHandler):
    rasa_url = "http://localhost:5005"

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("/", "/index.html"):
            page = (STORE_DIR / "index.html").read_text(encoding="utf-8")
            body = page.replace(PLACEHOLDER, self.rasa_url.rstrip("/")).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"store: {format % args}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    args = parser.parse_args(argv)
    handler = type("Handler", (StoreHandler,), {"rasa_url": args.rasa_url})
    server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(STORE_DIR)))
    print(f"demo store on http://{args.host}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
