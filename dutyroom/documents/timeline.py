"""Incidents rebuilt from alert transitions: when each alert first went off, fired, changed severity, resolved.

An incident runs from an alert leaving inactive/resolved (pending, or straight to firing) until it resolves;
an alert that was pending and went back to inactive never fired and is no incident. Firing segments carry
the severity in force, so time in each state can be summed per target (see `report_availability`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dutyroom.model import AlertPhase, Labels, Transition

ACTIVE = (AlertPhase.PENDING, AlertPhase.FIRING)


@dataclass(frozen=True, slots=True)
class Segment:
    """The alert fired at `severity` from `start` to `end` (None: still firing at the end of the data)."""

    start: float
    end: float | None
    severity: str


@dataclass
class Incident:
    fingerprint: str
    rule: str
    target: str
    labels: Labels
    opened_at: float
    opened_value: str
    drill: bool
    fired_at: float | None = None
    fired_value: str = ""
    resolved_at: float | None = None
    resolved_value: str = ""
    segments: list[Segment] = field(default_factory=list)
    known_start: bool = True
    """False when the incident was already active at the oldest transition read (its start is earlier)."""

    @property
    def severity(self) -> str:
        """The worst severity it fired at ("" if it never fired)."""
        order = {"info": 0, "warning": 1, "critical": 2}
        return max((segment.severity for segment in self.segments), key=lambda s: order.get(s, 0), default="")

    def duration(self, until: float) -> float:
        """From opening to resolution (or to `until` while still open)."""
        end = self.resolved_at if self.resolved_at is not None else until
        return max(0.0, end - self.opened_at)

    def firing_overlap(self, since: float, until: float) -> bool:
        return any(seg.start < until and (seg.end is None or seg.end > since) for seg in self.segments)


def build_incidents(transitions: Iterable[Transition]) -> list[Incident]:
    """Incidents from transitions in time order (an alert already active at the first one starts there)."""
    open_by_fingerprint: dict[str, Incident] = {}
    done: list[Incident] = []
    for record in transitions:
        incident = open_by_fingerprint.get(record.fingerprint)
        if incident is None:
            if record.after not in ACTIVE:
                continue
            incident = Incident(
                record.fingerprint,
                record.rule,
                record.target,
                record.labels,
                record.at,
                record.value,
                record.drill,
                known_start=record.before not in ACTIVE,
            )
            open_by_fingerprint[record.fingerprint] = incident
        _apply(incident, record)
        if record.after not in ACTIVE:
            del open_by_fingerprint[record.fingerprint]
            if incident.fired_at is not None:
                done.append(incident)
    done.extend(incident for incident in open_by_fingerprint.values() if incident.fired_at is not None)
    return sorted(done, key=lambda incident: (incident.opened_at, incident.target, incident.rule))


def _apply(incident: Incident, record: Transition) -> None:
    if record.after is AlertPhase.FIRING:
        _close_segment(incident, record.at)
        incident.segments.append(Segment(record.at, None, record.severity))
        if incident.fired_at is None:
            incident.fired_at, incident.fired_value = record.at, record.value
    elif record.after not in ACTIVE:
        _close_segment(incident, record.at)
        incident.resolved_at, incident.resolved_value = record.at, record.value
    else:
        _close_segment(incident, record.at)


def _close_segment(incident: Incident, at: float) -> None:
    if incident.segments and incident.segments[-1].end is None:
        last = incident.segments[-1]
        incident.segments[-1] = Segment(last.start, at, last.severity)


def incident_window_transitions(
    lookback: list[Transition], before: list[Transition], in_period: list[Transition]
) -> list[Transition]:
    """The transitions to rebuild incidents overlapping a period, in time order.

    `before` is each alert's last transition before the period; for alerts active then, their transitions
    from `lookback` (a bounded stretch before the period) supply the incident's start.
    """
    active_before = {record.fingerprint for record in before if record.after in ACTIVE}
    earlier = [record for record in lookback if record.fingerprint in active_before]
    seen = {(record.fingerprint, record.at) for record in earlier}
    earlier.extend(
        record
        for record in before
        if record.fingerprint in active_before and (record.fingerprint, record.at) not in seen
    )
    earlier.sort(key=lambda record: record.at)
    return _from_last_start(earlier) + list(in_period)


def _from_last_start(records: list[Transition]) -> list[Transition]:
    """For each alert, only its transitions from the last time it became active (the current incident)."""
    start_index: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.after in ACTIVE and record.before not in ACTIVE:
            start_index[record.fingerprint] = index
    return [record for index, record in enumerate(records) if index >= start_index.get(record.fingerprint, 0)]
