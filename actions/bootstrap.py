"""The one place where things are wired: settings from the environment -> services.

Nothing here runs at import time. The action server calls ``desk()`` on the
first conversation turn that needs it; the CLI builds what it needs per
command; tests build their own from explicit settings.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from actions.clock import Clock, clock_from_setting
from actions.domain.policy import Policy
from actions.notify.helpdesk import HelpdeskWebhook
from actions.notify.rasa_conversations import RasaConversations
from actions.notify.rasa_push import RasaPush
from actions.orders.database import DatabaseOrderSource
from actions.orders.shopify import ShopifyOrderSource, ShopifySettings
from actions.orders.source import OrderSource
from actions.policy_file import load_policy
from actions.records.database import create_schema, create_store_engine, session_factory
from actions.records.unit_of_work import SqlUnitOfWork
from actions.service.agents import AgentAccounts
from actions.service.handoff import HandoffDesk
from actions.service.notifications import BuyerNotifier
from actions.service.returns import ReturnsDesk

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "returnbot.db"
RASA_TOKEN_FILE = REPO_ROOT / "var" / "rasa-token"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once from the environment (contracts.md)."""

    db_url: str
    policy_path: Path | None
    now: str | None
    shopify: ShopifySettings | None = None
    agent_reply_hours: int = 24
    rasa_url: str = "http://localhost:5005"
    rasa_token: str | None = None
    helpdesk: HelpdeskWebhook | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        policy = env.get("RETURNBOT_POLICY") or None
        return cls(
            db_url=env.get("RETURNBOT_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
            policy_path=Path(policy) if policy else None,
            now=env.get("RETURNBOT_NOW") or None,
            shopify=ShopifySettings.from_env(env),
            agent_reply_hours=_positive_int(env, "RETURNBOT_AGENT_REPLY_HOURS", 24),
            rasa_url=env.get("RETURNBOT_RASA_URL") or "http://localhost:5005",
            rasa_token=env.get("RETURNBOT_RASA_TOKEN") or _saved_rasa_token(),
            helpdesk=HelpdeskWebhook.from_env(env),
        )


def _saved_rasa_token() -> str | None:
    """The token ``make run`` generated for Rasa's HTTP API, for CLI commands run beside it."""
    try:
        return RASA_TOKEN_FILE.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"{name}: expected a whole number of hours >= 1, got {raw!r}")
    return int(raw)


@dataclass
class Store:
    """The built pieces; ``desk`` is what callers use."""

    settings: Settings
    policy: Policy
    clock: Clock
    orders: OrderSource
    desk: ReturnsDesk
    unit_of_work: Callable[[], SqlUnitOfWork]
    engine: Engine
    notifier: BuyerNotifier
    handoff: HandoffDesk
    agents: AgentAccounts

    def close(self) -> None:
        """Close the database connections (tests and short-lived commands)."""
        self.engine.dispose()


def build_store(settings: Settings) -> Store:
    """Build engine, order source, policy and the returns desk from ``settings``.

    Raises:
        PolicyFileError: the policy YAML is invalid (names file and key).
        ValueError: RETURNBOT_NOW is not an ISO date.
    """
    policy = load_policy(settings.policy_path)
    clock = clock_from_setting(settings.now)
    engine = create_store_engine(settings.db_url)
    create_schema(engine)
    sessions = session_factory(engine)

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    orders: OrderSource
    if settings.shopify is not None:
        orders = ShopifyOrderSource(settings.shopify)
    else:
        orders = DatabaseOrderSource(sessions)
    desk = ReturnsDesk(unit_of_work, orders, policy, clock)
    notifier = RasaPush(settings.rasa_url, settings.rasa_token)
    handoff = HandoffDesk(
        unit_of_work, desk, RasaConversations(settings.rasa_url, settings.rasa_token), clock,
        settings.helpdesk,
    )  # fmt: skip
    agents = AgentAccounts(unit_of_work, clock)
    return Store(
        settings, policy, clock, orders, desk, unit_of_work, engine, notifier, handoff, agents
    )


_store: Store | None = None
_store_lock = threading.Lock()


def store() -> Store:
    """The process-wide store, built from the environment on first use."""
    global _store
    with _store_lock:
        if _store is None:
            _store = build_store(Settings.from_env())
        return _store


def desk() -> ReturnsDesk:
    return store().desk


def handoff_desk() -> HandoffDesk:
    return store().handoff
