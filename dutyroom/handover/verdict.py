"""The handover's one-line verdict: whether the next shift inherits anything, said before any section is read.

It counts what is still open: alerts (critical first, and how many nobody acknowledged), playbook runs not yet
closed and their steps awaiting a second operator, and the deadlines MISSED in runs of the shift. "All clear"
only when no alert and no run is open; a deadline missed in a run closed this shift is still said. Drills
never count. "Unacknowledged" counts what the console's status line counts (`AlertView.needs_human`): an alert
silenced or suppressed by its parent is not waiting for anyone, and is counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.handover.alerts import resolved_in_shift
from dutyroom.handover.context import HandoverContext
from dutyroom.handover.runs import run_summary
from dutyroom.playbooks.progress import DeadlineState
from dutyroom.playbooks.run_state import StepStatus
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView


@dataclass(frozen=True, slots=True)
class RunWork:
    """Playbook work of the shift (drills left out) as the verdict counts it."""

    touched: int
    """Runs open during the shift or closed in it."""
    open: int
    awaiting: int
    """Steps of open runs ticked by one operator and waiting for a second."""
    missed: int
    """Deadlines MISSED in runs of the shift, open or closed."""


def run_work(ctx: HandoverContext) -> RunWork:
    touched = [run for run in ctx.history.runs_touched() if not run.drill]
    still_open = [run for run in touched if run.is_open]
    awaiting = sum(1 for run in still_open for step in run.steps if step.status is StepStatus.AWAITING_CONFIRMATION)
    missed = 0
    for run in touched:
        found = run_summary(ctx, run)
        if found is not None:
            missed += sum(1 for status in found.deadlines if status.state is DeadlineState.MISSED)
    return RunWork(len(touched), len(still_open), awaiting, missed)


def verdict(ctx: HandoverContext) -> str:
    words = ctx.words
    alerts = _open_alerts(ctx)
    work = run_work(ctx)
    parts = []
    if alerts or work.open:
        parts.append(alerts or words("verdict.no_alerts"))
        if work.open:
            parts.append(words("verdict.runs", n=work.open, s=words.plural(work.open)))
    else:
        resolved = len(resolved_in_shift(ctx))
        if resolved:
            parts.append(words("verdict.clear", n=resolved, s=words.plural(resolved)))
        elif work.touched:
            parts.append(words("verdict.all_clear"))
        else:
            return words("verdict.quiet")
    if work.missed:
        parts.append(words("verdict.missed", n=work.missed, s=words.plural(work.missed)))
    if work.awaiting:
        parts.append(words("verdict.awaiting", n=work.awaiting, s=words.plural(work.awaiting)))
    return words("separator").join(parts)


def _open_alerts(ctx: HandoverContext) -> str:
    """Firing alerts, critical first, or "" when none is firing."""
    firing = [alert for alert in ctx.alerts if alert.phase is AlertPhase.FIRING and not alert.drill]
    critical = [alert for alert in firing if alert.severity == "critical"]
    others = [alert for alert in firing if alert.severity != "critical"]
    words = ctx.words
    if critical:
        text = words("verdict.critical", n=len(critical), s=words.plural(len(critical)), u=_unacked(critical))
        if others:
            text += words("verdict.and_warnings", n=len(others), s=words.plural(len(others)))
    elif others:
        text = words("verdict.warning", n=len(others), s=words.plural(len(others)), u=_unacked(others))
    else:
        return ""
    held = sum(1 for alert in firing if alert.ack is None and (alert.silenced_by or alert.suppressed_by))
    return text + (words("separator") + words("verdict.held", n=held) if held else "")


def _unacked(alerts: list[AlertView]) -> int:
    """Firing, not acknowledged, not silenced, not suppressed: the console's 'not acknowledged'."""
    return sum(1 for alert in alerts if alert.needs_human)
