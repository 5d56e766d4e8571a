"""``returnbot``: the operator's command line (contracts.md, "Commands")."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from actions.bootstrap import Settings, Store, build_store
from actions.domain.case import CaseFormatError, parse_case
from actions.domain.engine import UnknownCurrency, decide, decision_to_dict
from actions.domain.requests import InvalidRequest
from actions.domain.returns import InvalidTransition, ReturnStatus
from actions.policy_file import PolicyFileError, load_policy
from actions.service.agents import AccountError
from actions.service.errors import RecordStoreUnavailable, ReturnNotFound
from actions.service.orders_import import ImportFormatError, import_orders, parse_orders_text
from bot.demo import demo_orders

EXPORT_COLUMNS = (
    "rma", "order_id", "created_at", "language", "channel", "reason", "items", "decision",
    "resolution", "refund_total", "currency", "return_required", "status", "reasons",
)  # fmt: skip


class CommandError(Exception):
    """A problem the operator can fix; printed without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args, sys.stdout) or 0)
    except CommandError as error:
        print(f"returnbot: error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="returnbot", description=__doc__)
    groups = parser.add_subparsers(title="commands")

    orders = groups.add_parser("orders", help="the store's orders").add_subparsers()
    cmd = orders.add_parser("import", help="import orders (JSON array or JSON lines)")
    cmd.add_argument("file", type=Path)
    cmd.set_defaults(run=_orders_import)

    returns = groups.add_parser("returns", help="return records").add_subparsers()
    cmd = returns.add_parser("export", help="every return record to stdout")
    cmd.add_argument("--format", choices=("json", "csv"), default="json")
    cmd.set_defaults(run=_returns_export)
    cmd = returns.add_parser("set-status", help="move a return along its lifecycle")
    cmd.add_argument("rma")
    cmd.add_argument("status", choices=[s.value for s in ReturnStatus])
    cmd.add_argument("--note", default="")
    cmd.add_argument("--actor", default="operator:cli")
    cmd.add_argument(
        "--no-notify", action="store_true", help="do not tell the buyer in their conversation"
    )
    cmd.set_defaults(run=_returns_set_status)

    policy = groups.add_parser("policy", help="the refund policy").add_subparsers()
    cmd = policy.add_parser("check", help="validate a policy file")
    cmd.add_argument("file", type=Path, nargs="?")
    cmd.set_defaults(run=_policy_check)
    cmd = policy.add_parser("decide", help="print the Decision JSON for a case file")
    cmd.add_argument("case", type=Path)
    cmd.add_argument("--policy", type=Path, default=None)
    cmd.set_defaults(run=_policy_decide)

    agents = groups.add_parser("agents", help="people who work the agent console")
    cmd = agents.add_subparsers().add_parser("add", help="create an agent login")
    cmd.add_argument("username")
    cmd.add_argument("--name", default="", help="shown to colleagues (default: the username)")
    cmd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    cmd.set_defaults(run=_agents_add)

    demo = groups.add_parser("demo", help="demo data").add_subparsers()
    cmd = demo.add_parser("seed", help="import demo orders dated relative to today")
    cmd.set_defaults(run=_demo_seed)
    return parser


def _store() -> Store:
    try:
        return build_store(Settings.from_env())
    except ValueError as error:  # PolicyFileError, a bad RETURNBOT_NOW or Shopify setting
        raise CommandError(str(error)) from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text") from None


def _orders_import(args: argparse.Namespace, out: TextIO) -> int:
    text = _read(args.file)
    try:
        orders = parse_orders_text(text)
    except ImportFormatError as error:
        raise CommandError(
            f"{args.file}: nothing imported:\n  " + "\n  ".join(error.problems)
        ) from None
    store = _store()
    try:
        report = import_orders(orders, store.unit_of_work, store.clock)
    except RecordStoreUnavailable as error:
        raise CommandError(f"store database: {error}") from None
    print(f"imported {report.created} new and updated {report.updated} orders", file=out)
    return 0


def _returns_export(args: argparse.Namespace, out: TextIO) -> int:
    try:
        records = [record.export() for record in _store().desk.all_returns()]
    except RecordStoreUnavailable as error:
        raise CommandError(f"store database: {error}") from None
    if args.format == "json":
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        row = dict(record)
        row["items"] = ";".join(f"{i['sku']}:{i['quantity']}" for i in record["items"])
        row["reasons"] = ";".join(record["reasons"])
        row["return_required"] = "true" if record["return_required"] else "false"
        writer.writerow(row)
    return 0


def _returns_set_status(args: argparse.Namespace, out: TextIO) -> int:
    store = _store()
    try:
        record = store.desk.change_status(
            args.rma, ReturnStatus(args.status), args.actor, args.note
        )
    except ReturnNotFound:
        raise CommandError(f"no return {args.rma}") from None
    except InvalidTransition as error:
        raise CommandError(str(error)) from None
    print(f"{record.rma}: {record.status.value}", file=out)
    if not args.no_notify:
        notice = store.notifier.return_status_changed(record)
        told = "buyer told" if notice.delivered else "buyer not told"
        print(f"{told}: {notice.detail}", file=out if notice.delivered else sys.stderr)
    return 0


def _agents_add(args: argparse.Namespace, out: TextIO) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise CommandError("the two passwords differ")
    try:
        _store().agents.add(args.username, args.name, password)
    except AccountError as error:
        raise CommandError(str(error)) from None
    print(f"agent {args.username} added", file=out)
    return 0


def _policy_check(args: argparse.Namespace, out: TextIO) -> int:
    try:
        load_policy(args.file)
    except PolicyFileError as error:
        raise CommandError(str(error)) from None
    print(f"{args.file or 'default policy'}: ok", file=out)
    return 0


def _policy_decide(args: argparse.Namespace, out: TextIO) -> int:
    try:
        policy = load_policy(args.policy)
    except PolicyFileError as error:
        raise CommandError(str(error)) from None
    text = _read(args.case)
    try:
        case = parse_case(json.loads(text))
    except json.JSONDecodeError as error:
        raise CommandError(f"{args.case}: line {error.lineno}: invalid JSON: {error.msg}") from None
    except (CaseFormatError, InvalidRequest) as error:
        raise CommandError(f"{args.case}: {error}") from None
    order, request, history, now = case
    try:
        decision = decide(order, request, history, policy, now)
    except UnknownCurrency as error:
        raise CommandError(str(error)) from None
    json.dump(decision_to_dict(decision), out, indent=2)
    out.write("\n")
    return 0


def _demo_seed(args: argparse.Namespace, out: TextIO) -> int:
    store = _store()
    orders = demo_orders(store.clock.now().date())
    try:
        report = import_orders(orders, store.unit_of_work, store.clock)
    except RecordStoreUnavailable as error:
        raise CommandError(f"store database: {error}") from None
    print(f"demo orders: {report.created} new, {report.updated} updated", file=out)
    for order in orders:
        print(f"  {order.order_id:<14} {order.email:<28} {order.country}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
