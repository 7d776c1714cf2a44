"""Frozen snapshots for the console and the command line: alerts with their operator overlay, the site overview.

Built from the engine's checks and target health plus the operator state; the console renders them, the CLI
prints them, and neither needs to know how they were computed. State and severity are shown together, so a
view says when a session cap lowered the severity below what the state alone means, and in which phase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dutyroom.config.load import LoadedConfig
from dutyroom.config.types import Rule, SeriesRuleBase, SnmpTarget, TrapTarget
from dutyroom.model import DESCRIPTION_ANNOTATION, RUNBOOK_LABEL, SUMMARY_ANNOTATION, Labels, MetricValue, State
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.state import Ack, Note, OperatorState, SilenceWindow, silence_from_config
from dutyroom.rules.alert import SEVERITY_ORDER, STATE_SEVERITY, AlertPhase, Check, TargetHealth
from dutyroom.textclean import clean_text


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert as a human sees it."""

    fingerprint: str
    rule: str
    target: str
    target_name: str
    group: str
    labels: Labels
    phase: AlertPhase
    state: State
    severity: str
    """The effective severity: what the state means, lowered by the rule's cap for the session phase."""
    value: MetricValue | None
    value_at: float
    unit: str
    reason: str
    since: float
    fired_at: float
    resolved_at: float
    suppressed_by: str
    flapping: bool
    ack: Ack | None
    silenced_by: str
    notes: tuple[Note, ...]
    escalated: bool
    playbook: str | None
    summary: str
    """One line on the alert: its source's own (an Alertmanager alert's `summary`), else its rule's."""
    drill: bool
    provisional_calendar: bool = False
    """The rule follows the calendar (`when` or per-phase severity) and was last decided on a day no calendar
    file covers: its severity rests on the fail-safe assumption that a weekday is a trading day."""
    capped_from: str = ""
    """The severity the state alone means when a session cap lowered it (`critical`), else ""."""
    capped_in: str = ""
    """The session phase whose cap lowered it (`off-hours`); "" when not capped (or the phase is unknown)."""
    metric: str = ""
    """The metric the rule reads (`ups.on_battery`); "" for reachability."""
    profile: str = ""
    """The SNMP profile of the target ("" for other kinds): with `metric`, where a flag's words are."""
    stale_after_s: float = 0.0
    """The target's staleness limit: a value older than this is shown greyed (0: unknown, never greyed)."""
    description: str = ""
    """The longer text its source gave (an Alertmanager alert's `description`), else ""."""

    def value_stale(self, now: float) -> bool:
        """Whether the value is older than its target's staleness limit at `now` (a STALE state always is)."""
        if self.state is State.STALE:
            return True
        return self.stale_after_s > 0 and self.value_at > 0 and now - self.value_at > self.stale_after_s

    @property
    def shown_severity(self) -> str:
        """The severity that holds now: none ("") for a resolved alert, whose state is OK."""
        return "" if self.phase is AlertPhase.RESOLVED else self.severity

    @property
    def runbook_url(self) -> str:
        """The runbook link its source gave (an Alertmanager alert's annotation), else ""."""
        return dict(self.labels).get(RUNBOOK_LABEL, "")

    @property
    def needs_human(self) -> bool:
        return self.phase is AlertPhase.FIRING and self.ack is None and not self.silenced_by and not self.suppressed_by

    def sort_key(self) -> tuple[int, int, int, int, float]:
        """What needs a human first: unhandled firing, then by severity and state, then oldest."""
        return (
            0 if self.needs_human else 1,
            {AlertPhase.FIRING: 0, AlertPhase.PENDING: 1, AlertPhase.RESOLVED: 2}.get(self.phase, 3),
            -SEVERITY_ORDER.get(self.severity, 0),
            -self.state.rank,
            self.since,
        )


@dataclass(frozen=True, slots=True)
class GroupCount:
    group: str
    label: str
    label_zh: str
    counts: Mapping[State, int]


@dataclass(frozen=True, slots=True)
class CollectorHealth:
    targets: int
    on_time: int
    stale: int
    failing: int


def all_silences(config: LoadedConfig, operator: OperatorState) -> list[SilenceWindow]:
    """Configured and operator silences, less the one-shot windows recorded as lapsed."""
    configured = [silence_from_config(silence, config.timezone) for silence in config.parsed.silence]
    return [window for window in configured + list(operator.silences.values()) if not operator.lapsed(window)]


def session_phase(config: LoadedConfig, now: float) -> str:
    """The calendar's phase kind at `now` (`trading`, `off-hours`, ...), "" without a calendar."""
    calendar = config.calendar
    return calendar.phase_at(datetime.fromtimestamp(now, config.timezone)).kind if calendar is not None else ""


def severity_cap(rule: Rule | None, check: Check, phase_now: str) -> tuple[str, str]:
    """(the state's own severity, the phase whose cap lowered it) when a cap made the check's severity lower
    than its state means; ("", "") otherwise. The phase is the current one when its cap explains the severity."""
    own = STATE_SEVERITY.get(check.state, "")
    if check.phase is AlertPhase.RESOLVED or SEVERITY_ORDER.get(check.severity, 0) >= SEVERITY_ORDER.get(own, 0):
        return "", ""
    phases = [phase for phase, cap in (rule.severity.items() if rule else ()) if cap == check.severity]
    return own, phase_now if phase_now in phases else (phases[0] if phases else "")


