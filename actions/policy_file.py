"""The policy YAML a store operator owns, read into a ``Policy`` (and written back).

Every key is optional: what the file leaves out keeps its default
(``DEFAULT_POLICY``). Tables keyed by market or currency (``usd_rates``,
``markets``, ``estimated_return_shipping_usd``, ``withdrawal.floor_days``)
are merged entry by entry over the defaults, so adding one currency does not
drop the others; an entry set to ``null`` removes it (``CN: null`` under
``withdrawal.floor_days`` drops China's floor). Lists replace the default list.

Schema (the shipped ``policy.yml`` writes every key out)::

    return_window_days: 30            # store window for buyer reasons
    withdrawal:
      floor_days: {EU: 14, UK: 14, BR: 7, CN: 7}
      uninformed_extension_days: 365
      uninformed_markets: [EU, UK]
      refund_outbound_shipping_markets: [EU, UK, BR]
      seller_pays_return_markets: [BR]
      used_item_review_markets: [EU, UK]
    seller_fault: {claim_window_days: 365, legal_guarantee_days: 730,
                   legal_guarantee_markets: [EU, UK]}
    categories: {non_returnable: [...], hygiene: [...]}
    returnless: {max_item_value_usd: 15, when_shipping_at_least_item_value: true}
    estimated_return_shipping_usd: {EU: 12, ..., OTHER: 30}
    delivery: {lost_after_days: 20, late_grace_days: 3}
    manual_review: {item_value_usd: 750, returns_last_12_months: 10}
    store_credit_bonus: 0.10
    free_exchange_size_fit: true
    restocking_fee_percent: 0
    return_by_days: 14
    refund_within_days: 14
    usd_rates: {EUR: 1.08, ...}
    markets: {EU: [AT, ...], UK: [GB], ...}   # any other country is OTHER

Errors are the operator's to fix, so each names the file and the dotted key:
``policy.yml: manual_review.item_value_usd: expected a non-negative number, got 'abc'``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from actions.domain.policy import DEFAULT_POLICY, OTHER_MARKET, Policy


class PolicyFileError(ValueError):
    """A policy file that cannot be read or does not follow the schema; names file and key."""


class _Invalid(ValueError):
    """A bad value at a dotted path; ``PolicyFileError`` adds the file name."""


_T = TypeVar("_T")

_MARKET_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def load_policy(path: str | Path | None) -> Policy:
    """The policy in the YAML file at ``path``; ``None`` is the shipped default."""
    if path is None:
        return DEFAULT_POLICY
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(
            f"{source}: cannot read the policy file: {error.strerror or error}"
        ) from None
    return parse_policy_yaml(text, source=source)


def parse_policy_yaml(text: str, *, source: str = "policy.yml") -> Policy:
    """The policy in a YAML document; ``source`` names it in errors."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no Python objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        problem = error.problem or error.context or "syntax error"
        start = error.context_mark
        if error.problem and error.context and start and mark and start.line != mark.line:
            problem += f" ({error.context} at line {start.line + 1})"  # e.g. an unclosed '{'
        raise PolicyFileError(f"{source}: {where}invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise PolicyFileError(f"{source}: invalid YAML: {error}") from None
    return parse_policy_data(data, source=source)


def parse_policy_data(data: object, *, source: str = "policy.yml") -> Policy:
    """The policy described by decoded YAML (``None``, an empty file, is the default)."""
    if data is None:
        return DEFAULT_POLICY
    try:
        policy = _overlay(DEFAULT_POLICY, _mapping(data, "the top level"), "")
        _check_markets(policy)
    except _Invalid as error:
        raise PolicyFileError(f"{source}: {error}") from None
    return policy


def policy_to_yaml_dict(policy: Policy) -> dict[str, Any]:
    """Plain YAML data for ``policy``: ``parse_policy_data`` of it gives it back."""
    return cast(dict[str, Any], _plain(policy))


def policy_to_yaml(policy: Policy) -> str:
    """``policy`` as a YAML document, keys in the schema's order."""
    return yaml.safe_dump(
        policy_to_yaml_dict(policy), sort_keys=False, allow_unicode=True, width=100
    )


# --- reading ------------------------------------------------------------------------


def _overlay(current: Any, data: Mapping[Any, Any], prefix: str) -> Any:
    """``current`` (a policy dataclass) with the values ``data`` gives, checked."""
    known = {f.name for f in fields(current)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key not in known:
            raise _Invalid(f"{path}: unknown key{_suggest(str(key), known)}")
        existing = getattr(current, key)
        if is_dataclass(existing):
            section = {} if value is None else _mapping(value, path)
            changes[key] = _overlay(existing, section, f"{path}.")
        else:
            parse = _FIELDS[path]
            if isinstance(parse, _Table):
                changes[key] = parse.merge(value, path, existing)
            else:
                changes[key] = parse(value, path)
    return replace(current, **changes)


def _suggest(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f" (expected one of: {', '.join(sorted(known))}){hint}"


def _mapping(value: object, path: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid(f"{path}: expected a mapping of keys to values, got {value!r}")
    return value


def _days(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid(f"{path}: expected a whole number of days >= 0, got {value!r}")
    return value


def _count(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid(f"{path}: expected a whole number >= 0, got {value!r}")
    return value


def _flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{path}: expected true or false, got {value!r}")
    return value


def _decimal(value: object) -> Decimal | None:
    """A number or numeric string as an exact Decimal; None when it is neither."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _non_negative(value: object, path: str) -> Decimal:
    number = _decimal(value)
    if number is None or number < 0:
        raise _Invalid(f"{path}: expected a non-negative number, got {value!r}")
    return number


def _positive(value: object, path: str) -> Decimal:
    number = _decimal(value)
    if number is None or number <= 0:
        raise _Invalid(f"{path}: expected a positive number, got {value!r}")
    return number


def _fraction(value: object, path: str) -> Decimal:
    number = _decimal(value)
    if number is None or not 0 <= number <= 1:
        raise _Invalid(f"{path}: expected a fraction from 0 to 1 (0.10 = +10%), got {value!r}")
    return number


def _percent(value: object, path: str) -> Decimal:
    number = _decimal(value)
    if number is None or not 0 <= number <= 100:
        raise _Invalid(f"{path}: expected a number from 0 to 100, got {value!r}")
    return number


def _list(item: Callable[[object, str], _T]) -> Callable[[object, str], tuple[_T, ...]]:
    """A YAML list whose entries ``item`` checks; it replaces the default list."""

    def parse(value: object, path: str) -> tuple[_T, ...]:
        if not isinstance(value, list):
            raise _Invalid(f"{path}: expected a list, got {value!r}")
        return tuple(item(entry, f"{path}[{index}]") for index, entry in enumerate(value))

    return parse


@dataclass(frozen=True)
class _Table:
    """A YAML mapping merged over the default one; ``null`` removes an entry."""

    key: Callable[[object, str], str]
    item: Callable[[object, str], Any]

    def merge(self, value: object, path: str, existing: Mapping[str, Any]) -> dict[str, Any]:
        merged = dict(existing)
        for raw_key, raw_item in _mapping(value, path).items():
            name = self.key(raw_key, f"{path}.{raw_key}")
            if raw_item is None:
                merged.pop(name, None)
            else:
                merged[name] = self.item(raw_item, f"{path}.{name}")
        return merged


def _code(pattern: re.Pattern[str], what: str) -> Callable[[object, str], str]:
    def parse(value: object, path: str) -> str:
        if value is False:  # YAML 1.1 reads a bare NO (Norway) as false
            raise _Invalid(f"{path}: expected {what}, got false (write 'NO' in quotes)")
        if not isinstance(value, str) or not pattern.fullmatch(value.strip().upper()):
            raise _Invalid(f"{path}: expected {what}, got {value!r}")
        return value.strip().upper()

    return parse


def _category(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{path}: expected a category name, got {value!r}")
    return value.strip().lower()  # order categories are lower case


_market = _code(_MARKET_NAME, "a market name such as EU")
_country = _code(_COUNTRY, "an ISO 3166-1 alpha-2 country code")
_currency = _code(_CURRENCY, "an ISO 4217 currency code")

# Every leaf of the schema by dotted path: a checker of one value, or a table to merge.
_FIELDS: dict[str, Callable[[object, str], Any] | _Table] = {
    "return_window_days": _days,
    "withdrawal.floor_days": _Table(_market, _days),
    "withdrawal.uninformed_extension_days": _days,
    "withdrawal.uninformed_markets": _list(_market),
    "withdrawal.refund_outbound_shipping_markets": _list(_market),
    "withdrawal.seller_pays_return_markets": _list(_market),
    "withdrawal.used_item_review_markets": _list(_market),
    "seller_fault.claim_window_days": _days,
    "seller_fault.legal_guarantee_days": _days,
    "seller_fault.legal_guarantee_markets": _list(_market),
    "categories.non_returnable": _list(_category),
    "categories.hygiene": _list(_category),
    "returnless.max_item_value_usd": _non_negative,
    "returnless.when_shipping_at_least_item_value": _flag,
    "estimated_return_shipping_usd": _Table(_market, _non_negative),
    "delivery.lost_after_days": _days,
    "delivery.late_grace_days": _days,
    "manual_review.item_value_usd": _non_negative,
    "manual_review.returns_last_12_months": _count,
    "store_credit_bonus": _fraction,
    "free_exchange_size_fit": _flag,
    "restocking_fee_percent": _percent,
    "return_by_days": _days,
    "refund_within_days": _days,
    "usd_rates": _Table(_currency, _positive),
    "markets": _Table(_market, _list(_country)),
}


def _check_markets(policy: Policy) -> None:
    """Market names used anywhere must exist, and a country belongs to one market only."""
    owner: dict[str, str] = {}
    for market, countries in policy.markets.items():
        if market == OTHER_MARKET:
            raise _Invalid(f"markets.{market}: OTHER is every country no market lists")
        for country in countries:
            if country in owner:
                raise _Invalid(f"markets.{market}: {country} is already in market {owner[country]}")
            owner[country] = market
    known = {*policy.markets, OTHER_MARKET}
    referenced: list[tuple[str, str]] = [
        *((f"withdrawal.floor_days.{m}", m) for m in policy.withdrawal.floor_days),
        *((f"estimated_return_shipping_usd.{m}", m) for m in policy.estimated_return_shipping_usd),
    ]
    for path in _FIELDS:
        if path.endswith("_markets"):
            section, name = path.split(".")
            markets = getattr(getattr(policy, section), name)
            referenced.extend((path, m) for m in markets)
    for path, market in referenced:
        if market not in known:
            raise _Invalid(
                f"{path}: unknown market {market!r} (markets: {', '.join(sorted(known))})"
            )
    if OTHER_MARKET not in policy.estimated_return_shipping_usd:
        raise _Invalid(f"estimated_return_shipping_usd: needs an {OTHER_MARKET} entry")


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice (YAML would keep the last silently)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # '<<' merge keys may be overridden on purpose
        key = loader.construct_object(key_node)
        if not _hashable(key):
            continue  # construct_mapping reports it
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _unique_mapping,
)


# --- writing ------------------------------------------------------------------------


def _plain(value: object) -> object:
    """Decimals as YAML numbers, tuples as lists, dataclasses and tables as dicts."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
