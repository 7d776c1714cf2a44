"""`dutyroom test-rules`: rule unit tests, like `promtool test rules`.

A test file (TOML) names a checks.toml, a start time and a step, gives input series per target and metric,
and lists the alerts expected at given offsets:

    config = "checks.toml"                 # relative to this file
    start = "2026-11-23T09:30:00+08:00"    # aware ISO time; the engine never reads the clock
    step = "10s"                           # one value per step in each series

    [[series]]
    target = "ups-a"
    metric = "ups.runtime_min"
    labels = {}                            # optional
    values = "30 25 18x3 9 _ 26"           # 18x3 = three 18s; 10+5x2 = 10 15 20; _ = no sample;
                                           # fail = the poll failed (UNREACHABLE); a word is a text value

    [[expect]]
    at = "40s"                             # offset from start (a multiple of step, or any time: evaluated then)
    alerts = [{ rule = "ups-runtime-low", target = "ups-a", phase = "firing", severity = "warning" }]

At each `at`, the pending and firing alerts must be exactly those listed (resolved ones too when an expected
alert says `phase = "resolved"`); keys left out of an expected alert are not compared. Available keys:
rule, target, labels, phase, state, severity, suppressed_by, flapping, value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import msgspec

from dutyroom.config.durations import parse_duration
from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError, ProblemCollector
from dutyroom.config.typed_toml import convert_table, read_toml_file
from dutyroom.model import MetricValue, PollResult, Sample, State, make_labels
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.rules.engine import Engine

_EXPAND = re.compile(r"^(-?\d+(?:\.\d+)?)(?:([+-])(\d+(?:\.\d+)?))?x(\d+)$")
FAIL = "fail"
SKIP = "_"


class SeriesSpec(msgspec.Struct, forbid_unknown_fields=True):
    target: str
    values: str
    metric: str = ""
    labels: dict[str, str] = {}
    unit: str = ""


class ExpectedAlert(msgspec.Struct, forbid_unknown_fields=True):
    rule: str
    target: str
    labels: dict[str, str] | None = None
    phase: str | None = None
    state: str | None = None
    severity: str | None = None
    suppressed_by: str | None = None
    flapping: bool | None = None
    value: str | None = None


class Expectation(msgspec.Struct, forbid_unknown_fields=True):
    at: str
    alerts: list[ExpectedAlert] = []


class RuleTestFile(msgspec.Struct, forbid_unknown_fields=True):
    config: str
    start: str
    step: str = "10s"
    name: str = ""
    series: list[SeriesSpec] = []
    expect: list[Expectation] = []


@dataclass
class RuleTestResult:
    path: Path
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def expand_values(text: str) -> list[MetricValue | None]:
    """Expand a values string; None stands for a missing sample, FAIL for a failed poll."""
    out: list[MetricValue | None] = []
    for token in text.split():
        match = _EXPAND.match(token)
        if match:
            base, sign, delta, count = match.groups()
            step = float(delta or 0) * (-1 if sign == "-" else 1)
            out.extend(float(base) + step * index for index in range(int(count) + (1 if delta else 0)))
        elif token == SKIP:
            out.append(None)
        else:
            try:
                out.append(float(token))
            except ValueError:
                out.append(token)
    return out


def load_rule_test(path: Path) -> RuleTestFile:
    problems = ProblemCollector(str(path))
    data = read_toml_file(path, problems)
    spec = convert_table(data, RuleTestFile, (), problems) if data is not None else None
    problems.raise_if_any()
    assert spec is not None
    return spec


def run_rule_test(path: Path) -> RuleTestResult:
    """Run one rule test file; config problems and mismatches are reported as failures."""
    result = RuleTestResult(path, path.stem)
    try:
        spec = load_rule_test(path)
        config = load_config((path.parent / spec.config).resolve())
    except ConfigError as error:
        result.failures.extend(str(problem) for problem in error.problems)
        return result
    result.name = spec.name or path.stem
    engine = Engine(config)
    start = datetime.fromisoformat(spec.start).timestamp()
    step = parse_duration(spec.step)
    series = [(item, expand_values(item.values)) for item in spec.series]
    checkpoints = sorted(((start + parse_duration(item.at), item) for item in spec.expect), key=lambda pair: pair[0])
    steps = max((len(values) for _, values in series), default=0)
    times = sorted({start + index * step for index in range(steps)} | {at for at, _ in checkpoints})
    for now in times:
        index = round((now - start) / step)
        on_step = abs(start + index * step - now) < 1e-6 and index < steps
        engine.evaluate(_results_at(series, index, now) if on_step else [], now)
        for at, expectation in checkpoints:
            if at == now:
                result.failures.extend(_compare(expectation, engine.checks.values()))
    return result


def _results_at(
    series: Sequence[tuple[SeriesSpec, list[MetricValue | None]]], index: int, now: float
) -> list[PollResult]:
    samples: dict[str, list[Sample]] = {}
    failed: set[str] = set()
    for item, values in series:
        if index >= len(values) or values[index] is None:
            continue
        value = values[index]
        if value == FAIL:
            failed.add(item.target)
            continue
        assert value is not None
        samples.setdefault(item.target, [])
        if item.metric:
            samples[item.target].append(
                Sample(item.target, item.metric, value, now, make_labels(item.labels), item.unit)
            )
    results = [
        PollResult(target, now, failure=State.UNREACHABLE, reason="no reply (test)") for target in sorted(failed)
    ]
    results += [
        PollResult(target, now, tuple(items)) for target, items in sorted(samples.items()) if target not in failed
    ]
    return results


def _compare(expectation: Expectation, checks: Sequence[Check] | object) -> list[str]:
    assert isinstance(checks, Sequence) or hasattr(checks, "__iter__")
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
