"""Time in each state per target and per group over a period, from the incidents' firing segments.

A target is CRITICAL while any of its alerts fires at critical severity, WARNING while the worst firing one
is a warning (or info), OK otherwise; availability is the share of the period not spent CRITICAL. A group
adds up its targets' times (target-seconds), so its availability is the mean of its targets'. Drills are left
out: an exercise is not downtime.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dutyroom.documents.timeline import Incident

CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class TimeInState:
    name: str
    group: str
    targets: int
    period_s: float
    """The period times the number of targets."""
    critical_s: float
    warning_s: float

    @property
    def ok_s(self) -> float:
        return max(0.0, self.period_s - self.critical_s - self.warning_s)

    @property
    def availability(self) -> float:
        return 1.0 - self.critical_s / self.period_s if self.period_s > 0 else 1.0


def target_times(
    incidents: Iterable[Incident], targets: Mapping[str, str], since: float, until: float
) -> list[TimeInState]:
    """One row per target (`targets` maps target id to group; targets only seen in incidents come too)."""
    segments: dict[str, list[tuple[float, float, str]]] = {}
    for incident in incidents:
        if incident.drill:
            continue
        for segment in incident.segments:
            start, end = max(segment.start, since), min(until if segment.end is None else segment.end, until)
            if end > start:
                segments.setdefault(incident.target, []).append((start, end, segment.severity))
    names = dict(targets)
    for target in segments:
        names.setdefault(target, "")
    rows = []
    for target, group in names.items():
        critical_s, warning_s = _sweep(segments.get(target, []))
        rows.append(TimeInState(target, group, 1, max(0.0, until - since), critical_s, warning_s))
    return sorted(rows, key=lambda row: (row.availability, -row.warning_s, row.group, row.name))


def group_times(rows: Iterable[TimeInState], order: Iterable[str] = ()) -> list[TimeInState]:
    """Targets' rows added up per group, in `order` first, then by name."""
    totals: dict[str, TimeInState] = {}
    for row in rows:
        total = totals.get(row.group)
        if total is None:
            totals[row.group] = TimeInState(row.group, row.group, 1, row.period_s, row.critical_s, row.warning_s)
        else:
            totals[row.group] = TimeInState(
                row.group,
                row.group,
                total.targets + 1,
                total.period_s + row.period_s,
                total.critical_s + row.critical_s,
                total.warning_s + row.warning_s,
            )
    rank = {name: index for index, name in enumerate(order)}
    return sorted(totals.values(), key=lambda row: (rank.get(row.group, len(rank)), row.group))


def overall(rows: Iterable[TimeInState]) -> float:
    """Availability over all targets (target-seconds not critical / all target-seconds)."""
    period = critical = 0.0
    for row in rows:
        period += row.period_s
        critical += row.critical_s
    return 1.0 - critical / period if period > 0 else 1.0


def _sweep(segments: list[tuple[float, float, str]]) -> tuple[float, float]:
    """Seconds at critical and at warning-or-lower (worst severity wins where segments overlap)."""
    if not segments:
        return 0.0, 0.0
    edges: list[tuple[float, int, bool]] = []
    for start, end, severity in segments:
        edges.append((start, 1, severity == CRITICAL))
        edges.append((end, -1, severity == CRITICAL))
    edges.sort(key=lambda edge: edge[0])
    critical_s = warning_s = 0.0
    active_critical = active_other = 0
    previous = edges[0][0]
    for at, delta, is_critical in edges:
        span = at - previous
        if span > 0:
            if active_critical:
                critical_s += span
            elif active_other:
                warning_s += span
        previous = at
        if is_critical:
            active_critical += delta
        else:
            active_other += delta
    return critical_s, warning_s
