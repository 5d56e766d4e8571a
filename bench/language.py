"""Language identification and intent recognition per language, on held-out data.

``python -m bench.language [--model PATH] [--folds N | --no-cv]``

1. Language ID on ``bench/heldout/language_id/<lang>.yml`` (short 1-4 word
   messages and full sentences, never trained on): plain langdetect next to
   our detector (``bot.components.language_id.detect`` with the vocabulary
   the trained component learns from ``data/nlu``), as the first message of
   a conversation, with no locale hint. ``unsupported.yml`` measures how
   often a language we do not serve is recognised as such.
2. Intent accuracy and macro-F1 per language on ``bench/heldout/nlu/<lang>.yml``
   with the trained model (``models/current.tar.gz``).
3. ``rasa test nlu --cross-validation`` on the training data.

Writes ``bench/results/language-<UTC timestamp>.md`` and
``bench/results/language-latest.md``. Targets are reported, never enforced.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.components.language_detector import vocabulary_from
from bot.components.language_id import LanguageHints, Vocabulary, detect, raw_langdetect
from bot.launch import REPO_ROOT, VENV_BIN

HELDOUT = REPO_ROOT / "bench" / "heldout"
RESULTS_DIR = REPO_ROOT / "bench" / "results"
SHORT_TARGET, SENTENCE_TARGET, F1_TARGET = 0.97, 0.99, 0.93


@dataclass(frozen=True)
class Served:
    languages: tuple[str, ...]
    default: str


def served_languages() -> Served:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    detector = next(c for c in config["pipeline"] if c["name"].endswith("LanguageDetector"))
    return Served(tuple(detector["languages"]), detector["default_language"])


def training_vocabulary(served: Served) -> Vocabulary:
    from rasa.shared.nlu.training_data.loading import load_data

    return vocabulary_from(load_data(str(REPO_ROOT / "data" / "nlu")), served.languages)


def share(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


def language_id_rows(served: Served, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """Table rows, and the misses of our detector (to read, not to tune on)."""
    rows, misses = [], []
    hints = LanguageHints(served=served.languages, default=served.default)
    for language in served.languages:
        path = HELDOUT / "language_id" / f"{language}.yml"
        if not path.exists():
            rows.append(f"| {language} | (no held-out set) | | | | |")
            continue
        sets = yaml.safe_load(path.read_text(encoding="utf-8"))
        cells = []
        for kind in ("short", "sentences"):
            texts = [str(t) for t in sets.get(kind) or []]
            raw = sum(raw_langdetect(t) == language for t in texts)
            ours = 0
            for text in texts:
                got = detect(text, hints, vocabulary)
                if got.code == language and not got.unserved:
                    ours += 1
                else:
                    misses.append(f"{language} {kind}: {text!r} -> {got.detected or got.code}")
            cells += [str(len(texts)), f"{share(raw, len(texts)):.1%}",
                      f"{share(ours, len(texts)):.1%}"]
        rows.append(f"| {language} | {cells[0]} | {cells[1]} | **{cells[2]}** "
                    f"| {cells[3]} | {cells[4]} | **{cells[5]}** |")
    path = HELDOUT / "language_id" / "unsupported.yml"
    if path.exists():
        sets = yaml.safe_load(path.read_text(encoding="utf-8"))
        cells = []
        for kind in ("short", "sentences"):
            texts = [str(t) for t in sets.get(kind) or []]
            raw = sum((raw_langdetect(t) or "en") not in served.languages for t in texts)
            ours = sum(detect(t, hints, vocabulary).unserved is not None for t in texts)
            cells += [str(len(texts)), f"{share(raw, len(texts)):.1%}",
                      f"{share(ours, len(texts)):.1%}"]
        rows.append(f"| not served (recognised as such) | {cells[0]} | {cells[1]} | **{cells[2]}** "
                    f"| {cells[3]} | {cells[4]} | **{cells[5]}** |")
    return rows, misses


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else float("nan")


def heldout_examples(language: str) -> list[tuple[str, str]]:
    """``(intent, text)`` pairs of a held-out file, entity annotations removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    path = HELDOUT / "nlu" / f"{language}.yml"
    if not path.exists():
        return []
    data = load_data(str(path))
    return [(m.get("intent"), m.get("text")) for m in data.intent_examples]


def intent_rows(model: Path, served: Served) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse(text: str) -> str:
        result = await agent.parse_message(text)
        return str((result.get("intent") or {}).get("name"))

    rows = []
    for language in served.languages:
        examples = heldout_examples(language)
        if not examples:
            rows.append(f"| {language} | (no held-out set) | | |")
            continue
        gold = [intent for intent, _ in examples]
        predicted = [asyncio.run(parse(text)) for _, text in examples]
        accuracy = share(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))
        f1 = macro_f1(gold, predicted)
        verdict = "met" if f1 >= F1_TARGET else "**not met**"
        rows.append(f"| {language} | {len(gold)} | {accuracy:.1%} | {f1:.3f} ({verdict}) |")
    return rows


def cross_validation(folds: int) -> tuple[str, float]:
    """Rasa's own NLU cross-validation: a summary line, and its wall time."""
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run(
            [str(VENV_BIN / "rasa"), "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml",
             "--cross-validation", "--folds", str(folds), "--out", out],
            cwd=REPO_ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        report = json.loads((Path(out) / "intent_report.json").read_text(encoding="utf-8"))
    macro = report.get("macro avg", {})
    return (
        f"intent accuracy {report.get('accuracy', float('nan')):.1%}, "
        f"macro-F1 {macro.get('f1-score', float('nan')):.3f} "
        f"({folds} folds, all languages together)",
        elapsed,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.language")
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc)
    served = served_languages()
    vocabulary = training_vocabulary(served)
    timer = time.perf_counter()
    lid_rows, misses = language_id_rows(served, vocabulary)
    lid_seconds = time.perf_counter() - timer
    lines = [
        f"# Language benchmark ({started:%Y-%m-%d %H:%M} UTC)",
        "",
        f"Command: `.venv/bin/python -m bench.language{' --no-cv' if args.no_cv else ''}`",
        "",
        f"## Language ID, first message, no hint (targets: short >= {SHORT_TARGET:.0%}, "
        f"sentences >= {SENTENCE_TARGET:.0%})",
        "",
        "| language | short n | langdetect | ours | sentences n | langdetect | ours |",
        "|---|---|---|---|---|---|---|",
        *lid_rows,
        "",
        f"Language ID table computed in {lid_seconds:.1f} s (raw langdetect and ours, "
        "every message once each, one process).",
        "",
        f"## Intents on held-out data, model `{args.model.name}` (target macro-F1 >= {F1_TARGET})",
        "",
        "| language | n | accuracy | macro-F1 |",
        "|---|---|---|---|",
        *intent_rows(args.model, served),
    ]
    if not args.no_cv:
        summary, seconds = cross_validation(args.folds)
        lines += ["", "## `rasa test nlu --cross-validation`", "", f"{summary}; {seconds:.0f} s."]
    if misses:
        lines += ["", "<details><summary>Language ID misses</summary>", "", "```",
                  *misses, "```", "</details>"]  # fmt: skip
    text = "\n".join(lines) + "\n"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"language-{started:%Y%m%dT%H%M%SZ}.md").write_text(text, encoding="utf-8")
    (RESULTS_DIR / "language-latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
