"""Our returns assistant next to a bare ``rasa init`` bot, on loopback.

``python -m bench.run [--quick] [--no-train] [--model PATH] [--keep]``

For each bot: wall time of a fresh ``rasa train``, per-turn REST latency
(p50/p95) with 1 and with 20 conversations at once, and the resident memory
of its servers after the run. Prints a Markdown table and writes it to
``bench/results/<UTC timestamp>.md`` and ``bench/results/latest.md``
(``--quick`` writes ``<timestamp>-quick.md`` only, so a smoke run never
replaces the reference table). The p95 target (ours at most 2x the bare
bot's) is reported, never enforced: the exit status only says whether the
bench itself ran.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import requests

from bot.launch import REPO_ROOT, VENV_BIN, Server, free_port, start_assistant, start_rasa

RESULTS_DIR = REPO_ROOT / "bench" / "results"
SAMPLE_ORDERS = REPO_ROOT / "tests" / "data" / "sample_orders.json"
TEMPLATE_ORDER = "100482"
NOW = "2026-10-20"  # order 100482 is inside every window on this day
P95_TARGET = 2.0  # ours / bare
TURN_TIMEOUT_S = 60.0
BUSY_WARNING = 0.2  # CPU share used by others at the start that earns a note
TRAIN_TIMEOUT_S = 1200.0

# A whole return: order BENCH-nnnn is a copy of 100482 (two mugs, so the bot
# asks how many); the last reply carries the RMA number.
OUR_SCRIPT = (
    "hi",
    "I want to return the mug from order {order}, it arrived broken",
    "jane.doe@example.com",
    "1",
    "refund",
    "yes",
)
BARE_SCRIPT = ("hi", "I am sad", "yes", "bye")
RMA = re.compile(r"\brma-[0-9a-z]{6}\b", re.IGNORECASE)
TECHNICAL_PROBLEM = "technical problem"  # our channel's apology when a turn failed


@dataclass(frozen=True)
class Plan:
    """How many conversations each bot runs, and whether training is timed."""

    sequential: int  # conversations one after another (1 concurrent)
    concurrency: int  # conversations at once
    rounds: int  # rounds of ``concurrency`` conversations
    train: bool

    @property
    def conversations(self) -> int:
        return self.sequential + self.concurrency * self.rounds


FULL = Plan(sequential=10, concurrency=20, rounds=2, train=True)
QUICK = Plan(sequential=3, concurrency=20, rounds=1, train=False)


@dataclass
class Conversation:
    """One conversation's turns: latencies of answered turns, problems, outcome."""

    turns_ms: list[tuple[int, float]] = field(default_factory=list)  # (turn index, ms)
    failures: list[str] = field(default_factory=list)
    finished: bool = False
    transcript: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Setting:
    """All conversations run at one concurrency."""

    concurrency: int
    conversations: list[Conversation]
    wall_s: float

    @property
    def latencies(self) -> list[float]:
        return [ms for c in self.conversations for _, ms in c.turns_ms]

    def latencies_of(self, keep: Callable[[int], bool]) -> list[float]:
        """Latencies of the turns whose index passes ``keep``."""
        return [ms for c in self.conversations for i, ms in c.turns_ms if keep(i)]

    @property
    def turns(self) -> int:
        return len(self.latencies) + self.failed

    @property
    def failed(self) -> int:
        return sum(len(c.failures) for c in self.conversations)

    @property
    def finished(self) -> int:
        return sum(c.finished for c in self.conversations)


@dataclass
class BotResult:
    """Everything measured for one bot."""

    name: str
    train_s: float | None
    rss_rasa_mib: float
    rss_actions_mib: float | None
    sequential: Setting
    concurrent: Setting
    recorded: int | None = None  # returns found in the store afterwards
    init_s: float | None = None  # ``rasa init``, its own first training included

    @property
    def rss_total_mib(self) -> float:
        return self.rss_rasa_mib + (self.rss_actions_mib or 0.0)

    @property
    def settings(self) -> tuple[Setting, Setting]:
        return (self.sequential, self.concurrent)


# --- measuring --------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile; NaN when there are no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def group_rss_mib(pgid: int) -> float:
    """Sum of VmRSS over every live process in process group ``pgid``, in MiB."""
    total_kib = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # Fields after the ")" closing the command name: state ppid pgrp ...
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total_kib / 1024


