"""One alert's lifecycle, as Prometheus runs it: inactive -> pending -> firing -> resolved.

Follows `AlertingRule.Eval` in prometheus/prometheus rules/alerting.go: an alert is pending at the first true
evaluation and firing once `now - active_since >= for`; a pending alert whose condition turns false is dropped;
a firing one is resolved at the first false evaluation, unless `keep_firing_for` is set: then the first false
evaluation starts the count (`KeepFiringSince = ts`) and the alert keeps firing while
`now - keep_firing_since < keep_firing_for`; a true evaluation resets it. One addition: an alert that would
fire while a parent of its target is still being checked stays pending ("checking parent") until the parent
is known (see `dutyroom.rules.dependencies`).
"""

from __future__ import annotations

from typing import NamedTuple

from dutyroom.model import Transition
from dutyroom.rules.alert import SEVERITY_ORDER, AlertPhase, Check
from dutyroom.rules.thresholds import show_value


class Before(NamedTuple):
    """What a check looked like before an evaluation: enough to tell whether it became news (a tuple: made
    for every check evaluated, so it is cheap to make)."""

    phase: AlertPhase
    severity: str
    checking_parent: str
    active_since: float
    keep_firing_since: float

    @classmethod
    def of(cls, check: Check) -> Before:
        return cls(check.phase, check.severity, check.checking_parent, check.active_since, check.keep_firing_since)

    def differs(self, check: Check) -> bool:
        """Whether the lifecycle moved (anything the store must keep)."""
        return (
            self.phase is not check.phase
            or self.severity != check.severity
            or self.checking_parent != check.checking_parent
            or self.active_since != check.active_since
            or self.keep_firing_since != check.keep_firing_since
        )


def advance(
    check: Check, condition: bool, now: float, for_s: float, keep_firing_for_s: float, checking_parent: str = ""
) -> None:
    """One evaluation of `check`'s condition at `now`; `checking_parent` names parents whose failures are not
    yet confirmed (the alert then waits pending instead of firing)."""
    if condition:
        check.keep_firing_since = 0.0
        if check.phase in (AlertPhase.INACTIVE, AlertPhase.RESOLVED):
            check.phase, check.active_since, check.resolved_at = AlertPhase.PENDING, now, 0.0
        if check.phase is AlertPhase.PENDING and now - check.active_since >= for_s:
            check.checking_parent = checking_parent
            if not checking_parent:
                check.phase, check.fired_at = AlertPhase.FIRING, now
        return
    check.checking_parent = ""
    if check.phase is AlertPhase.PENDING:
        check.phase = AlertPhase.INACTIVE
    elif check.phase is AlertPhase.FIRING:
        if not check.keep_firing_since:
            check.keep_firing_since = now
        if now - check.keep_firing_since >= keep_firing_for_s:
            check.phase, check.resolved_at, check.keep_firing_since = AlertPhase.RESOLVED, now, 0.0


def transition(check: Check, before: Before, now: float) -> Transition | None:
    """The transition `check` made since `before`, if any: a phase change, or a firing alert's new severity.

    People are told (`notify`) of a new firing, a rise in severity and a resolution, never while the alert
    flaps or is explained by a down parent."""
    severity_changed = check.firing and check.severity != before.severity
    if check.phase is before.phase and not severity_changed:
        return None
    rose = SEVERITY_ORDER[check.severity] > SEVERITY_ORDER[before.severity]
    news = check.phase is AlertPhase.RESOLVED or (check.firing and (before.phase is not AlertPhase.FIRING or rose))
    return Transition(
        at=now,
        fingerprint=check.fingerprint,
        rule=check.rule,
        target=check.target,
        labels=check.labels,
        before=before.phase,
        after=check.phase,
        state=check.state,
        severity=check.severity,
        value=show_value(check.value),
        reason=check.reason,
        notify=news and not check.flapping and not check.suppressed_by,
        suppressed_by=check.suppressed_by,
        flapping=check.flapping,
        drill=check.drill,
    )
