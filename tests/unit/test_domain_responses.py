"""Every response the code sends exists in domain.yml, and none is orphaned."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions.conversation.replies import EXPLAINED_CODES
from actions.domain.engine import Code

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RESPONSES = set(DOMAIN["responses"])


def _code_text() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "actions").rglob("*.py"))


def _rules_text() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "data").rglob("*.yml"))


def test_every_response_named_in_the_code_exists_in_the_domain():
    named = set(re.findall(r"\"(utter_[a-z_]+)\"", _code_text()))
    assert named - RESPONSES == set()


def test_every_reason_code_of_the_engine_has_an_explanation():
    explained = {c.value for c in Code} - {"restocking_fee"}
    assert explained <= EXPLAINED_CODES
    assert {f"utter_why_{code}" for code in EXPLAINED_CODES} <= RESPONSES


def test_every_response_is_sent_by_something():
    code, rules = _code_text(), _rules_text()
    # f"utter_why_{code}" sends a family of responses; a bare "utter_" is no family.
    prefixes = [p for p in re.findall(r"f\"(utter_[a-z_]*)\{", code) if p != "utter_"]
    orphans = {
        name
        for name in RESPONSES
        if name not in code
        and name not in rules
        and not any(name.startswith(prefix) for prefix in prefixes)
        and not name.startswith("utter_ask_")  # asked by the forms
    }
    assert orphans == set()
