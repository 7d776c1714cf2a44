"""`[[duty]]` beyond its types: times that parse and run forwards, and references that exist.

Kept apart from `load` so that each reference check of a duty sits beside the others; `load` calls
`check_duties` once and keeps what it returns on the `LoadedConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from dutyroom.config.conditions import Condition, ExpressionError, parse_condition
from dutyroom.config.problems import ProblemCollector
from dutyroom.config.toml_positions import KeyPath
from dutyroom.config.types import Config, Duty, DutyCheck, Severity, ThresholdRule

MISSED_METRIC = "duty.missed"
"""The metric the poller feeds for each duty: 1 while today's occasion is missed and unfinished, else 0."""
DUTY_TARGET = "dutyroom"
"""The target a missed-duty alert is on: dutyroom itself (no [[target]] has this id)."""
LATER_PHASES = ("trading", "break", "off-hours")


@dataclass(frozen=True, slots=True)
class CompiledDutyCheck:
    """A step verifier with its condition parsed."""

    spec: DutyCheck
    condition: Condition | None


@dataclass(frozen=True, slots=True)
class CompiledDuty:
    """A duty with its start and due times parsed (local clock times of the site)."""

    spec: Duty
    start: time
    due: time
    checks: tuple[CompiledDutyCheck, ...]

    @property
    def id(self) -> str:
        return self.spec.id


def missed_rule_id(duty_id: str) -> str:
    return f"{duty_id}-missed"


def missed_duty_rule(duty: Duty) -> ThresholdRule:
    """The alert rule of a duty not done by its due time: critical in the pre-open phase, else the duty's
    severity; it links the duty's missed-duty playbook (else its checklist)."""
    capped: dict[str, Severity] = {} if duty.severity == "critical" else dict.fromkeys(LATER_PHASES, duty.severity)
    return ThresholdRule(
        id=missed_rule_id(duty.id),
        metric=MISSED_METRIC,
        labels={"duty": duty.id},
        critical="== 1",
        severity=capped,
        summary=f"Duty {duty.id} not done by {duty.due} ({duty.playbook})",
        summary_zh=f"值守 {duty.id} 未在 {duty.due} 前完成（{duty.playbook}）",
        playbook=duty.missed_playbook or duty.playbook,
    )


def check_duties(config: Config, problems: ProblemCollector) -> tuple[CompiledDuty, ...]:
    """Every duty that is sound; each problem is reported at its key."""
    compiled: list[CompiledDuty] = []
    seen: dict[str, int] = {}
    rule_ids = {rule.id for rule in config.rule}
    for index, target in enumerate(config.target):
        if config.duty and target.id == DUTY_TARGET:
            problems.at(
                ("target", index, "id"), f"target id '{DUTY_TARGET}' is kept for missed-duty alerts", value=True
            )
    for index, duty in enumerate(config.duty):
        path: KeyPath = ("duty", index)
        if missed_rule_id(duty.id) in rule_ids:
            problems.at((*path, "id"), f"rule id '{missed_rule_id(duty.id)}' is taken by this duty's missed alert")
        if duty.id in seen:
            first = problems.positions.locate(("duty", seen[duty.id], "id"))
            problems.at((*path, "id"), f"duplicate duty id '{duty.id}' (first defined at line {first[0]})")
        seen.setdefault(duty.id, index)
        item = _duty(config, duty, path, problems)
        if item is not None:
            compiled.append(item)
    return tuple(compiled)


def _duty(config: Config, duty: Duty, path: KeyPath, problems: ProblemCollector) -> CompiledDuty | None:
    start = _clock(duty.start, (*path, "start"), problems)
    due = _clock(duty.due, (*path, "due"), problems)
    if start is not None and due is not None and due <= start:
        problems.at((*path, "due"), f"duty '{duty.id}': due {duty.due} must be after start {duty.start}", value=True)
        due = None
    checks = [_check(config, duty, check, (*path, "check", index), problems) for index, check in enumerate(duty.check)]
    steps = [check.step for check in duty.check]
    for index, step in enumerate(steps):
        if step in steps[:index]:
            problems.at((*path, "check", index, "step"), f"duty '{duty.id}': step {step} is verified twice")
    if start is None or due is None or any(check is None for check in checks):
        return None
    return CompiledDuty(duty, start, due, tuple(check for check in checks if check is not None))


def _clock(text: str, path: KeyPath, problems: ProblemCollector) -> time | None:
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or len(text) != 5 or parsed.second:
        problems.at(path, f"bad time '{text}' (use HH:MM, local time)", value=True)
        return None
    return parsed


def _check(
    config: Config, duty: Duty, check: DutyCheck, path: KeyPath, problems: ProblemCollector
) -> CompiledDutyCheck | None:
    sound = True
    known = {
        "rules": {rule.id for rule in config.rule},
        "targets": {target.id for target in config.target},
        "groups": set(config.groups) | {target.group for target in config.target},
    }
    for key, names in known.items():
        for name in getattr(check, key):
            if name not in names:
                problems.at((*path, key), f"duty '{duty.id}' step {check.step}: unknown {key[:-1]} '{name}'")
                sound = False
    condition: Condition | None = None
    if bool(check.metric) != bool(check.condition):
        where = (*path, "metric" if check.metric else "condition")
        problems.at(where, f"duty '{duty.id}' step {check.step}: 'metric' and 'condition' go together")
        sound = False
    elif check.condition:
        try:
            condition = parse_condition(check.condition)
        except ExpressionError as error:
            problems.at((*path, "condition"), str(error), value=True)
            sound = False
    scoped = check.rules or check.targets or check.groups or check.metric or check.no_unacknowledged_critical
    if not scoped:
        problems.at((*path, "step"), f"duty '{duty.id}' step {check.step}: names nothing to verify")
        sound = False
    return CompiledDutyCheck(check, condition) if sound else None
