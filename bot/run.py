"""``make run``: start the action server and Rasa, print the URLs, stop on Ctrl-C."""

from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from pathlib import Path

from actions.bootstrap import RASA_TOKEN_FILE
from bot.launch import REPO_ROOT, StartupError, current_model, start_assistant

RASA_PORT = 5005
ACTION_PORT = 5055
STORE_PORT = 8000
CONSOLE_PORT = 8080


def rasa_token(env: dict[str, str]) -> str:
    """Rasa's HTTP API token: the operator's, or one made for this run.

    Saved (owner-only) where ``returnbot`` commands run beside ``make run``
    find it (actions/bootstrap.py), so status pushes need no setup.
    """
    token = env.get("RETURNBOT_RASA_TOKEN") or secrets.token_urlsafe(32)
    RASA_TOKEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    RASA_TOKEN_FILE.touch(mode=0o600, exist_ok=True)
    RASA_TOKEN_FILE.chmod(0o600)
    RASA_TOKEN_FILE.write_text(token, encoding="utf-8")
    return token


def main() -> int:
    env = dict(os.environ)
    env["RETURNBOT_RASA_TOKEN"] = rasa_token(env)
    log_dir = REPO_ROOT / "var" / "log"
    print("starting the action server and Rasa (this takes about a minute)...", flush=True)
    try:
        services = start_assistant(
            env, current_model(), log_dir,
            rasa_port=RASA_PORT, action_port=ACTION_PORT, store_port=STORE_PORT,
            console_port=CONSOLE_PORT, conversations_db=REPO_ROOT / "var" / "conversations.db",
        )  # fmt: skip
    except (StartupError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    rasa = next(server for server in services.servers if server.name == "rasa")
    channels = "".join(f"    {line}\n" for line in rasa.notes)
    store_url = services.store_url.replace("127.0.0.1", "localhost")
    print(
        f"\nreturns assistant is running:\n"
        f"  demo store with the chat widget: {store_url}\n"
        f"  chat (REST):    POST {services.rasa_url}/webhooks/rest/webhook\n"
        f"  action server:  {services.action_url}\n"
        f"  agent console:  {services.console_url.replace('127.0.0.1', 'localhost')}"
        "  (an account: .venv/bin/returnbot agents add NAME)\n"
        f"  channels (credentials.yml):\n{channels}"
        f"  logs:           {Path(log_dir).relative_to(REPO_ROOT)}/\n"
        f"try: curl -s -XPOST {services.rasa_url}/webhooks/rest/webhook "
        '-d \'{"sender":"me","message":"my mug from order 100482 arrived broken"}\'\n'
        "Ctrl-C stops everything.",
        flush=True,
    )
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for server in services.servers:
                if server.process.poll() is not None:
                    print(f"{server.name} stopped:\n{server.log_tail()}", file=sys.stderr)
                    return 1
            time.sleep(1)
    finally:
        print("\nstopping...", flush=True)
        services.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
