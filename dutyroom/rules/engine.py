"""The rule engine: `evaluate(results, now) -> Evaluation`. Pure and deterministic: time is passed in.

For every poll result it updates target health, evaluates the rules that read its samples (thresholds with
hysteresis, `for`, `keep_firing_for`, session-aware severity, capacity headroom) and the reachability rules;
then it marks stale series, works out dependency suppression and retires old resolved alerts. The
`Check` objects it keeps are the alert state; `export_changes` hands the changed ones to the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dutyroom.config.conditions import NotComparable
from dutyroom.config.load import CompiledRule, LoadedConfig
from dutyroom.config.types import CapacityRule, ReachabilityRule, SeriesRuleBase
from dutyroom.model import Event, Labels, MetricValue, PollResult, Sample, State, Transition
from dutyroom.rules import state_codec
from dutyroom.rules.alert import SEVERITY_ORDER, STATE_SEVERITY, AlertPhase, Check, TargetHealth, fingerprint
from dutyroom.rules.capacity import headroom_of, record_peak
from dutyroom.rules.flapping import next_flapping, record_change


@dataclass
class Evaluation:
    """What one evaluation produced."""

    transitions: list[Transition] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Engine:
    """Turns poll results into alert transitions for one configuration."""

    def __init__(self, config: LoadedConfig) -> None:
        self.config = config
        self.checks: dict[str, Check] = {}
        self.health: dict[str, TargetHealth] = {
            target.id: TargetHealth(target=target.id) for target in config.parsed.target
        }
        self._changed_checks: set[str] = set()
        """Fingerprints of checks changed since the last `export_changes`."""
        self._changed_targets: set[str] = set()
        """Ids of targets whose health changed since then."""
        self._forgotten: set[str] = set()
        """Store keys to delete: entries restored that no longer decode or apply."""
        self._latest: dict[tuple[str, str, Labels], MetricValue] = {}
        self._rules_by_metric: dict[str, list[CompiledRule]] = {}
        self._capacity_metrics = {
            rule.spec.capacity_metric
            for rule in config.rules
            if isinstance(rule.spec, CapacityRule) and rule.spec.capacity_metric
        }
        for rule in config.rules:
            if isinstance(rule.spec, SeriesRuleBase):
                self._rules_by_metric.setdefault(rule.spec.metric, []).append(rule)
        self._reachability = [rule for rule in config.rules if isinstance(rule.spec, ReachabilityRule)]
        self._rule_by_id = {rule.id: rule for rule in config.rules}
        self.drill = False

    # ----- persistence (keys and encoding: dutyroom.rules.state_codec)
    def export_all(self) -> dict[str, str]:
        """Every check and target health as the store keeps them, e.g. to carry state into a reloaded config."""
        return state_codec.encode_all(self.checks.values(), self.health.values())

    def export_changes(self) -> tuple[dict[str, str], list[str]]:
        """Checks and target health changed since the last call, as the store keeps them, and keys to forget."""
        upserts = state_codec.encode_all(
            (self.checks[key] for key in sorted(self._changed_checks)),
            (self.health[target] for target in sorted(self._changed_targets)),
        )
        deletes = sorted(self._forgotten - upserts.keys())
        self._changed_checks.clear()
        self._changed_targets.clear()
        self._forgotten.clear()
        return upserts, deletes

    def restore(self, blobs: Mapping[str, str]) -> None:
        """Load state saved by `export_changes`; entries that do not decode, and those of rules or targets no
        longer configured, are dropped and forgotten by the next `export_changes`."""
        stored = state_codec.decode_all(blobs)
        self._forgotten.update(stored.undecodable)
        for health in stored.health.values():
            if health.target in self.health:
                self.health[health.target] = health
            else:
                self._forgotten.add(state_codec.health_key(health.target))
        for key, check in stored.checks.items():
            if check.rule in self._rule_by_id and check.target in self.config.targets_by_id:
                self.checks[key] = check
            else:
                self._forgotten.add(key)

    # ----- evaluation
    def evaluate(self, results: Iterable[PollResult], now: float) -> Evaluation:
        """Apply `results` (possibly none) at time `now`; returns the transitions and events."""
        out = Evaluation()
        phase_kind = self._phase_kind(now)
        for result in results:
            out.events.extend(result.events)
            self._apply_result(result, phase_kind, out)
        self._mark_stale(now, phase_kind, out)
        self._suppress_dependents()
        self._retire_resolved(now, out)
        return out

    def mark_series_stale(self, target: str, metric: str, labels: Labels, now: float) -> Evaluation:
        """A staleness marker (Prometheus's stale NaN): the series ended at `now`, so its checks are STALE now.

        Without a marker a series goes STALE only once its last value is older than the staleness limit.
        """
        out = Evaluation()
        phase_kind = self._phase_kind(now)
        for rule in self._rules_by_metric.get(metric, ()):
            check = self.checks.get(fingerprint(rule.id, target, labels))
            if check is None or check.state is State.STALE or self._explained_by_reachability(target):
                continue
            check.state, check.reason = State.STALE, "the series ended (staleness marker)"
            self._changed_checks.add(check.fingerprint)
            self._advance(rule, check, True, now, phase_kind, out)
        self._suppress_dependents()
        return out

    def _phase_kind(self, now: float) -> str | None:
        calendar = self.config.calendar
        if calendar is None:
            return None
        return calendar.phase_at(datetime.fromtimestamp(now, self.config.timezone)).kind

    def _apply_result(self, result: PollResult, phase_kind: str | None, out: Evaluation) -> None:
        health = self.health.setdefault(result.target, TargetHealth(target=result.target))
        self._changed_targets.add(result.target)
        timing = self.config.timings.get(result.target)
        attempts = timing.attempts if timing else 3
        health.last_result_at = result.at
        if result.ok:
            health.last_ok_at = result.at
            health.consecutive_failures = 0
            health.failure = None
            health.reason = ""
            health.hard_failure_since = 0.0
        else:
            health.consecutive_failures += 1
            health.failure = result.failure
            health.reason = result.reason
            if health.consecutive_failures >= attempts and not health.hard_failure_since:
                health.hard_failure_since = result.at
        for rule in self._reachability:
            if self._rule_applies(rule, result.target, ()):
                hard = bool(health.hard_failure_since)
                state = (result.failure or State.UNREACHABLE) if hard else State.OK
                reason = result.reason if hard else ""
                self._update(
                    rule, result.target, (), state, reason, result.reason or "reachable", "", result.at, phase_kind, out
                )
        for sample in result.samples:
            if sample.metric in self._capacity_metrics:
                self._latest[(sample.target, sample.metric, sample.labels)] = sample.value
        for sample in result.samples:
            for rule in self._rules_by_metric.get(sample.metric, ()):
                if self._rule_applies(rule, sample.target, sample.labels):
                    self._evaluate_sample(rule, sample, phase_kind, out)

    def _rule_applies(self, rule: CompiledRule, target_id: str, labels: Labels) -> bool:
        spec = rule.spec
        if spec.targets and target_id not in spec.targets:
            return False
        if spec.groups:
            target = self.config.target(target_id)
            if target is None or target.group not in spec.groups:
                return False
        if not isinstance(spec, SeriesRuleBase):
            return True
        label_map = dict(labels)
        return all(label_map.get(key) == value for key, value in spec.labels.items())

    def _evaluate_sample(self, rule: CompiledRule, sample: Sample, phase_kind: str | None, out: Evaluation) -> None:
        key = fingerprint(rule.id, sample.target, sample.labels)
        check = self.checks.get(key)
        value: MetricValue = sample.value
        if isinstance(rule.spec, CapacityRule):
            peaks = record_peak(
                check.peaks if check else {}, sample.value, sample.at, self.config.timezone, rule.window_s
            )
            capacity = self._capacity(rule.spec, sample)
            headroom, reason = headroom_of(capacity, peaks, sample.at, self.config.timezone, rule.window_s)
            if headroom is None:
                state, value = State.OK, reason
            else:
                value = round(headroom, 3)
                state, reason = self._threshold_state(rule, value, check, default_warning=rule.spec.factor)
            self._update(
                rule, sample.target, sample.labels, state, reason, value, "x", sample.at, phase_kind, out, peaks=peaks
            )
            return
        state, reason = self._threshold_state(rule, value, check)
        self._update(rule, sample.target, sample.labels, state, reason, value, sample.unit, sample.at, phase_kind, out)

    def _capacity(self, spec: CapacityRule, sample: Sample) -> float | None:
        if spec.capacity is not None:
            return spec.capacity
        latest = self._latest.get((sample.target, spec.capacity_metric, sample.labels))
        if isinstance(latest, int | float):
            return float(latest) * spec.capacity_scale
        return None

    def _threshold_state(
        self, rule: CompiledRule, value: MetricValue, check: Check | None, default_warning: float | None = None
    ) -> tuple[State, str]:
        try:
            if rule.critical is not None and rule.critical.matches(value):
                return State.CRITICAL, f"{_show(value)} {rule.critical.text}"
            if rule.warning is not None and rule.warning.matches(value):
                return State.WARNING, f"{_show(value)} {rule.warning.text}"
            unconfigured = rule.warning is None and rule.critical is None
            if unconfigured and default_warning is not None and isinstance(value, float) and value < default_warning:
                return State.WARNING, f"headroom {value:g}x < {default_warning:g}x"
            active = check is not None and check.phase in (AlertPhase.PENDING, AlertPhase.FIRING)
            if active and rule.clear is not None and not rule.clear.matches(value):
                assert check is not None
                held = State.WARNING if rule.warning is not None else check.state
                if held in (State.WARNING, State.CRITICAL):
                    return held, f"{_show(value)} not yet {rule.clear.text}"
        except NotComparable as error:
            return State.UNKNOWN, str(error)
        return State.OK, ""

    def _update(
        self,
        rule: CompiledRule,
        target: str,
        labels: Labels,
        state: State,
        reason: str,
        value: MetricValue,
        unit: str,
        at: float,
        phase_kind: str | None,
        out: Evaluation,
        peaks: dict[str, float] | None = None,
    ) -> None:
        key = fingerprint(rule.id, target, labels)
        check = self.checks.get(key)
        if check is None:
            check = Check(fingerprint=key, rule=rule.id, target=target, labels=labels)
            self.checks[key] = check
        if rule.when and phase_kind is not None and phase_kind not in rule.when and state is not State.OK:
            state, reason = State.OK, f"not checked during {phase_kind}"
        if peaks is not None:
            check.peaks = peaks
        check.changes = record_change(check.changes, check.state is not state) if check.value_at else check.changes
        was_flapping = check.flapping
        check.flapping = next_flapping(check.flapping, check.changes)
        if check.flapping != was_flapping:
            word = "started" if check.flapping else "stopped"
            out.events.append(Event(at, "flapping", target, f"{rule.id}: flapping {word}", State.WARNING))
        check.state, check.reason, check.value, check.value_at, check.unit = state, reason, value, at, unit
        self._changed_checks.add(key)
        self._advance(rule, check, state is not State.OK, at, phase_kind, out)

    def _advance(
        self, rule: CompiledRule, check: Check, condition: bool, now: float, phase_kind: str | None, out: Evaluation
    ) -> None:
        """Prometheus's alert lifecycle for one evaluation of `check`."""
        before = check.phase
        severity_before = check.severity
        if condition:
            check.last_true_at = now
            check.severity = _severity(rule, check.state, phase_kind)
            if check.phase in (AlertPhase.INACTIVE, AlertPhase.RESOLVED):
                check.phase, check.active_since, check.resolved_at = AlertPhase.PENDING, now, 0.0
                check.drill = self.drill
            if check.phase is AlertPhase.PENDING and now - check.active_since >= rule.for_s:
                check.phase, check.fired_at = AlertPhase.FIRING, now
        elif check.phase is AlertPhase.PENDING:
            check.phase = AlertPhase.INACTIVE
        elif check.phase is AlertPhase.FIRING and now - check.last_true_at >= rule.keep_firing_for_s:
            check.phase, check.resolved_at = AlertPhase.RESOLVED, now
        if check.phase is not before or (check.firing and check.severity != severity_before):
            notify = not check.flapping and (
                check.phase is AlertPhase.RESOLVED
                or (
                    check.firing
                    and (
                        before is not AlertPhase.FIRING
                        or SEVERITY_ORDER[check.severity] > SEVERITY_ORDER[severity_before]
                    )
                )
            )
            out.transitions.append(_transition(check, before, now, notify))

    def _mark_stale(self, now: float, phase_kind: str | None, out: Evaluation) -> None:
        for check in list(self.checks.values()):
            rule = self._rule_by_id.get(check.rule)
            if rule is None or rule.spec.kind == "reachability" or check.state is State.STALE or not check.value_at:
                continue
            if self._explained_by_reachability(check.target):
                continue
            timing = self.config.timings.get(check.target)
            if timing is not None and now - check.value_at > timing.stale_after_s:
                age = int(now - check.value_at)
                check.state, check.reason = State.STALE, f"no fresh data for {age}s"
                self._changed_checks.add(check.fingerprint)
                self._advance(rule, check, True, now, phase_kind, out)

    def _explained_by_reachability(self, target_id: str) -> bool:
        """A target that is hard-down under a reachability rule: its series going quiet is no news."""
        health = self.health.get(target_id)
        return bool(health and health.hard_failure_since) and any(
            self._rule_applies(rule, target_id, ()) for rule in self._reachability
        )

    def _suppress_dependents(self) -> None:
        down = self._down_targets()
        for check in self.checks.values():
            if not check.active:
                continue
            cause = self._root_cause(check.target, down)
            if cause != check.suppressed_by:
                check.suppressed_by = cause
                self._changed_checks.add(check.fingerprint)

    def _down_targets(self) -> set[str]:
        down = {target for target, health in self.health.items() if health.hard_failure_since}
        for check in self.checks.values():
            rule = self._rule_by_id.get(check.rule)
            if check.firing and rule is not None and rule.spec.marks_down:
                down.add(check.target)
        return down

    def _root_cause(self, target_id: str, down: set[str]) -> str:
        """The furthest-up failed ancestor of `target_id`, or '' when none is down."""
        cause = ""
        frontier = list(self._parents(target_id))
        seen: set[str] = set()
        while frontier:
            parent = frontier.pop(0)
            if parent in seen:
                continue
            seen.add(parent)
            if parent in down:
                cause = parent
            frontier.extend(self._parents(parent))
        return cause

    def _parents(self, target_id: str) -> Sequence[str]:
        target = self.config.target(target_id)
        return target.depends_on if target else ()

    def _retire_resolved(self, now: float, out: Evaluation) -> None:
        keep_for = self.config.resolved_visible_for_s
        for check in self.checks.values():
            if check.phase is AlertPhase.RESOLVED and now - check.resolved_at >= keep_for:
                check.phase = AlertPhase.INACTIVE
                self._changed_checks.add(check.fingerprint)


def _severity(rule: CompiledRule, state: State, phase_kind: str | None) -> str:
    base = STATE_SEVERITY[state]
    cap = rule.spec.severity.get(phase_kind or "")
    if cap is not None and SEVERITY_ORDER[cap] < SEVERITY_ORDER[base]:
        return cap
    return base


def _transition(check: Check, before: AlertPhase, now: float, notify: bool) -> Transition:
    return Transition(
        at=now,
        fingerprint=check.fingerprint,
        rule=check.rule,
        target=check.target,
        labels=check.labels,
        before=before,
        after=check.phase,
        state=check.state,
        severity=check.severity,
        value=_show(check.value),
        reason=check.reason,
        notify=notify and not check.suppressed_by,
        suppressed_by=check.suppressed_by,
        flapping=check.flapping,
        drill=check.drill,
    )


def _show(value: MetricValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
