"""Capacity headroom per capacity rule and series: peak against capacity, and the factor the rule requires.

Peaks are the engine's daily peaks kept on each capacity check (local days, over the rule's window); a
report narrows them to the days of its period. Capacity is the rule's fixed `capacity`, else the latest
value of its `capacity_metric` times `capacity_scale`, else what the engine's headroom implies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dutyroom.config.load import LoadedConfig
from dutyroom.config.types import CapacityRule
from dutyroom.model import Labels
from dutyroom.rules.alert import Check
from dutyroom.store.database import Store


@dataclass(frozen=True, slots=True)
class CapacityRow:
    target: str
    rule: str
    labels: Labels
    peak: float | None
    capacity: float | None
    needed: float
    """The factor the rule requires (capacity / peak at least this)."""

    @property
    def headroom(self) -> float | None:
        if self.peak is None or self.capacity is None or self.peak <= 0:
            return None
        return self.capacity / self.peak

    @property
    def ok(self) -> bool | None:
        headroom = self.headroom
        return None if headroom is None else headroom >= self.needed


def capacity_rows(
    config: LoadedConfig,
    checks: Iterable[Check],
    store: Store,
    *,
    period: tuple[float, float] | None = None,
) -> list[CapacityRow]:
    """One row per capacity check; `period` (since, until) limits peaks to its days, else the rule's window."""
    rules = {rule.id: rule.spec for rule in config.rules if isinstance(rule.spec, CapacityRule)}
    rows = []
    for check in checks:
        spec = rules.get(check.rule)
        if spec is None:
            continue
        peaks = _peaks_in(check.peaks, period, config.timezone)
        peak = max(peaks) if peaks else None
        if peak is None and period is not None and spec.metric:
            peak = store.peak_since(check.target, spec.metric, check.labels, period[0])
        capacity = spec.capacity
        if capacity is None and spec.capacity_metric:
            latest = store.latest_sample(check.target, spec.capacity_metric, check.labels)
            if latest is not None and isinstance(latest[0], float):
                capacity = latest[0] * spec.capacity_scale
        if capacity is None and isinstance(check.value, float) and check.peaks:
            capacity = check.value * max(check.peaks.values())
        rows.append(CapacityRow(check.target, check.rule, check.labels, peak, capacity, spec.factor))
    return sorted(rows, key=lambda row: (row.ok is not False, row.target, row.rule, row.labels))


def _peaks_in(peaks: dict[str, float], period: tuple[float, float] | None, timezone: ZoneInfo) -> list[float]:
    if period is None:
        return list(peaks.values())
    first = datetime.fromtimestamp(period[0], timezone).date().isoformat()
    last = datetime.fromtimestamp(period[1], timezone).date().isoformat()
    return [peak for day, peak in peaks.items() if first <= day <= last]


def format_number(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def labels_text(labels: Labels) -> str:
    return ",".join(f"{key}={value}" for key, value in labels)
