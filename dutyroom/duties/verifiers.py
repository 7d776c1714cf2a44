"""Steps the machine can check: a `[[duty.check]]` judged against the live state, with the values it saw.

A verifier holds only on evidence: a target in scope that was never heard from, or whose data went stale,
fails it ("no data" is not "up"), and so does a metric with no series. What it saw is kept as one line, for
the run's note "verified by dutyroom at 08:16: ...".
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.config.duty_check import CompiledDutyCheck
from dutyroom.config.load import LoadedConfig
from dutyroom.config.types import TrapTarget
from dutyroom.duties.live import LiveState
from dutyroom.rules.alert import Check

MAX_SEEN = 6
"""How many observations one line keeps before it says '+N more'."""


@dataclass(frozen=True, slots=True)
class Verification:
    """A verifier's judgement: whether it holds, and what it saw (problems first)."""

    step: int
    what: str
    holds: bool
    seen: str


def verify(check: CompiledDutyCheck, config: LoadedConfig, live: LiveState) -> Verification:
    """Judge one step verifier against `live`."""
    spec = check.spec
    scope = _scope(spec.targets, spec.groups, config)
    problems: list[str] = []
    fine: list[str] = []
    for target_id in sorted(scope):
        _judge_target(target_id, config, live, problems, fine)
    firing = [
        item
        for item in live.checks
        if item.firing
        and (not spec.rules or item.rule in spec.rules)
        and (not scope or item.target in scope)
        and (spec.rules or scope)
    ]
    problems += [f"{item.rule} firing on {item.target}" for item in firing]
    if spec.rules and not firing:
        fine.append(f"{', '.join(spec.rules)} not firing")
    if spec.metric and check.condition is not None:
        values = _metric_values(spec.metric, scope, config, live)
        if not values:
            problems.append(f"no value of {spec.metric}")
        for (target_id, labels), value in sorted(values.items()):
            where = target_id + (f"[{labels}]" if labels else "")
            (fine if _meets(check, value) else problems).append(f"{where} {spec.metric}={value}")
    if spec.no_unacknowledged_critical:
        unacked = [
            item
            for item in live.checks
            if item.firing and item.severity == "critical" and item.fingerprint not in live.acknowledged
        ]
        problems += [f"{item.rule} on {item.target} critical, not acknowledged" for item in unacked]
        if not unacked:
            fine.append("no unacknowledged critical")
    return Verification(spec.step, spec.what, not problems, _line(problems or fine))


def _scope(targets: list[str], groups: list[str], config: LoadedConfig) -> set[str]:
    chosen = set(targets)
    chosen |= {target.id for target in config.parsed.target if target.group in groups}
    return chosen


def _judge_target(target_id: str, config: LoadedConfig, live: LiveState, problems: list[str], fine: list[str]) -> None:
    """A polled target must have answered recently and not be failing; a trap-only target cannot be polled."""
    if isinstance(config.target(target_id), TrapTarget):
        return
    health = live.health.get(target_id)
    timing = config.timings.get(target_id)
    if health is None or not health.last_ok_at:
        problems.append(f"{target_id} no data")
    elif health.hard_failure_since or health.failure is not None:
        problems.append(f"{target_id} {health.failure or 'failing'}")
    elif timing is not None and live.now - health.last_ok_at > timing.stale_after_s:
        problems.append(f"{target_id} stale {live.now - health.last_ok_at:.0f}s")
    else:
        fine.append(f"{target_id} up")


def _metric_values(
    metric: str, scope: set[str], config: LoadedConfig, live: LiveState
) -> dict[tuple[str, str], object]:
    """The latest value of each series of `metric` (in scope), as the rules reading that metric last saw it."""
    reads_metric = {rule.id for rule in config.rules if getattr(rule.spec, "metric", "") == metric}
    values: dict[tuple[str, str], object] = {}
    for item in live.checks:
        if item.rule in reads_metric and item.value is not None and (not scope or item.target in scope):
            labels = ",".join(f"{key}={value}" for key, value in item.labels)
            values[(item.target, labels)] = _fresh(item, config, live)
    return values


def _fresh(item: Check, config: LoadedConfig, live: LiveState) -> object:
    timing = config.timings.get(item.target)
    if timing is not None and not item.set_by_trap and live.now - item.value_at > timing.stale_after_s:
        return "stale"
    return item.value


def _meets(check: CompiledDutyCheck, value: object) -> bool:
    if check.condition is None or value == "stale" or not isinstance(value, int | float | str):
        return False
    try:
        return check.condition.matches(value)
    except ValueError:
        return False


def _line(observations: list[str]) -> str:
    shown = observations[:MAX_SEEN]
    more = len(observations) - len(shown)
    return "; ".join(shown) + (f"; +{more} more" if more else "")