def cpu_busy(seconds: float = 2.0) -> float:
    """Fraction of all CPUs' time spent busy over ``seconds`` (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values[:8]), idle  # user..steal; guest time is already in user

    total_0, idle_0 = sample()
    time.sleep(seconds)
    total_1, idle_1 = sample()
    total = total_1 - total_0
    return 1 - (idle_1 - idle_0) / total if total > 0 else 0.0


def converse(
    rasa_url: str, sender: str, messages: Sequence[str], finished: Callable[[str], bool]
) -> Conversation:
    """Say ``messages`` in order as ``sender``; time each turn."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    result = Conversation()
    reply_text = ""
    with requests.Session() as session:
        for index, message in enumerate(messages):
            start = time.perf_counter()
            try:
                response = session.post(
                    url, json={"sender": sender, "message": message}, timeout=TURN_TIMEOUT_S
                )
                elapsed_ms = (time.perf_counter() - start) * 1000
                response.raise_for_status()
                replies = response.json()
            except (requests.RequestException, ValueError) as error:
                result.failures.append(f"{message!r}: {type(error).__name__}: {error}")
                continue
            reply_text = "\n".join(str(r.get("text") or "") for r in replies).strip()
            result.transcript.append((message, reply_text))
            if not replies or not reply_text:
                result.failures.append(f"{message!r}: empty reply {replies!r}")
            elif TECHNICAL_PROBLEM in reply_text.lower():
                result.failures.append(f"{message!r}: {reply_text[:80]!r}")
            else:
                result.turns_ms.append((index, elapsed_ms))
    result.finished = not result.failures and finished(reply_text)
    return result


def run_setting(
    rasa_url: str,
    scripts: Sequence[Sequence[str]],
    concurrency: int,
    finished: Callable[[str], bool],
    label: str,
) -> Setting:
    """Run ``scripts`` as conversations, ``concurrency`` at a time, in rounds."""
    conversations: list[Conversation] = []
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for first in range(0, len(scripts), concurrency):
            batch = scripts[first : first + concurrency]
            futures = [
                pool.submit(
                    converse, rasa_url, f"bench-{label}-{uuid.uuid4().hex[:12]}", script, finished
                )
                for script in batch
            ]
            conversations += [future.result() for future in futures]
    return Setting(concurrency, conversations, time.perf_counter() - start)


def drive(
    rasa_url: str,
    scripts: Sequence[Sequence[str]],
    plan: Plan,
    finished: Callable[[str], bool],
    label: str,
) -> tuple[Setting, Setting]:
    """A warm-up conversation (not measured), then 1-concurrent and N-concurrent runs."""
    warm = converse(rasa_url, f"bench-{label}-warmup", scripts[0], finished)
    print(f"  warm-up ({label}):", flush=True)
    for said, answered in warm.transcript:
        print(f"    > {said}\n      {answered[:150]!r}")
    for failure in warm.failures:
        print(f"    ! {failure}")
    rest = scripts[1:]
    sequential = run_setting(rasa_url, rest[: plan.sequential], 1, finished, label)
    print(f"  1 concurrent: {_summary(sequential)}", flush=True)
    concurrent = run_setting(
        rasa_url, rest[plan.sequential : plan.conversations], plan.concurrency, finished, label
    )
    print(f"  {plan.concurrency} concurrent: {_summary(concurrent)}", flush=True)
    for setting in (sequential, concurrent):
        for failure in [f for c in setting.conversations for f in c.failures][:5]:
            print(f"    ! {failure}")
    return sequential, concurrent


def _summary(setting: Setting) -> str:
    lat = setting.latencies
    return (
        f"{setting.turns} turns in {setting.wall_s:.1f}s, p50 {percentile(lat, 50):.0f} ms, "
        f"p95 {percentile(lat, 95):.0f} ms, {setting.failed} failed, "
        f"{setting.finished}/{len(setting.conversations)} finished"
    )


# --- preparing ---------------------------------------------------------------


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def run_logged(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path, timeout: float
) -> float:
    """Run ``command`` with its output in ``log``; wall seconds, or RuntimeError."""
    start = time.perf_counter()
    with log.open("wb") as out:
        result = subprocess.run(
            list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
            timeout=timeout, check=False,
        )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{tail}")
    return elapsed