def alert_views(config: LoadedConfig, checks: Iterable[Check], operator: OperatorState, now: float) -> list[AlertView]:
    """The active alerts, sorted so that what needs a human comes first."""
    silences = [window for window in all_silences(config, operator) if window.active_at(now, config.timezone)]
    rules = {rule.id: rule.spec for rule in config.rules}
    follows_calendar = {rule.id for rule in config.rules if rule.when or rule.spec.severity}
    provisional = _ProvisionalDays(config)
    language = config.parsed.site.language
    phase_now: str | None = None
    views = []
    for check in checks:
        if not check.active:
            continue
        target = config.target(check.target)
        group = target.group if target else ""
        rule = rules.get(check.rule)
        ack = operator.acks.get(check.fingerprint)
        if ack is not None and not ack.applies(check.active_since, now, check.severity):
            ack = None
        capped_from = capped_in = ""
        if check.severity != STATE_SEVERITY.get(check.state, check.severity):
            phase_now = session_phase(config, now) if phase_now is None else phase_now
            capped_from, capped_in = severity_cap(rule, check, phase_now)
        silenced_by = next((window.id for window in silences if window.matches(check.rule, check.target, group)), "")
        escalated = (
            check.firing
            and check.severity == "critical"
            and ack is None
            and not silenced_by
            and now - check.fired_at >= config.escalate_after_s
        )
        said = dict(check.annotations)
        summary = said.get(SUMMARY_ANNOTATION, "")
        if not summary and rule is not None:
            summary = (rule.summary_zh if language == "zh" and rule.summary_zh else rule.summary) or ""
        views.append(
            AlertView(
                fingerprint=check.fingerprint,
                rule=check.rule,
                target=check.target,
                target_name=(target.name or target.id) if target else check.target,
                group=group,
                labels=check.labels,
                phase=check.phase,
                state=check.state if check.phase is not AlertPhase.RESOLVED else State.OK,
                severity=check.severity,
                value=check.value,
                value_at=check.value_at,
                unit=check.unit,
                reason=check.reason,
                since=check.active_since,
                fired_at=check.fired_at,
                resolved_at=check.resolved_at,
                suppressed_by=check.suppressed_by,
                flapping=check.flapping,
                ack=ack,
                silenced_by=silenced_by,
                notes=tuple(operator.notes.get(check.fingerprint, ())),
                escalated=escalated,
                playbook=rule.playbook if rule else None,
                summary=summary,
                drill=check.drill,
                provisional_calendar=check.rule in follows_calendar and provisional(check.value_at),
                capped_from=capped_from,
                capped_in=capped_in,
                metric=rule.metric if isinstance(rule, SeriesRuleBase) else "",
                profile=target.profile if isinstance(target, SnmpTarget) else "",
                stale_after_s=timing.stale_after_s if (timing := config.timings.get(check.target)) else 0.0,
                description=said.get(DESCRIPTION_ANNOTATION, ""),
            )
        )
    return sorted(views, key=AlertView.sort_key)


class _ProvisionalDays:
    """Whether the day of an epoch time is provisional (no calendar file covers it), remembered per day."""

    def __init__(self, config: LoadedConfig) -> None:
        self._calendar = config.calendar
        self._timezone = config.timezone
        self._days: dict[date, bool] = {}

    def __call__(self, at: float) -> bool:
        if self._calendar is None or not at:
            return False
        day = datetime.fromtimestamp(at, self._timezone).date()
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._calendar.standing(day) == "provisional"
        return known


def target_states(
    config: LoadedConfig, checks: Iterable[Check], health: Mapping[str, TargetHealth]
) -> dict[str, State]:
    """The worst current state per target (OK when nothing is wrong)."""
    states = {target.id: State.OK for target in config.parsed.target}
    for target_id, item in health.items():
        if item.hard_failure_since and item.failure is not None and target_id in states:
            states[target_id] = item.failure
    for check in checks:
        if check.phase is AlertPhase.FIRING and check.target in states and check.state.rank > states[check.target].rank:
            states[check.target] = check.state
    return states


def group_overview(config: LoadedConfig, states: Mapping[str, State]) -> list[GroupCount]:
    """Counts of targets per state for each group, in the configured order."""
    groups = config.parsed.groups
    order = sorted(
        {target.group for target in config.parsed.target},
        key=lambda name: (groups[name].order if name in groups else 999, name),
    )
    overview = []
    for name in order:
        counts: dict[State, int] = {}
        for target in config.parsed.target:
            if target.group == name:
                state = states.get(target.id, State.OK)
                counts[state] = counts.get(state, 0) + 1
        label = groups[name].label if name in groups else name
        label_zh = groups[name].label_zh if name in groups else name
        overview.append(GroupCount(name, label or name, label_zh or label or name, counts))
    return overview


def collector_health(config: LoadedConfig, health: Mapping[str, TargetHealth], now: float) -> CollectorHealth:
    """Targets polled on time, gone stale, or failing."""
    on_time = stale = failing = 0
    for target in config.parsed.target:
        if isinstance(target, TrapTarget):
            continue
        item = health.get(target.id)
        timing = config.timings[target.id]
        if item is None or not item.last_result_at or now - item.last_result_at > timing.stale_after_s:
            stale += 1
        elif item.hard_failure_since:
            failing += 1
        else:
            on_time += 1
    return CollectorHealth(on_time + stale + failing, on_time, stale, failing)


def find_alert(alerts: Sequence[AlertView], selector: str) -> AlertView:
    """An alert by fingerprint (or a unique prefix of one), or by `rule@target`."""
    exact = [alert for alert in alerts if alert.fingerprint == selector]
    if exact:
        return exact[0]
    if "@" in selector:
        rule, _, target = selector.partition("@")
        found = [alert for alert in alerts if alert.rule == rule and alert.target == target]
    else:
        found = [alert for alert in alerts if alert.fingerprint.startswith(selector)] if len(selector) >= 4 else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise ActionRefused(f"no active alert matches '{clean_text(selector, 80)}'")
    raise ActionRefused(f"'{clean_text(selector, 80)}' matches {len(found)} alerts; use the fingerprint")
