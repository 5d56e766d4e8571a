"""Which channels run: ``credentials.yml`` with the environment's secrets.

``credentials.yml`` lists every channel with ``${VARIABLE}`` references
(required) and ``${VARIABLE:-default}`` ones (optional, with a default). A
channel whose required variables are all set is switched on; the others are
left out and named, so ``make run`` works with no messaging app configured
and an operator sees what is missing. The file handed to ``rasa run`` keeps
the ``${VARIABLE}`` references (Rasa reads them from its environment), so no
secret is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class CredentialsError(ValueError):
    """credentials.yml cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class ChannelPlan:
    """A channel of credentials.yml: on, or off because of the variables named."""

    channel: str
    settings: dict[str, Any] | None
    missing: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        return not self.missing


def plan_channels(path: Path, environ: Mapping[str, str]) -> list[ChannelPlan]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CredentialsError(f"{path}: {error}") from error
    if not isinstance(raw, dict):
        raise CredentialsError(f"{path}: expected a mapping of channel -> settings")
    plans = []
    for channel, settings in raw.items():
        if settings is not None and not isinstance(settings, dict):
            raise CredentialsError(f"{path}: {channel}: expected a mapping of settings")
        missing: list[str] = []
        resolved = None if settings is None else _resolve(settings, environ, missing)
        plans.append(ChannelPlan(str(channel), resolved, tuple(dict.fromkeys(missing))))
    return plans


def _resolve(value: Any, environ: Mapping[str, str], missing: list[str]) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(item, environ, missing) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, environ, missing) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if environ.get(name):
            return "${" + name + "}"  # Rasa fills it in from its own environment
        if default is None:
            missing.append(name)
            return ""
        return default

    return REFERENCE.sub(substitute, value)


def write_effective(plans: list[ChannelPlan], target: Path) -> Path:
    """The credentials file for ``rasa run``: the enabled channels only."""
    enabled = {plan.channel: plan.settings for plan in plans if plan.enabled}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "# Written by bot/channels/credentials.py from credentials.yml; do not edit.\n"
        + yaml.safe_dump(enabled, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return target


def describe(plans: list[ChannelPlan]) -> list[str]:
    """One line per channel, for ``make run``'s banner."""
    lines = []
    for plan in plans:
        short = plan.channel.rsplit(".", 1)[-1]
        if plan.enabled:
            lines.append(f"{short}: on")
        else:
            lines.append(f"{short}: off (set {', '.join(plan.missing)})")
    return lines