def timed_train(project: Path, out: Path, env: Mapping[str, str], log: Path) -> float:
    """Wall seconds of ``rasa train`` in ``project`` with an empty training cache."""
    cache = out / "cache"
    cache.mkdir(parents=True)
    # A fresh cache: otherwise Rasa reuses components trained before and
    # the time says nothing about training.
    train_env = {**env, "RASA_CACHE_DIRECTORY": str(cache)}
    command = [str(VENV_BIN / "rasa"), "train", "--out", str(out), "--quiet"]
    return run_logged(command, project, train_env, log, TRAIN_TIMEOUT_S)


def bench_orders(count: int) -> list[dict[str, object]]:
    """``count`` copies of order 100482 as BENCH-0001.., one per conversation."""
    orders = json.loads(SAMPLE_ORDERS.read_text(encoding="utf-8"))
    template = next(o for o in orders if o["order_id"] == TEMPLATE_ORDER)
    copies = []
    for number in range(1, count + 1):
        order = copy.deepcopy(template)
        order["order_id"] = f"BENCH-{number:04d}"
        copies.append(order)
    return copies


def returnbot(env: Mapping[str, str], *args: str) -> str:
    """Run the operator CLI; its stdout, or RuntimeError with its stderr."""
    result = subprocess.run(
        [str(VENV_BIN / "returnbot"), *args], cwd=REPO_ROOT, env=dict(env),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"returnbot {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


# --- the two bots --------------------------------------------------------------


def bench_ours(plan: Plan, model: Path, work: Path, env: Mapping[str, str]) -> BotResult:
    """Train (timed), then serve ``model`` with its action server and a fresh store."""
    print("ours:", flush=True)
    train_s = None
    if plan.train:
        print("  training (fresh cache) ...", flush=True)
        train_s = timed_train(REPO_ROOT, work / "ours-train", env, work / "logs" / "ours-train.log")
        print(f"  trained in {train_s:.1f}s", flush=True)

    count = plan.conversations + 1  # + the warm-up
    orders_file = work / "bench_orders.json"
    orders_file.write_text(json.dumps(bench_orders(count)), encoding="utf-8")
    store_env = {**env, "RETURNBOT_DB_URL": f"sqlite:///{work / 'store.db'}", "RETURNBOT_NOW": NOW}
    print(f"  {returnbot(store_env, 'orders', 'import', str(orders_file)).strip()}", flush=True)
    scripts = [[m.format(order=f"BENCH-{n:04d}") for m in OUR_SCRIPT] for n in range(1, count + 1)]

    services = start_assistant(store_env, model, work / "logs" / "ours")
    try:
        print(f"  serving {model.name} at {services.rasa_url}", flush=True)
        sequential, concurrent = drive(
            services.rasa_url, scripts, plan, lambda text: bool(RMA.search(text)), "ours"
        )
        rasa, actions = _server(services.servers, "rasa"), _server(services.servers, "actions")
        rss_rasa, rss_actions = group_rss_mib(rasa.process.pid), group_rss_mib(actions.process.pid)
    finally:
        services.stop()
    exported = json.loads(returnbot(store_env, "returns", "export", "--format", "json"))
    recorded = sum(1 for r in exported if str(r.get("order_id", "")).startswith("BENCH-"))
    return BotResult("ours", train_s, rss_rasa, rss_actions, sequential, concurrent, recorded)


def bench_bare(plan: Plan, work: Path, env: Mapping[str, str]) -> BotResult:
    """``rasa init`` a bot, time a fresh ``rasa train`` of it, serve it alone."""
    print("bare `rasa init` bot:", flush=True)
    project = work / "bare"
    project.mkdir()  # rasa init wants an existing (empty) directory
    init_env = {**env, "RASA_CACHE_DIRECTORY": str(work / "bare-init-cache")}
    init_s = run_logged(
        [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
        work, init_env, work / "logs" / "bare-init.log", TRAIN_TIMEOUT_S,
    )  # fmt: skip
    print(f"  rasa init (scaffold + its own training) took {init_s:.1f}s", flush=True)
    train_s = None
    if plan.train:
        train_s = timed_train(project, work / "bare-train", env, work / "logs" / "bare-train.log")
        print(f"  trained again in {train_s:.1f}s", flush=True)
    model = _newest_model(work / "bare-train" if plan.train else project / "models")

    scripts = [list(BARE_SCRIPT) for _ in range(plan.conversations + 1)]
    dead_actions = f"http://127.0.0.1:{free_port()}"  # it has no custom actions
    (work / "logs" / "bare").mkdir()
    server = start_rasa(
        env, free_port(), model, dead_actions, work / "logs" / "bare",
        credentials=project / "credentials.yml",
    )  # fmt: skip
    try:
        print(f"  serving {model.name} at {server.url}", flush=True)
        sequential, concurrent = drive(server.url, scripts, plan, bool, "bare")
        rss = group_rss_mib(server.process.pid)
    finally:
        server.stop()
    return BotResult("bare", train_s, rss, None, sequential, concurrent, init_s=init_s)


def _server(servers: Sequence[Server], name: str) -> Server:
    return next(s for s in servers if s.name == name)


def _newest_model(directory: Path) -> Path:
    models = sorted(directory.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError(f"no model in {directory}")
    return models[-1]


# --- reporting -------------------------------------------------------------------


def _num(value: float | None, digits: int = 0) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value:.{digits}f}"


def _ratio(ours: float | None, bare: float | None) -> str:
    if ours is None or bare is None or math.isnan(ours) or math.isnan(bare) or bare <= 0:
        return "—"
    return f"{ours / bare:.2f}x"


def _p95_verdict(ours: Setting, bare: Setting) -> str:
    o, b = percentile(ours.latencies, 95), percentile(bare.latencies, 95)
    if math.isnan(o) or math.isnan(b) or b <= 0:
        return f"{ours.concurrency} concurrent: not measured"
    ratio = o / b
    verdict = "PASS" if ratio <= P95_TARGET else "OVER TARGET"
    return f"{ours.concurrency} concurrent: {ratio:.2f}x {verdict}"


def _git_revision() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + (" (+ uncommitted changes)" if git("status", "--porcelain") else "")


def _rasa_version() -> str:
    try:
        from importlib.metadata import version

        return version("rasa")
    except Exception:  # pragma: no cover - metadata missing
        return "?"


def report(
    ours: BotResult,
    bare: BotResult,
    plan: Plan,
    model: Path,
    started: datetime,
    busy: float,
    elapsed_s: float,
    quick: bool,
) -> str:
    """The Markdown report: context, the table, the p95 verdicts."""
    train_note = "" if plan.train else " (not timed: --quick/--no-train)"
    our_turns = " / ".join(f'"{m}"' for m in OUR_SCRIPT).replace("{order}", "BENCH-nnnn")
    bare_turns = " / ".join(f'"{m}"' for m in BARE_SCRIPT)
    lines = [
        "# Benchmark: returnbot vs a bare `rasa init` bot",
        "",
        f"- run: {started:%Y-%m-%d %H:%M:%S} UTC, {'quick (smoke)' if quick else 'full'}, "
        f"{elapsed_s / 60:.1f} min; commit {_git_revision()}",
        f"- model: `{_display(model)}`; machine: {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"Rasa {_rasa_version()}; CPUs {busy:.0%} busy with other work just before the start",
        f"- per bot: 1 warm-up conversation (not measured), then {plan.sequential} "
        f"conversations one at a time, then {plan.rounds} round(s) of {plan.concurrency} "
        "started together; REST on loopback, one thread and HTTP session per conversation",
        f"- ours ({len(OUR_SCRIPT)} turns, with the action server and a fresh SQLite store; "
        f"each conversation returns a mug from its own copy of order 100482): {our_turns}",
        f"- bare ({len(BARE_SCRIPT)} turns, Rasa only): {bare_turns}",
        f"- training: `rasa train --out <tmp>` with an empty cache, one run{train_note}; "
        "memory: VmRSS summed over each server's process group after the run",
    ]
    if bare.init_s is not None:
        lines.append(
            f"- bare bot created by `rasa init --no-prompt` in {bare.init_s:.1f}s "
            "(scaffold and its own first training)"
        )
    if busy > BUSY_WARNING:
        lines.append(
            "- **note**: other work kept the CPUs busy when the bench started; it competed "
            "with the bench, so the numbers here are pessimistic"
        )
    lines += [
        "",
        "| | ours | bare `rasa init` | ours / bare |",
        "|---|--:|--:|--:|",
        _row("training, wall (s)", ours.train_s, bare.train_s, 1),
        _row("RSS Rasa server (MiB)", ours.rss_rasa_mib, bare.rss_rasa_mib),
        _row("RSS action server (MiB)", ours.rss_actions_mib, None),
        _row("RSS total (MiB)", ours.rss_total_mib, bare.rss_total_mib),
    ]
    for o, b in zip(ours.settings, bare.settings, strict=True):
        for p in (50, 95):
            lines.append(
                _row(
                    f"latency p{p}, {o.concurrency} concurrent (ms)",
                    percentile(o.latencies, p),
                    percentile(b.latencies, p),
                )
            )
    oc, bc = ours.concurrent, bare.concurrent
    n = oc.concurrency
    # All conversations start at once, so their first turns queue behind each other.
    for label, keep in (("first turns", lambda i: i == 0), ("later turns", lambda i: i > 0)):
        lines.append(
            _row(
                f"latency p95, {n} concurrent, {label} only (ms)",
                percentile(oc.latencies_of(keep), 95),
                percentile(bc.latencies_of(keep), 95),
            )
        )
    lines += [
        _row(
            f"throughput, {n} concurrent (turns/s)",
            len(oc.latencies) / oc.wall_s,
            len(bc.latencies) / bc.wall_s,
            1,
        ),
        f"| turns measured (1 / {n} concurrent) "
        f"| {ours.sequential.turns} / {oc.turns} | {bare.sequential.turns} / {bc.turns} | |",
        f"| failed turns | {ours.sequential.failed + oc.failed} "
        f"| {bare.sequential.failed + bc.failed} | |",
        f"| conversations finished | {ours.sequential.finished + oc.finished}"
        f"/{plan.conversations} (RMA in last reply; {ours.recorded} returns in the store, "
        f"warm-up included) | {bare.sequential.finished + bc.finished}/{plan.conversations} | |",
        "",
        "Median per turn, 1 concurrent (ms): ours "
        + _per_turn(ours.sequential, OUR_SCRIPT)
        + "; bare "
        + _per_turn(bare.sequential, BARE_SCRIPT),
        "",
        f"p95 target (ours at most {P95_TARGET:g}x the bare bot's): "
        + "; ".join(_p95_verdict(o, b) for o, b in zip(ours.settings, bare.settings, strict=True)),
        "",
    ]
    return "\n".join(lines)


def _row(label: str, ours: float | None, bare: float | None, digits: int = 0) -> str:
    return f"| {label} | {_num(ours, digits)} | {_num(bare, digits)} | {_ratio(ours, bare)} |"


def _per_turn(setting: Setting, script: Sequence[str]) -> str:
    parts = []
    for index, message in enumerate(script):
        short = message.split(",")[0].replace(" from order {order}", "")
        median = percentile(setting.latencies_of(index.__eq__), 50)
        parts.append(f'"{short}" {_num(median)}')
    return " · ".join(parts)


def _display(path: Path) -> str:
    try:
        shown = str(path.relative_to(REPO_ROOT))
    except ValueError:
        shown = str(path)
    target = path.resolve()
    return shown if target == path else f"{shown} -> {target.name}"


def write_results(text: str, started: datetime, quick: bool) -> list[Path]:
    """Write the report (via ``*.tmp`` then rename); the paths written."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    names = [f"{started:%Y%m%dT%H%M%SZ}{'-quick' if quick else ''}.md"]
    if not quick:
        names.append("latest.md")
    written = []
    for name in names:
        path = RESULTS_DIR / name
        tmp = path.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few conversations, no training")
    parser.add_argument("--no-train", action="store_true", help="skip timing the training")
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, models)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.no_train:
        plan = Plan(plan.sequential, plan.concurrency, plan.rounds, train=False)
    model = args.model if args.model.is_absolute() else Path.cwd() / args.model
    if not model.exists():
        print(f"bench: no model at {model}: run `make train` first", file=sys.stderr)
        return 2

    started = datetime.now(timezone.utc)
    busy = cpu_busy()
    clock = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="returnbot-bench-"))
    (work / "logs").mkdir()
    print(f"bench: work dir {work}; CPUs {busy:.0%} busy", flush=True)
    env = base_env()
    keep = args.keep
    try:
        ours = bench_ours(plan, model, work, env)
        bare = bench_bare(plan, work, env)
        elapsed = time.perf_counter() - clock
        text = report(ours, bare, plan, model, started, busy, elapsed, args.quick)
    except Exception:
        traceback.print_exc()
        print(f"bench: failed; logs kept in {work}", file=sys.stderr)
        keep = True
        return 1
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(text)
    for path in write_results(text, started, args.quick):
        print(f"wrote {_display(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
