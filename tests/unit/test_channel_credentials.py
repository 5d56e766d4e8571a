from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.channels.credentials import CredentialsError, describe, plan_channels, write_effective
from bot.launch import REPO_ROOT

FILE = """
bot.channels.rest.RestWithFallback:
bot.channels.telegram.TelegramChannel:
  access_token: ${TG_TOKEN}
  secret_token: ${TG_SECRET}
  api_url: ${TG_API:-https://api.telegram.org}
"""


def test_a_channel_runs_only_when_its_required_variables_are_set(tmp_path: Path):
    path = tmp_path / "credentials.yml"
    path.write_text(FILE)
    off = plan_channels(path, {"TG_TOKEN": "t"})
    assert [plan.enabled for plan in off] == [True, False]
    assert describe(off)[1] == "TelegramChannel: off (set TG_SECRET)"

    on = plan_channels(path, {"TG_TOKEN": "t", "TG_SECRET": "s"})
    assert on[1].enabled
    effective = yaml.safe_load(write_effective(on, tmp_path / "out.yml").read_text())
    telegram = effective["bot.channels.telegram.TelegramChannel"]
    # Secrets stay references that Rasa fills in from its environment; defaults are filled in.
    assert telegram == {
        "access_token": "${TG_TOKEN}",
        "secret_token": "${TG_SECRET}",
        "api_url": "https://api.telegram.org",
    }
    assert "bot.channels.rest.RestWithFallback" in effective


def test_an_unreadable_credentials_file_names_the_file(tmp_path: Path):
    path = tmp_path / "credentials.yml"
    path.write_text("bot.channels.rest.RestWithFallback: [unclosed")
    with pytest.raises(CredentialsError, match=r"credentials\.yml"):
        plan_channels(path, {})
    path.write_text("telegram: just a string")
    with pytest.raises(CredentialsError, match="telegram: expected a mapping"):
        plan_channels(path, {})


def test_the_shipped_file_runs_rest_and_the_widget_with_nothing_set():
    plans = plan_channels(REPO_ROOT / "credentials.yml", {})
    enabled = {plan.channel.rsplit(".", 1)[-1] for plan in plans if plan.enabled}
    assert enabled == {"RestWithFallback", "WebChat"}
    assert len(plans) == 6


def test_the_run_keeps_the_repositorys_endpoints_and_points_at_its_own_action_server(
    tmp_path: Path,
):
    from bot.launch import write_endpoints

    source = tmp_path / "endpoints.yml"
    source.write_text(
        "action_endpoint:\n  url: http://localhost:5055/webhook\n"
        "tracker_store:\n  type: SQL\n  db: ${TRACKER_DB}\n"
    )
    written = yaml.safe_load(write_endpoints(source, "http://127.0.0.1:6001", tmp_path / "o.yml")
                             .read_text())  # fmt: skip
    assert written == {"action_endpoint": {"url": "http://127.0.0.1:6001/webhook"},
                       "tracker_store": {"type": "SQL", "db": "${TRACKER_DB}"}}  # fmt: skip


def test_without_a_tracker_store_conversations_go_to_a_sqlite_file(tmp_path: Path):
    from bot.launch import write_endpoints

    source = tmp_path / "endpoints.yml"
    source.write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    db = tmp_path / "var" / "conversations.db"
    written = yaml.safe_load(
        write_endpoints(source, "http://127.0.0.1:6001", tmp_path / "o.yml", db).read_text()
    )
    assert written["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(db)}
    assert db.parent.is_dir()
