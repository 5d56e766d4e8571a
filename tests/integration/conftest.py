"""Store fixtures: every store test runs on SQLite (a file) and on a real PostgreSQL.

The PostgreSQL server is a throwaway cluster started once per test session on
loopback from the binaries of the machine (``/usr/lib/postgresql/*/bin``); each
test gets a fresh database in it. Without the binaries the PostgreSQL half is
skipped, unless ``RETURNBOT_REQUIRE_POSTGRES=1`` makes that a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# tests/integration is on sys.path (rootdir-less "prepend" import, no __init__.py).
from store_helpers import open_store, sample_orders

from actions.bootstrap import Store
from actions.service.orders_import import import_orders

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


# --- a real PostgreSQL server -----------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://{self.user}@{self.host}:{self.port}/{database}"


def _unavailable(reason: str) -> None:
    if os.environ.get("RETURNBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"RETURNBOT_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _postgres_bin() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")],
    )
    for directory in reversed(candidates):
        path = Path(directory)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    for name in ("initdb", "pg_ctl"):
        if shutil.which(name) is None:
            return None
    return Path(shutil.which("initdb") or "").parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    binaries = _postgres_bin()
    if binaries is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    assert binaries is not None

    # initdb refuses to run as root: run the server as the 'postgres' system user then.
    prefix: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable(
                "running as root and there is no 'postgres' user to run initdb as "
                "(create one: useradd --system postgres)"
            )
        assert owner is not None
        runuser = shutil.which("runuser")
        prefix = [runuser, "-u", "postgres", "--"] if runuser else []
        if not prefix:
            _unavailable("running as root and 'runuser' is missing")

    # Not under pytest's tmp dir: that one is private to root and the server must write here.
    base = Path(tempfile.mkdtemp(prefix="returnbot-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    if owner is not None:
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    user = owner.pw_name if owner is not None else pwd.getpwuid(os.geteuid()).pw_name

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *args], capture_output=True, text=True, timeout=120, check=False
        )

    initdb = run(str(binaries / "initdb"), "-D", str(data), "-U", user, "--auth=trust",
                 "-E", "UTF8", "--locale=C")  # fmt: skip
    if initdb.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}", pytrace=False)
    port = _free_port()
    options = f"-k {sockets} -p {port} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
    started = run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
                  "-w", "-t", "60", "start")  # fmt: skip
    if started.returncode != 0:
        server_log = log.read_text() if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed:\n{started.stderr}\n{server_log}", pytrace=False)
    try:
        yield PostgresServer(host="127.0.0.1", port=port, user=user)
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _create_database(server: PostgresServer) -> str:
    import psycopg2

    name = f"returnbot_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(
        host=server.host, port=server.port, user=server.user, dbname="postgres"
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return server.url(name)


# --- the store, on either backend -------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store database URL: a SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'returnbot.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return _create_database(server)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """The store as the action server builds it (``build_store``), sample orders imported."""
    with open_store(db_url) as built:
        import_orders(sample_orders(), built.unit_of_work, built.clock)
        yield built
