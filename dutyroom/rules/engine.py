"""The rule engine: `evaluate(results, now) -> Evaluation`. Pure and deterministic: time is passed in.

One evaluation, in order: note any gap in the watch (`staleness`); record each target's health; work out
who is cut off by a down parent or waits on one being checked (`dependencies`); evaluate reachability and
every rule that reads the new samples (`thresholds`, `capacity`, `sessions`, each alert moved through its
`lifecycle`); judge the silence of series that got nothing (staleness, trap holds); settle suppression and
release alerts whose parent is now known; retire old resolved alerts. The `Check` objects it keeps are the
alert state; `export_changes` hands the changed ones to the store (`state_codec`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from dutyroom.config.durations import format_duration
from dutyroom.config.load import CompiledRule, LoadedConfig
from dutyroom.config.types import CapacityRule, ReachabilityRule, SeriesRuleBase, parent_groups
from dutyroom.model import Event, Labels, MetricValue, PollResult, Sample, State, Transition
from dutyroom.rules import lifecycle, state_codec
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth, fingerprint
from dutyroom.rules.capacity import headroom_of, record_peak
from dutyroom.rules.dependencies import NOTHING_DOWN, DependencyGraph, DependencyView
from dutyroom.rules.flapping import next_flapping, record_change
from dutyroom.rules.health import being_checked, hard_down, record_result
from dutyroom.rules.sessions import gate, severity_for
from dutyroom.rules.staleness import ListeningClock
from dutyroom.rules.thresholds import threshold_state
from dutyroom.rules.traps import came_by_trap, hold_for


@dataclass
class Evaluation:
    """What one evaluation produced."""

    transitions: list[Transition] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class _Reading(NamedTuple):
    """One new value for one check, with what the engine needs to judge it."""

    state: State
    reason: str
    value: MetricValue
    unit: str
    at: float
    set_by_trap: bool = False
    peaks: dict[str, float] | None = None
    annotations: Labels = ()


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
        self._marks_down = {rule.id for rule in config.rules if rule.spec.marks_down}
        self._graph = DependencyGraph({target.id: parent_groups(target.depends_on) for target in config.parsed.target})
        self._was_down: frozenset[str] = frozenset()
        self._recovered_at: dict[str, float] = {}
        """A parent that came back -> when: it still explains its dependents until each has been polled since."""
        self._clock = ListeningClock(
            min((timing.stale_after_s for timing in config.timings.values()), default=math.inf)
        )
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
        longer configured, are dropped and forgotten by the next `export_changes`. The newest time in it is
        when the engine last listened: a first evaluation much later is a gap (see `staleness`)."""
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
        heard = [health.last_result_at for health in self.health.values()]
        heard += [check.value_at for check in self.checks.values()]
        self._clock.resume_after(max(heard, default=0.0))

    # ----- evaluation
    def evaluate(self, results: Iterable[PollResult], now: float) -> Evaluation:
        """Apply `results` (possibly none) at time `now`; returns the transitions and events."""
        out = Evaluation()
        batch = list(results)
        gap = self._clock.observe(now)
        if gap:
            message = f"nothing evaluated for {format_duration(gap)}: old data fires nothing, fresh polls decide"
            out.events.append(Event(now, "watch-resumed", "dutyroom", message))
        phase_kind = self._phase_kind(now)
        for result in batch:
            out.events.extend(result.events)
            self._record_health(result)
        view = self._dependency_view(now)
        for target_id, result in {result.target: result for result in batch}.items():
            self._evaluate_reachability(target_id, result, phase_kind, view, out)
        for result in batch:
            self._evaluate_samples(result, phase_kind, view, out)
        self._judge_silence(now, phase_kind, view, out)
        self._settle_dependents(now, phase_kind, self._dependency_view(now), out)
        self._retire_resolved(now)
        return out

    def mark_series_stale(self, target: str, metric: str, labels: Labels, now: float) -> Evaluation:
        """A staleness marker (Prometheus's stale NaN): the series ended at `now`, so its checks are STALE now.

        Without a marker a series goes STALE only once its last value is older than the staleness limit.
        """
        out = Evaluation()
        phase_kind = self._phase_kind(now)
        view = self._dependency_view(now)
        for rule in self._rules_by_metric.get(metric, ()):
            check = self.checks.get(fingerprint(rule.id, target, labels))
            if check is None or check.state is State.STALE or self._failing(target):
                continue
            check.set_by_trap = False
            state, reason = gate(rule, State.STALE, "the series ended (staleness marker)", phase_kind)
            self._set_quiet(check, state, reason)
            if state is State.STALE or _still_on(check):
                self._advance(rule, check, state is State.STALE, now, phase_kind, view, out)
        self._settle_dependents(now, phase_kind, self._dependency_view(now), out)
        return out

    def _phase_kind(self, now: float) -> str | None:
        calendar = self.config.calendar
        if calendar is None:
            return None
        return calendar.phase_at(datetime.fromtimestamp(now, self.config.timezone)).kind

    def _record_health(self, result: PollResult) -> None:
        health = self.health.setdefault(result.target, TargetHealth(target=result.target))
        record_result(health, result, self.config.timings.get(result.target))
        self._changed_targets.add(result.target)

    def _evaluate_reachability(
        self, target_id: str, result: PollResult, phase_kind: str | None, view: DependencyView, out: Evaluation
    ) -> None:
        hard = bool(self.health[target_id].hard_failure_since)
        state = (result.failure or State.UNREACHABLE) if hard else State.OK
        reading = _Reading(state, result.reason if hard else "", result.reason or "reachable", "", result.at)
        for rule in self._reachability:
            if self._rule_applies(rule, target_id, ()):
                self._update(rule, fingerprint(rule.id, target_id, ()), target_id, (), reading, phase_kind, view, out)

    def _evaluate_samples(
        self, result: PollResult, phase_kind: str | None, view: DependencyView, out: Evaluation
    ) -> None:
        by_trap = came_by_trap(result, self.config.target(result.target))
        for sample in result.samples:
            if sample.metric in self._capacity_metrics:
                self._latest[(sample.target, sample.metric, sample.labels)] = sample.value
        for sample in result.samples:
            for rule in self._rules_by_metric.get(sample.metric, ()):
                if self._rule_applies(rule, sample.target, sample.labels):
                    key = fingerprint(rule.id, sample.target, sample.labels)
                    reading = self._read(rule, sample, self.checks.get(key), by_trap)
                    self._update(rule, key, sample.target, sample.labels, reading, phase_kind, view, out)

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

    def _read(self, rule: CompiledRule, sample: Sample, check: Check | None, by_trap: bool) -> _Reading:
        """What `sample` says for `rule`, given the check's current alert (for hysteresis and capacity peaks)."""
        if not isinstance(rule.spec, CapacityRule):
            state, reason = threshold_state(rule, sample.value, check)
            return _Reading(
                state, reason, sample.value, sample.unit, sample.at, by_trap, annotations=sample.annotations
            )
        peaks = record_peak(check.peaks if check else {}, sample.value, sample.at, self.config.timezone, rule.window_s)
        headroom, reason = headroom_of(
            self._capacity(rule.spec, sample), peaks, sample.at, self.config.timezone, rule.window_s
        )
        if headroom is None:
            return _Reading(State.OK, reason, reason, "x", sample.at, by_trap, peaks)
        value = round(headroom, 3)
        state, reason = threshold_state(rule, value, check, default_warning=rule.spec.factor)
        return _Reading(state, reason, value, "x", sample.at, by_trap, peaks)

    def _capacity(self, spec: CapacityRule, sample: Sample) -> float | None:
        if spec.capacity is not None:
            return spec.capacity
        latest = self._latest.get((sample.target, spec.capacity_metric, sample.labels))
        if isinstance(latest, int | float):
            return float(latest) * spec.capacity_scale
        return None

    def _update(
        self,
        rule: CompiledRule,
        key: str,
        target: str,
        labels: Labels,
        reading: _Reading,
        phase_kind: str | None,
        view: DependencyView,
        out: Evaluation,
    ) -> None:
        check = self.checks.get(key)
        if check is None:
            check = Check(fingerprint=key, rule=rule.id, target=target, labels=labels)
            self.checks[key] = check
        state, reason = gate(rule, reading.state, reading.reason, phase_kind)
        if reading.peaks is not None:
            check.peaks = reading.peaks
        check.changes = record_change(check.changes, check.state is not state) if check.value_at else check.changes
        was_flapping = check.flapping
        check.flapping = next_flapping(check.flapping, check.changes)
        if check.flapping != was_flapping:
            word = "started" if check.flapping else "stopped"
            out.events.append(Event(reading.at, "flapping", target, f"{rule.id}: flapping {word}", State.WARNING))
        check.state, check.reason, check.value, check.value_at = state, reason, reading.value, reading.at
        check.unit, check.set_by_trap, check.annotations = reading.unit, reading.set_by_trap, reading.annotations
        self._changed_checks.add(key)
        self._advance(rule, check, state is not State.OK, reading.at, phase_kind, view, out)

    def _advance(
        self,
        rule: CompiledRule,
        check: Check,
        condition: bool,
        now: float,
        phase_kind: str | None,
        view: DependencyView,
        out: Evaluation,
    ) -> None:
        """Move `check` through its lifecycle; a phase change (or a firing alert's new severity) is a transition."""
        before = lifecycle.Before.of(check)
        if condition:
            check.severity = severity_for(rule, check.state, phase_kind)
        waits_on = view.checking_parent.get(check.target, "") if condition else ""
        lifecycle.advance(check, condition, now, rule.for_s, rule.keep_firing_for_s, waits_on)
        if before.phase in (AlertPhase.INACTIVE, AlertPhase.RESOLVED) and check.phase is not before.phase:
            check.drill = self.drill
        cause = self._cause(check, view) if check.active else ""
        if before.differs(check) or cause != check.suppressed_by:
            check.suppressed_by = cause
            self._changed_checks.add(check.fingerprint)
        transition = lifecycle.transition(check, before, now)
        if transition is not None:
            out.transitions.append(transition)

    def _judge_silence(self, now: float, phase_kind: str | None, view: DependencyView, out: Evaluation) -> None:
        """Series that got nothing new: a trap-set state holds (until its hold time); a polled one goes STALE
        after the staleness limit of listening, unless its failing target already explains it."""
        for check in list(self.checks.values()):
            rule = self._rule_by_id.get(check.rule)
            if rule is None or rule.spec.kind == "reachability" or not check.value_at:
                continue
            timing = self.config.timings.get(check.target)
            if check.set_by_trap:
                hold = hold_for(rule, timing)
                if hold is not None and now - check.value_at >= hold and _still_on(check):
                    self._set_quiet(check, State.OK, f"no trap for {format_duration(hold)}: hold ended")
                    self._advance(rule, check, False, now, phase_kind, view, out)
                continue
            if timing is None or self._clock.silent_for(check.value_at, now) <= timing.stale_after_s:
                continue
            if self._failing(check.target):
                continue
            state, reason = gate(rule, State.STALE, f"no fresh data for {int(now - check.value_at)}s", phase_kind)
            self._set_quiet(check, state, reason)
            if state is State.STALE or _still_on(check):
                self._advance(rule, check, state is State.STALE, now, phase_kind, view, out)

    def _set_quiet(self, check: Check, state: State, reason: str) -> None:
        """A state that silence gave the check (kept with the reason it first got, so it is written once)."""
        if check.state is not state:
            check.state, check.reason = state, reason
            self._changed_checks.add(check.fingerprint)

    def _failing(self, target_id: str) -> bool:
        """A target with failed polls under a reachability rule: its failures explain why its series are quiet."""
        health = self.health.get(target_id)
        return bool(health and health.consecutive_failures) and any(
            self._rule_applies(rule, target_id, ()) for rule in self._reachability
        )

    def _cause(self, check: Check, view: DependencyView) -> str:
        """What explains an active alert: a down parent, or for a STALE series its own failing target."""
        cause = view.suppressed_by.get(check.target, "")
        if not cause and check.state is State.STALE and self._failing(check.target):
            return check.target
        return cause

    def _dependency_view(self, now: float) -> DependencyView:
        if self._graph.empty:
            return NOTHING_DOWN
        down = hard_down(self.health)
        if self._marks_down:
            marked = (check for check in self.checks.values() if check.firing and check.rule in self._marks_down)
            down.update(check.target for check in marked)
        down |= self._recovering(down, now)
        return self._graph.view(down, being_checked(self.health, self.config.timings, now) - down)

    def _recovering(self, down: set[str], now: float) -> set[str]:
        """Parents back up whose dependents have not been polled since: they still explain them.

        A UPS's output returns a poll or two before the switch behind it answers again; without this grace the
        switch's alert would stop being explained for that moment and page on its own (one root cause, two
        pages). A dependent still failing at its first poll after the parent came back is its own problem. The
        grace ends there, or after the dependent's staleness limit, whichever comes first.
        """
        for target in self._was_down - down:
            self._recovered_at[target] = now
        self._was_down = frozenset(down)
        recovering: set[str] = set()
        for parent, since in list(self._recovered_at.items()):
            if parent in down or not self._dependents_behind(parent, since, now):
                del self._recovered_at[parent]
            else:
                recovering.add(parent)
        return recovering

    def _dependents_behind(self, parent: str, since: float, now: float) -> bool:
        for target in self._graph.dependents(parent):
            health, timing = self.health.get(target), self.config.timings.get(target)
            if health is None or timing is None or now - since > timing.stale_after_s:
                continue
            if health.consecutive_failures and health.last_result_at < since:
                return True
        return False

    def _settle_dependents(self, now: float, phase_kind: str | None, view: DependencyView, out: Evaluation) -> None:
        """Suppression as it stands after the whole batch; an alert that waited on a parent now known fires."""
        for check in self.checks.values():
            if not check.active:
                continue
            rule = self._rule_by_id.get(check.rule)
            if check.checking_parent and rule is not None:
                if view.checking_parent.get(check.target, "") != check.checking_parent:
                    self._advance(rule, check, True, now, phase_kind, view, out)
                continue
            cause = self._cause(check, view)
            if cause != check.suppressed_by:
                check.suppressed_by = cause
                self._changed_checks.add(check.fingerprint)

    def _retire_resolved(self, now: float) -> None:
        keep_for = self.config.resolved_visible_for_s
        for check in self.checks.values():
            if check.phase is AlertPhase.RESOLVED and now - check.resolved_at >= keep_for:
                check.phase = AlertPhase.INACTIVE
                self._changed_checks.add(check.fingerprint)


def _still_on(check: Check) -> bool:
    """Pending or firing (kept firing included): an alert that a false condition must still move on."""
    return check.phase in (AlertPhase.PENDING, AlertPhase.FIRING)
