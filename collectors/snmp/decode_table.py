"""Decode one profile table: rows filtered, labelled (by name, not index), valued, rated or aggregated."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from collectors.snmp.decode_common import Index, RateSource, bits_words, checked, metric_value
from collectors.snmp.expr import Expression
from collectors.snmp.profile_model import (
    Aggregate,
    Condition,
    LabelSource,
    LabelSpecs,
    MetricKind,
    MetricSpec,
    TableSpec,
)
from collectors.snmp.values import SnmpValue
from dutyroom.model import Labels, MetricValue, Sample

LINE_SPEED_TOLERANCE = 1.1
_AGGREGATES: dict[Aggregate, Callable[[list[float]], float]] = {
    Aggregate.MEAN: statistics.fmean,
    Aggregate.SUM: sum,
    Aggregate.MIN: min,
    Aggregate.MAX: max,
    Aggregate.COUNT: lambda values: float(len(values)),
}


@dataclass(slots=True)
class _Row:
    index: Index
    values: Mapping[str, SnmpValue]
    env: dict[str, float]
    key: Labels = ()
    """The row's table labels, unique within the table: rate state is kept by name, never by ifIndex."""


def decode_table(
    table: TableSpec,
    rows: Mapping[Index, Mapping[str, SnmpValue]],
    scalars: Mapping[str, float],
    *,
    target: str,
    at: float,
    rates: RateSource | None,
    selected: tuple[str, ...],
) -> list[Sample]:
    kept = [row for row in _rows(table, rows, scalars) if _keep(table, row, selected)]
    row_keys: set[Labels] = set()
    for row in kept:
        row.key = _unique(_labels(table.labels, row), row.index, row_keys)
    samples: list[Sample] = []
    rate_cache: dict[Hashable, float | None] = {}
    for metric in table.metrics:
        label_columns = () if metric.aggregate != Aggregate.NONE else _label_columns(table, metric)
        seen: set[Labels] = set()
        collected: list[float] = []
        for row in kept:
            if not all(_matches(condition, row) for condition in metric.where):
                continue
            labels = _unique(_labels(label_columns, row), row.index, seen)
            value = _value(metric, table, row, rates, rate_cache)
            if value is None:
                continue
            if metric.aggregate != Aggregate.NONE:
                if isinstance(value, float):
                    collected.append(value)
                continue
            unit = row.values[metric.unit_from].text(16) if metric.unit_from in row.values else metric.unit
            samples.append(Sample(target, metric.name, value, at, labels, unit))
            if not label_columns:
                break  # an unlabelled metric takes the first matching row that has a value
        if collected:
            total = checked(metric, _AGGREGATES[metric.aggregate](collected))
            if total is not None:
                samples.append(Sample(target, metric.name, total, at, (), metric.unit))
    return samples


def _label_columns(table: TableSpec, metric: MetricSpec) -> LabelSpecs:
    return table.labels if metric.labels is None else metric.labels


def _rows(table: TableSpec, rows: Mapping[Index, Mapping[str, SnmpValue]], scalars: Mapping[str, float]) -> list[_Row]:
    """Rows in index order; a garbage cell is left out of `env`, so only metrics needing it are skipped.
    A row whose index is a prefix of another's lends that row its columns instead of being a row."""
    result = []
    parents = {index[:cut] for index in rows for cut in range(1, len(index)) if index[:cut] in rows}
    for index in sorted(rows.keys() - parents):
        values = _with_parent_columns(index, rows)
        numbers = {name: number for name, value in values.items() if (number := value.number()) is not None}
        result.append(_Row(index, values, {**scalars, **numbers}))
    return result


def _with_parent_columns(index: Index, rows: Mapping[Index, Mapping[str, SnmpValue]]) -> Mapping[str, SnmpValue]:
    """The row's columns, and those it lacks from the rows whose index is a prefix of its own (nearest
    first): PDU2-MIB names an outlet by pduId.outletId and reads it by pduId.outletId.sensorType. Such a
    parent row names its children and is not decoded itself (`_rows`)."""
    values = rows[index]
    parents = [rows[index[:cut]] for cut in range(len(index) - 1, 0, -1) if index[:cut] in rows]
    if not parents:
        return values
    joined = dict(values)
    for parent in parents:
        for name, value in parent.items():
            joined.setdefault(name, value)
    return joined


def _keep(table: TableSpec, row: _Row, selected: tuple[str, ...]) -> bool:
    if not all(_matches(condition, row) for condition in table.where):
        return False
    if table.select_by and selected:
        value = row.values.get(table.select_by)
        return value is not None and value.text() in selected
    return True


def _matches(condition: Condition, row: _Row) -> bool:
    if condition.column == "index":
        text = _index_text(row.index)
        number = float(row.index[0]) if len(row.index) == 1 else None
    else:
        value = row.values.get(condition.column)
        if value is None or value.absent:
            return False
        number, text = value.number(), value.text()
    if condition.pattern is not None:
        return condition.pattern.search(text) is not None
    return any(option == text if isinstance(option, str) else option == number for option in condition.equals)


def _labels(specs: LabelSpecs, row: _Row) -> Labels:
    return tuple(sorted((label, _label_value(source, row)) for label, source in specs))


def _label_value(source: LabelSource, row: _Row) -> str:
    if source.text:
        return source.text
    for column in source.columns:
        if column == "index":
            return _index_text(row.index)
        value = row.values.get(column)
        if value is None or value.absent:
            continue
        number = value.number()
        if source.words and number is not None:
            return source.words.get(int(number), f"code-{int(number)}")
        text = value.text(64)
        if text:
            return text
    return _index_text(row.index)


def _index_text(index: Index) -> str:
    return ".".join(map(str, index))


def _unique(labels: Labels, index: Index, seen: set[Labels]) -> Labels:
    """Two rows with the same name (ASR920 has two `Te0/0/26`) get the ifIndex appended to the later one."""
    if labels and labels in seen:
        first_key, first_value = labels[0]
        labels = ((first_key, f"{first_value}#{_index_text(index)}"), *labels[1:])
    seen.add(labels)
    return labels


def _value(
    metric: MetricSpec,
    table: TableSpec,
    row: _Row,
    rates: RateSource | None,
    cache: dict[Hashable, float | None],
) -> MetricValue | None:
    if metric.kind == MetricKind.BITS:
        return bits_words(metric, row.values)
    if metric.kind != MetricKind.RATE:
        return metric_value(metric, row.env)
    if rates is None:
        return None
    column = next((value.bare_name for value in metric.values if value.bare_name in row.values), "")
    if not column or row.values[column].absent:
        return None
    key = (table.name, row.key, column)
    if key not in cache:
        discontinuity = row.env.get(table.discontinuity) if table.discontinuity else None
        cache[key] = rates.rate(key, row.values[column], discontinuity)
    per_second = cache[key]
    if per_second is None:
        return None
    scaled = per_second * metric.scale
    limit = _first_value(metric.limit, row.env)
    if limit and limit > 0 and scaled > limit * LINE_SPEED_TOLERANCE:
        return None
    if metric.percent_of:
        whole = _first_value(metric.percent_of, row.env)
        return checked(metric, 100.0 * scaled / whole) if whole and whole > 0 else None
    return checked(metric, scaled)


def _first_value(expressions: tuple[Expression, ...], env: Mapping[str, float]) -> float | None:
    for expression in expressions:
        value = expression.evaluate(env)
        if value is not None:
            return value
    return None
