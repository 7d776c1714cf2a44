"""`dutyroom test-rules`: rule unit tests, like `promtool test rules`.

A test file (TOML) names a checks.toml, a start time and a step, gives input series per target and metric,
and lists the alerts expected at given offsets:

    config = "checks.toml"                 # relative to this file
    start = "2026-11-23T09:30:00+08:00"    # ISO time; without an offset it is the site's local time (the
                                           # checks.toml timezone, never the host's); or a TOML date-time;
                                           # or Unix seconds (promtool's start_timestamp)
    step = "10s"                           # one value per step in each series (promtool calls it interval)

    [[series]]
    target = "ups-a"
    metric = "ups.runtime_min"
    labels = {}                            # optional
    values = "30 25 18x3 9 _ 26 stale"     # promtool's expanding notation (see series_notation.py):
                                           # 18x3 = four 18s; 10+5x2 = 10 15 20; 9-1x2 = 9 8 7; _ = no sample;
                                           # _x3 = three missing; stale = the series ends here (STALE at once);
                                           # fail = the poll failed (UNREACHABLE); a word is a text value

    [[expect]]
    at = "40s"                             # offset from start (a multiple of step, or any time: evaluated then)
    alerts = [{ rule = "ups-runtime-low", target = "ups-a", phase = "firing", severity = "warning" }]
    calendar = "confirmed"                 # optional: the calendar's standing then (confirmed, draft, provisional)

At each `at`, the pending and firing alerts must be exactly those listed (resolved ones too when an expected
alert says `phase = "resolved"`); keys left out of an expected alert are not compared. Available keys:
rule, target, labels, phase, state, severity, suppressed_by, flapping, value. A file that does not read
(bad time, duration or series, unknown target) fails with every problem as `file:line:col: message`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from dutyroom.config.load import LoadedConfig
from dutyroom.config.problems import ConfigError, Problem
from dutyroom.model import PollResult, Sample, State, make_labels
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.rules.engine import Engine
from dutyroom.rules.rule_test_file import Expectation, ExpectedAlert, Series, load_rule_test
from dutyroom.rules.series_notation import Marker

_SAME_TIME_S = 1e-6


@dataclass
class RuleTestResult:
    """How one test file went: problems reading it, or mismatches between expected and actual alerts."""

    path: Path
    name: str
    problems: list[Problem] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems and not self.failures


def run_rule_test(path: Path) -> RuleTestResult:
    """Run one rule test file; problems in it (or its config) and mismatches are reported, never raised."""
    result = RuleTestResult(path, path.stem)
    try:
        test = load_rule_test(path)
    except ConfigError as error:
        result.problems.extend(error.problems)
        return result
    result.name = test.name
    engine = Engine(test.config)
    steps = max((len(item.values) for item in test.series), default=0)
    step_times = {test.start + index * test.step_s for index in range(steps)}
    for now in sorted(step_times | {checkpoint.at for checkpoint in test.checkpoints}):
        index = round((now - test.start) / test.step_s)
        on_step = abs(test.start + index * test.step_s - now) < _SAME_TIME_S and index < steps
        if on_step:
            for item in _ending_at(test.series, index):
                engine.mark_series_stale(item.spec.target, item.spec.metric, make_labels(item.spec.labels), now)
        engine.evaluate(_results_at(test.series, index, now) if on_step else [], now)
        for checkpoint in test.checkpoints:
            if checkpoint.at == now:
                result.failures.extend(_compare(checkpoint.expectation, engine.checks.values()))
                result.failures.extend(_compare_calendar(checkpoint.expectation, test.config, now))
    return result


def _ending_at(series: Sequence[Series], index: int) -> list[Series]:
    """The series with a staleness marker at step `index`."""
    return [item for item in series if index < len(item.values) and item.values[index] is Marker.STALE]


def _results_at(series: Sequence[Series], index: int, now: float) -> list[PollResult]:
    samples: dict[str, list[Sample]] = {}
    failed: set[str] = set()
    for item in series:
        value = item.values[index] if index < len(item.values) else Marker.MISSING
        if value is Marker.FAIL:
            failed.add(item.spec.target)
        elif not isinstance(value, Marker):
            polled = samples.setdefault(item.spec.target, [])
            if item.spec.metric:
                labels = make_labels(item.spec.labels)
                polled.append(Sample(item.spec.target, item.spec.metric, value, now, labels, item.spec.unit))
    results = [
        PollResult(target, now, failure=State.UNREACHABLE, reason="no reply (test)") for target in sorted(failed)
    ]
    results += [
        PollResult(target, now, tuple(items)) for target, items in sorted(samples.items()) if target not in failed
    ]
    return results


def _compare(expectation: Expectation, checks: Iterable[Check]) -> list[str]:
    wanted_resolved = any(item.phase == "resolved" for item in expectation.alerts)
    phases = {AlertPhase.PENDING, AlertPhase.FIRING} | ({AlertPhase.RESOLVED} if wanted_resolved else set())
    actual = [check for check in checks if check.phase in phases]
    failures = []
    unmatched = list(actual)
    for wanted in expectation.alerts:
        match = next((check for check in unmatched if _matches(wanted, check)), None)
        if match is None:
            failures.append(f"at {expectation.at}: expected {_describe_expected(wanted)}; got {_describe(actual)}")
        else:
            unmatched.remove(match)
    for extra in unmatched:
        failures.append(f"at {expectation.at}: unexpected alert {_describe([extra])}")
    return failures


def _compare_calendar(expectation: Expectation, config: LoadedConfig, now: float) -> list[str]:
    if expectation.calendar is None:
        return []
    calendar = config.calendar
    day = datetime.fromtimestamp(now, config.timezone).date()
    standing = calendar.standing(day) if calendar is not None else "no calendar"
    if standing == expectation.calendar:
        return []
    return [f"at {expectation.at}: expected calendar={expectation.calendar}; got {standing}"]


def _matches(wanted: ExpectedAlert, check: Check) -> bool:
    actual_value = (
        "" if check.value is None else (f"{check.value:g}" if isinstance(check.value, float) else str(check.value))
    )
    comparisons: list[tuple[object, object]] = [
        (wanted.rule, check.rule),
        (wanted.target, check.target),
        (wanted.labels, dict(check.labels) if wanted.labels is not None else None),
        (wanted.phase, str(check.phase) if wanted.phase is not None else None),
        (wanted.state, str(check.state) if wanted.state is not None else None),
        (wanted.severity, check.severity if wanted.severity is not None else None),
        (wanted.suppressed_by, check.suppressed_by if wanted.suppressed_by is not None else None),
        (wanted.flapping, check.flapping if wanted.flapping is not None else None),
        (wanted.value, actual_value if wanted.value is not None else None),
    ]
    return all(expected == got for expected, got in comparisons)


def _describe_expected(wanted: ExpectedAlert) -> str:
    fields = {key: value for key, value in msgspec.structs.asdict(wanted).items() if value is not None}
    return "{" + ", ".join(f"{key}={value}" for key, value in fields.items()) + "}"


def _describe(checks: Sequence[Check]) -> str:
    if not checks:
        return "no alerts"
    return "; ".join(
        f"{{rule={check.rule}, target={check.target}, labels={dict(check.labels)}, phase={check.phase}, "
        f"state={check.state}, severity={check.severity}, suppressed_by={check.suppressed_by or '-'}, "
        f"flapping={check.flapping}, value={check.value}}}"
        for check in checks
    )
