"""Start and stop the assistant's servers: one place for ``make run``, tests and bench.

Each server is a real process on loopback (Rasa, the action server); the
caller chooses ports and environment, and ``Services`` stops everything it
started, also when startup fails half-way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests
import yaml

from bot.channels.credentials import describe, plan_channels, write_effective

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class StartupError(RuntimeError):
    """A server did not become ready; carries the tail of its log."""


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str
    notes: list[str] = field(default_factory=list)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=timeout)


@dataclass
class Services:
    """The running servers of one assistant, stopped together."""

    servers: list[Server] = field(default_factory=list)
    rasa_url: str = ""
    action_url: str = ""
    store_url: str = ""
    console_url: str = ""

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_process(
    name: str, command: list[str], env: Mapping[str, str], log_dir: Path, url: str
) -> Server:
    log_path = log_dir / f"{name}.log"
    log: IO[bytes] = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=dict(env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stop() ends its children too
    )
    return Server(name, process, log_path, url)


def wait_until_ready(server: Server, probe: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise StartupError(f"{server.name} exited early:\n{server.log_tail()}")
        try:
            if requests.get(probe, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise StartupError(f"{server.name} not ready after {timeout:.0f}s:\n{server.log_tail()}")


# The demo store's origins; a real store sets RETURNBOT_WIDGET_ORIGINS to its own.
DEFAULT_WIDGET_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")


def widget_origins(env: Mapping[str, str]) -> list[str]:
    """Web pages allowed to talk to Rasa from a browser (CORS): the widget's hosts."""
    given = env.get("RETURNBOT_WIDGET_ORIGINS", "").replace(",", " ").split()
    return given or list(DEFAULT_WIDGET_ORIGINS)


def start_demo_store(rasa_url: str, port: int, log_dir: Path, env: Mapping[str, str]) -> Server:
    """The demo shop page with the chat widget (bot/webchat/store_server.py)."""
    server = start_process(
        "store",
        [sys.executable, "-m", "bot.webchat.store_server", "--port", str(port),
         "--rasa-url", rasa_url],
        env, log_dir, f"http://127.0.0.1:{port}",
    )  # fmt: skip
    wait_until_ready(server, f"{server.url}/", timeout=30)
    return server


def write_endpoints(
    source: Path, action_url: str, target: Path, conversations_db: Path | None = None
) -> Path:
    """The repository's endpoints.yml (tracker and lock stores) with this run's action server.

    Without a tracker store there, conversations go to a SQLite file
    (``conversations_db``), so a restart forgets none of them: the agent
    console's transcripts and the widget's history outlive it.
    """
    try:
        endpoints = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise StartupError(f"{source}: {error}") from error
    if not isinstance(endpoints, dict):
        raise StartupError(f"{source}: expected a mapping of endpoint -> settings")
    endpoints["action_endpoint"] = {"url": f"{action_url}/webhook"}
    if conversations_db is not None and not endpoints.get("tracker_store"):
        conversations_db.parent.mkdir(parents=True, exist_ok=True)
        endpoints["tracker_store"] = {
            "type": "SQL", "dialect": "sqlite", "db": str(conversations_db),
        }  # fmt: skip
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def start_console(env: Mapping[str, str], rasa_url: str, port: int, log_dir: Path) -> Server:
    """The agent console (bot/console), talking to Rasa at ``rasa_url``."""
    server = start_process(
        "console",
        [sys.executable, "-m", "bot.console", "--port", str(port)],
        {**env, "RETURNBOT_RASA_URL": rasa_url}, log_dir, f"http://127.0.0.1:{port}",
    )  # fmt: skip
    wait_until_ready(server, f"{server.url}/login", timeout=60)
    return server


def start_action_server(env: Mapping[str, str], port: int, log_dir: Path) -> Server:
    server = start_process(
        "actions",
        [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port),
         "--actions", "actions", "--auto-reload" if env.get("RETURNBOT_DEV") else "--quiet"],
        env, log_dir, f"http://127.0.0.1:{port}",
    )  # fmt: skip
    wait_until_ready(server, f"{server.url}/health", timeout=90)
    return server


def start_rasa(
    env: Mapping[str, str],
    port: int,
    model: Path,
    action_url: str,
    log_dir: Path,
    *,
    credentials: Path | None = None,
    extra_args: tuple[str, ...] = (),
    interface: str = "127.0.0.1",
    conversations_db: Path | None = None,
) -> Server:
    """Rasa with the channels whose variables ``env`` sets (bot/channels/credentials.py)."""
    endpoints = write_endpoints(
        REPO_ROOT / "endpoints.yml", action_url, log_dir / "endpoints.yml",
        conversations_db or log_dir / "conversations.db",
    )  # fmt: skip
    channels = plan_channels(credentials or REPO_ROOT / "credentials.yml", env)
    effective = write_effective(channels, log_dir / "credentials.yml")
    command = [
        str(VENV_BIN / "rasa"), "run", "--enable-api", "--port", str(port),
        "--interface", interface, "--model", str(model), "--endpoints", str(endpoints),
        "--credentials", str(effective), "--cors", *widget_origins(env), *extra_args,
    ]  # fmt: skip
    token = env.get("RETURNBOT_RASA_TOKEN")
    if token:  # Rasa's HTTP API then needs ?token= (channels' webhooks do not)
        command += ["--auth-token", token]
    server = start_process("rasa", command, env, log_dir, f"http://127.0.0.1:{port}")
    server.notes = describe(channels)
    wait_until_ready(server, f"{server.url}/status", timeout=180)
    # /status answers before the model is loaded; wait for a real parse.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            reply = requests.post(
                f"{server.url}/model/parse", json={"text": "hi"}, timeout=10,
                params={"token": token} if token else None,
            )  # fmt: skip
            if reply.ok and reply.json().get("intent", {}).get("name"):
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.stop()
    raise StartupError(f"rasa never parsed a message:\n{server.log_tail()}")


def start_assistant(
    env: Mapping[str, str],
    model: Path,
    log_dir: Path | None = None,
    rasa_port: int | None = None,
    action_port: int | None = None,
    store_port: int | None = None,
    console_port: int | None = None,
    conversations_db: Path | None = None,
) -> Services:
    """Action server, Rasa and (with ``store_port``) the demo shop; stopped on error or exit."""
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="returnbot-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    services = Services()
    try:
        actions = start_action_server(env, action_port or free_port(), log_dir)
        services.servers.append(actions)
        services.action_url = actions.url
        rasa = start_rasa(
            env, rasa_port or free_port(), model, actions.url, log_dir,
            conversations_db=conversations_db,
        )  # fmt: skip
        services.servers.append(rasa)
        services.rasa_url = rasa.url
        if store_port is not None:
            store = start_demo_store(rasa.url, store_port, log_dir, env)
            services.servers.append(store)
            services.store_url = store.url
        if console_port is not None:
            console = start_console(env, rasa.url, console_port, log_dir)
            services.servers.append(console)
            services.console_url = console.url
    except BaseException:
        services.stop()
        raise
    return services


def current_model() -> Path:
    model = REPO_ROOT / "models" / "current.tar.gz"
    if not model.exists():
        raise FileNotFoundError("no trained model: run `make train` first")
    return model.resolve()
