"""Decode one profile table: rows filtered, labelled (by name, not index), valued, rated or aggregated."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from collectors.snmp.decode_common import Index, RateSource, checked, metric_value
from collectors.snmp.profile_model import Aggregate, Condition, MetricKind, MetricSpec, TableSpec
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


def _label_columns(table: TableSpec, metric: MetricSpec) -> tuple[tuple[str, str], ...]:
    return table.labels if metric.labels is None else metric.labels


def _rows(
    table: TableSpec, rows: Mapping[Index, Mapping[str, SnmpValue]], scalars: Mapping[str, float]
) -> list[_Row]:
    """Rows in index order; a garbage cell is left out of `env`, so only metrics needing it are skipped."""
    result = []
    for index in sorted(rows):
        values = rows[index]
        numbers = {name: number for name, value in values.items() if (number := value.number()) is not None}
        result.append(_Row(index, values, {**scalars, **numbers}))
    return result


def _keep(table: TableSpec, row: _Row, selected: tuple[str, ...]) -> bool:
    if not all(_matches(condition, row) for condition in table.where):
        return False
    if table.select_by and selected:
        value = row.values.get(table.select_by)
        return value is not None and value.text() in selected
    return True


def _matches(condition: Condition, row: _Row) -> bool:
    value = row.values.get(condition.column)
    if value is None or value.absent:
        return False
    if condition.pattern is not None:
        return condition.pattern.search(value.text()) is not None
    number, text = value.number(), value.text()
    return any(option == text if isinstance(option, str) else option == number for option in condition.equals)


def _labels(columns: tuple[tuple[str, str], ...], row: _Row) -> Labels:
    index_text = ".".join(map(str, row.index))
    pairs = []
    for label, column in columns:
        value = row.values.get(column)
        text = value.text(64) if value is not None and not value.absent and column != "index" else ""
        pairs.append((label, text or index_text))
    return tuple(sorted(pairs))


def _unique(labels: Labels, index: Index, seen: set[Labels]) -> Labels:
    """Two rows with the same name (ASR920 has two `Te0/0/26`) get the ifIndex appended to the later one."""
    if labels and labels in seen:
        first_key, first_value = labels[0]
        labels = ((first_key, f"{first_value}#{'.'.join(map(str, index))}"), *labels[1:])
    seen.add(labels)
    return labels


def _value(
    metric: MetricSpec,
    table: TableSpec,
    row: _Row,
    rates: RateSource | None,
    cache: dict[Hashable, float | None],
) -> MetricValue | None:
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
    limit = metric.limit.evaluate(row.env) if metric.limit else None
    if limit and limit > 0 and scaled > limit * LINE_SPEED_TOLERANCE:
        return None
    if metric.percent_of is not None:
        whole = metric.percent_of.evaluate(row.env)
        return checked(metric, 100.0 * scaled / whole) if whole and whole > 0 else None
    return checked(metric, scaled)
