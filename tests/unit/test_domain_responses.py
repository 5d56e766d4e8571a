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


# --- every response and label in every served language ------------------------------

CONFIG = yaml.safe_load((ROOT / "config.yml").read_text())
DETECTOR = next(c for c in CONFIG["pipeline"] if c["name"].endswith("LanguageDetector"))
SERVED, DEFAULT = DETECTOR["languages"], DETECTOR["default_language"]
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def variants_by_language(name: str) -> dict[str, dict]:
    """The variants of a response keyed by the language they are for."""
    found: dict[str, dict] = {}
    for variant in DOMAIN["responses"][name]:
        conditions = variant.get("condition") or []
        languages = [c["value"] for c in conditions if c.get("name") == "language"]
        found[languages[0] if languages else DEFAULT] = variant
    return found


def test_every_response_is_written_in_every_served_language():
    missing = {
        name: sorted(set(SERVED) - set(variants_by_language(name)))
        for name in RESPONSES
        if set(SERVED) - set(variants_by_language(name))
    }
    assert missing == {}


def test_the_default_language_variant_has_no_condition_so_rasa_always_finds_one():
    for name in RESPONSES:
        assert any("condition" not in v for v in DOMAIN["responses"][name]), name


def test_translations_keep_the_placeholders_and_buttons_of_the_default_language():
    for name in RESPONSES:
        variants = variants_by_language(name)
        default = variants[DEFAULT]
        for language, variant in variants.items():
            assert set(PLACEHOLDER.findall(variant["text"])) == set(
                PLACEHOLDER.findall(default["text"])
            ), (name, language)
            payloads = [b["payload"] for b in variant.get("buttons", [])]
            assert payloads == [b["payload"] for b in default.get("buttons", [])], (name, language)


def test_every_label_is_written_in_every_served_language():
    labels = yaml.safe_load((ROOT / "actions/language/labels.yml").read_text())
    missing = [
        f"{kind}.{code}: {sorted(set(SERVED) - set(texts))}"
        for kind, codes in labels.items()
        for code, texts in codes.items()
        if set(SERVED) - set(texts)
    ]
    assert missing == []
    for kind, codes in labels.items():
        for code, texts in codes.items():
            for language, text in texts.items():
                assert set(PLACEHOLDER.findall(text)) == set(
                    PLACEHOLDER.findall(texts[DEFAULT])
                ), (kind, code, language)


def test_every_served_language_has_a_lexicon_and_training_data():
    for language in SERVED:
        assert (ROOT / "actions/language/lexicon" / f"{language}.yml").exists(), language
        assert list((ROOT / "data/nlu" / language).glob("*.yml")), language


def test_sessions_never_expire_so_a_conversation_with_a_person_stays_paused():
    import yaml

    from bot.launch import REPO_ROOT

    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert domain["session_config"]["session_expiration_time"] == 0
