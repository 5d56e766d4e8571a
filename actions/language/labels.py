"""Short labels in the buyer's language, from ``labels.yml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LABELS_FILE = Path(__file__).resolve().parent / "labels.yml"
FALLBACK_LANGUAGE = "en"


@lru_cache(maxsize=1)
def all_labels() -> dict[str, dict[str, dict[str, str]]]:
    with LABELS_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(handle)
    return loaded


def label(kind: str, code: str, language: str, **variables: Any) -> str:
    """The label of ``code`` (e.g. reason ``damaged``) in ``language``, else English."""
    translations = all_labels().get(kind, {}).get(code)
    if not translations:
        return code.replace("_", " ")
    text = translations.get(language) or translations[FALLBACK_LANGUAGE]
    return text.format(**variables) if variables else text
