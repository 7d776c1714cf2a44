"""Incidents from the engine's transitions, and time in each state per target and group.

Transitions come from the real `Engine` evaluating poll results (the store keeps them as they are), so the
reconstruction is tested against what the engine actually emits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.documents.timeline import Incident, Segment, build_incidents, incident_window_transitions
from dutyroom.model import PollResult, Sample, Transition
from dutyroom.report.availability import group_times, overall, target_times
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "t"
[defaults]
interval = "60s"
stale_after = "1h"
[[target]]
id = "ups-a"
group = "power"
kind = "host"
[[target]]
id = "ups-b"
group = "power"
kind = "host"
[[rule]]
id = "runtime"
metric = "ups.runtime_min"
warning = "< 30"
critical = "< 15"
for = "2m"
"""
T0 = 1_800_000_000.0


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def drive(engine: Engine, values: dict[str, list[float]], *, drill_minutes: range = range(0)) -> list[Transition]:
    """Feed one sample per target per minute; returns the transitions (which the store keeps as they are)."""
    records: list[Transition] = []
    minutes = len(next(iter(values.values())))
    for minute in range(minutes):
        now = T0 + 60 * minute
        engine.drill = minute in drill_minutes
        results = [
            PollResult(target, now, (Sample(target, "ups.runtime_min", series[minute], now),))
            for target, series in values.items()
        ]
        records.extend(engine.evaluate(results, now).transitions)
    return records


def test_an_incident_from_pending_to_resolved_with_a_severity_change(engine: Engine) -> None:
    runtime = [45.0] * 2 + [20.0] * 5 + [10.0] * 3 + [45.0] * 3
    (incident,) = build_incidents(drive(engine, {"ups-a": runtime}))
    assert incident.opened_at == T0 + 120
    assert incident.fired_at == T0 + 240  # `for` = 2m
    assert incident.resolved_at == T0 + 600
    assert incident.severity == "critical"
    assert [(s.start - T0, None if s.end is None else s.end - T0, s.severity) for s in incident.segments] == [
        (240, 420, "warning"),
        (420, 600, "critical"),
    ]
    assert incident.known_start


def test_a_blip_shorter_than_for_is_no_incident(engine: Engine) -> None:
    assert build_incidents(drive(engine, {"ups-a": [45.0, 10.0, 45.0, 45.0]})) == []


def test_an_incident_active_before_the_period_gets_its_start_from_the_lookback(engine: Engine) -> None:
    records = drive(engine, {"ups-a": [45.0] + [10.0] * 10 + [45.0]})
    since = T0 + 300
    lookback = [record for record in records if record.at < since]
    before = lookback[-1:]
    in_period = [record for record in records if record.at >= since]
    (incident,) = build_incidents(incident_window_transitions(lookback, before, in_period))
    assert incident.opened_at == T0 + 60
    assert incident.resolved_at == T0 + 660
    (unknown,) = build_incidents(incident_window_transitions([], before, in_period))
    assert not unknown.known_start


def test_time_in_state_per_target_and_group(engine: Engine) -> None:
    records = drive(
        engine,
        {
            "ups-a": [45.0] * 3 + [20.0] * 4 + [10.0] * 4 + [45.0],
            "ups-b": [45.0] + [10.0] * 6 + [45.0] * 5,
        },
        drill_minutes=range(1, 3),
    )
    incidents = build_incidents(records)
    assert [(incident.target, incident.drill) for incident in incidents] == [("ups-b", True), ("ups-a", False)]
    since, until = T0, T0 + 720
    rows = {
        row.name: row
        for row in target_times(incidents, {"ups-a": "power", "ups-b": "power", "pdu": "power"}, since, until)
    }
    assert (rows["ups-a"].warning_s, rows["ups-a"].critical_s) == (120.0, 240.0)
    assert rows["ups-a"].ok_s == 360.0
    assert rows["ups-a"].availability == pytest.approx(1 - 240 / 720)
    assert rows["ups-b"].critical_s == 0.0, "a drill is not downtime"
    assert rows["pdu"].availability == 1.0
    (power,) = group_times(rows.values())
    assert (power.targets, power.period_s, power.critical_s) == (3, 3 * 720.0, 240.0)
    assert overall(rows.values()) == pytest.approx(power.availability)


def test_overlapping_segments_count_the_worst_severity_once() -> None:
    def incident(rule: str, segments: list[Segment]) -> Incident:
        return Incident(rule, rule, "sw", (), segments[0].start, "", False, segments[0].start, segments=segments)

    incidents = [
        incident("a", [Segment(0, 100, "warning")]),
        incident("b", [Segment(50, 150, "critical")]),
        incident("c", [Segment(120, None, "warning")]),
    ]
    (row,) = target_times(incidents, {"sw": "net"}, 20, 200)
    assert (row.critical_s, row.warning_s, row.ok_s) == (100.0, 80.0, 0.0)
