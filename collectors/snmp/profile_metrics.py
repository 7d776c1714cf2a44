"""Parse one `[[metric]]` entry of a profile into a `MetricSpec`, checking every name it uses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from collectors.snmp.expr import Expression, parse_expression
from collectors.snmp.profile_model import Aggregate, MetricKind, MetricSpec
from collectors.snmp.profile_parts import ProfileError, check_keys, parse_conditions, parse_labels

_METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_KEYS = {
    "name", "kind", "value", "unit", "unit_from", "scale", "enum", "flag", "ignore", "range",
    "where", "labels", "aggregate", "limit", "percent_of", "required",
}  # fmt: skip
_TABLE_ONLY = {"unit_from", "where", "labels", "aggregate", "limit", "percent_of"}


def parse_metric(
    entry: Mapping[str, Any],
    names: set[str],
    where: str,
    *,
    in_table: bool,
    columns: set[str] | None = None,
) -> MetricSpec:
    check_keys(entry, _KEYS if in_table else _KEYS - _TABLE_ONLY, where)
    name = entry.get("name")
    if not isinstance(name, str) or not _METRIC_NAME.match(name):
        raise ProfileError(f"{where}: `name` must look like `ups.runtime_min`")
    where = f"{where} ({name})"
    try:
        kind = MetricKind(entry.get("kind", "gauge"))
        aggregate = Aggregate(entry.get("aggregate", ""))
    except ValueError as error:
        raise ProfileError(f"{where}: {error}") from None
    values = _expressions(entry.get("value"), names, where)
    if kind != MetricKind.GAUGE and not all(value.bare_name for value in values):
        raise ProfileError(f"{where}: a {kind} metric's `value` must be plain names")
    if kind in (MetricKind.RATE, MetricKind.BITS) and not in_table:
        raise ProfileError(f"{where}: {kind} metrics are only computed for table columns")
    known_columns = columns or set()
    return MetricSpec(
        name=name,
        kind=kind,
        values=values,
        unit=_string(entry.get("unit", ""), where, "unit"),
        unit_from=_column(entry.get("unit_from", ""), known_columns, where),
        scale=_number(entry.get("scale", 1.0), where, "scale"),
        enum=_enum(entry.get("enum", {}), kind, where),
        flag=frozenset(int(_number(item, where, "flag")) for item in _list(entry.get("flag", []), where)),
        ignore=frozenset(_number(item, where, "ignore") for item in _list(entry.get("ignore", []), where)),
        valid_range=_range(entry.get("range"), where),
        where=parse_conditions(entry.get("where", {}), known_columns, where),
        labels=parse_labels(entry["labels"], known_columns, where) if "labels" in entry else None,
        aggregate=aggregate,
        limit=_optional_expressions(entry.get("limit"), names, where),
        percent_of=_optional_expressions(entry.get("percent_of"), names, where),
        required=bool(entry.get("required", False)),
    )


def _expressions(entry: Any, names: set[str], where: str) -> tuple[Expression, ...]:
    texts = entry if isinstance(entry, list) else [entry]
    if not texts or not all(isinstance(text, str) for text in texts):
        raise ProfileError(f"{where}: `value` must be an expression or a list of them")
    return tuple(_expression(text, names, where) for text in texts)


def _expression(text: str, names: set[str], where: str) -> Expression:
    try:
        expression = parse_expression(text)
    except ValueError as error:
        raise ProfileError(f"{where}: {error}") from None
    unknown = sorted(expression.names - names)
    if unknown:
        raise ProfileError(f"{where}: unknown name(s) {', '.join(unknown)} in {text!r}")
    return expression


def _optional_expressions(entry: Any, names: set[str], where: str) -> tuple[Expression, ...]:
    return () if entry is None else _expressions(entry, names, where)


def _enum(entry: Any, kind: MetricKind, where: str) -> Mapping[int, str]:
    if not isinstance(entry, Mapping) or not all(isinstance(word, str) for word in entry.values()):
        raise ProfileError(f"{where}: `enum` must map integers to words")
    if kind in (MetricKind.ENUM, MetricKind.BITS) and not entry:
        raise ProfileError(f"{where}: a {kind} metric needs `enum`")
    try:
        return MappingProxyType({int(key): word for key, word in entry.items()})
    except ValueError:
        raise ProfileError(f"{where}: `enum` keys must be integers") from None


def _range(entry: Any, where: str) -> tuple[float, float] | None:
    if entry is None:
        return None
    items = _list(entry, where)
    if len(items) != 2:
        raise ProfileError(f"{where}: `range` must be [min, max]")
    low, high = (_number(item, where, "range") for item in items)
    return (low, high)


def _column(entry: Any, columns: set[str], where: str) -> str:
    if entry and entry not in columns:
        raise ProfileError(f"{where}: unknown column {entry!r}")
    return str(entry or "")


def _number(entry: Any, where: str, key: str) -> float:
    if isinstance(entry, bool) or not isinstance(entry, int | float):
        raise ProfileError(f"{where}: `{key}` must be a number")
    return float(entry)


def _string(entry: Any, where: str, key: str) -> str:
    if not isinstance(entry, str):
        raise ProfileError(f"{where}: `{key}` must be a string")
    return entry


def _list(entry: Any, where: str) -> list[Any]:
    if not isinstance(entry, list):
        raise ProfileError(f"{where}: expected a list")
    return entry
