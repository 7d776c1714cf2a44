"""Where each of a day's duties stands, and the readiness verdict of a running one.

A duty is *scheduled* before its start, *running* from its start until it is done or due, *done* when every
step was done or skipped by the due time, and *missed* once the due time passed without that: a duty finished
late stays missed, for the handover and the report. Its run is the latest run of its checklist started that
day before the due time, whoever started it (the poller at the start time, or a person earlier by hand).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from dutyroom.config.load import LoadedConfig
from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.duties.live import LiveState
from dutyroom.duties.schedule import DutyOccasion, occasions_on
from dutyroom.duties.verifiers import Verification, verify
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import PlaybookRun, StepState, StepStatus

PlaybookLookup = Callable[[str], Playbook | None]


class DutyState(StrEnum):
    SCHEDULED = "scheduled"
    RUNNING = "running"
    DONE = "done"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class Readiness:
    """The verdict: ready when every step is done or skipped and every automated check holds."""

    failing_checks: int
    open_steps: int
    due_at: datetime
    opens_at: datetime | None
    """The trading opening the duty prepares for (09:15 call auction); None when none follows it that day."""

    @property
    def ready(self) -> bool:
        return not self.failing_checks and not self.open_steps

    def describe(self) -> str:
        """English, for files and the command line: 'READY for 09:15' or 'NOT READY: ..., due 09:00'."""
        if self.ready:
            return f"READY for {self.opens_at:%H:%M}" if self.opens_at else "READY"
        parts = []
        if self.failing_checks:
            parts.append(f"{self.failing_checks} automated check{'s' * (self.failing_checks != 1)} failing")
        if self.open_steps:
            parts.append(f"{self.open_steps} step{'s' * (self.open_steps != 1)} open")
        return f"NOT READY: {', '.join(parts)}, due {self.due_at:%H:%M}"


@dataclass(frozen=True)
class DutyStatus:
    occasion: DutyOccasion
    state: DutyState
    run: PlaybookRun | None
    completed_at: float | None
    """When the last step was done or skipped, while every step is; None otherwise."""
    verifications: tuple[Verification, ...]
    readiness: Readiness | None
    """The verdict from the start until the opening it prepares for (that day's), else until the due time."""
    steps: int
    """How many steps its checklist has (0 when the playbook is missing)."""


def day_status(
    config: LoadedConfig,
    calendar: TradingCalendar,
    runs: Mapping[str, PlaybookRun],
    live: LiveState,
    at: datetime,
    find_playbook: PlaybookLookup,
) -> tuple[DutyStatus, ...]:
    """Every duty of `at`'s local day, as it stands at `at`."""
    local = at.astimezone(calendar.zone)
    occasions = occasions_on(config.duties, calendar, local.date())
    return tuple(
        duty_status(occasion, config, calendar, runs.values(), live, at, find_playbook) for occasion in occasions
    )


def duty_status(
    occasion: DutyOccasion,
    config: LoadedConfig,
    calendar: TradingCalendar,
    runs: Iterable[PlaybookRun],
    live: LiveState,
    at: datetime,
    find_playbook: PlaybookLookup,
) -> DutyStatus:
    """One occasion at `at`: its state, its run, its checks and (while it matters) its verdict."""
    run = run_for(occasion, runs)
    playbook = find_playbook(occasion.duty.spec.playbook)
    steps = len(run.steps) if run is not None else len(playbook.steps) if playbook is not None else 0
    completed = completed_at(run)
    due = occasion.due_at.timestamp()
    if completed is not None and completed <= due:
        state = DutyState.DONE
    elif at >= occasion.due_at:
        state = DutyState.MISSED
    elif at >= occasion.starts_at or run is not None:
        state = DutyState.RUNNING
    else:
        state = DutyState.SCHEDULED
    verifications = tuple(verify(check, config, live) for check in occasion.duty.checks)
    opens_at = opening_that_day(occasion, calendar)
    shown = state is not DutyState.SCHEDULED and at < (opens_at or occasion.due_at)
    readiness = _readiness(occasion, run, steps, verifications, opens_at) if shown else None
    return DutyStatus(occasion, state, run, completed, verifications, readiness, steps)


def opening_that_day(occasion: DutyOccasion, calendar: TradingCalendar) -> datetime | None:
    """The trading opening the duty prepares for, when it is on the duty's own day (09:15 for the pre-open
    check); None for a duty with no opening after it that day (the holiday-duty start)."""
    opens_at = calendar.phase_at(occasion.starts_at).next_open
    return opens_at if opens_at is not None and opens_at.date() == occasion.day else None


def run_for(occasion: DutyOccasion, runs: Iterable[PlaybookRun]) -> PlaybookRun | None:
    """The latest run of the duty's checklist started on the occasion's day before it was due."""
    day_start = datetime.combine(occasion.day, time(0), tzinfo=occasion.starts_at.tzinfo).timestamp()
    due = occasion.due_at.timestamp()
    chosen = [
        run
        for run in runs
        if run.playbook_id == occasion.duty.spec.playbook and not run.drill and day_start <= run.started_at < due
    ]
    return max(chosen, key=lambda run: run.started_at, default=None)


def completed_at(run: PlaybookRun | None) -> float | None:
    """When the run's last step was settled, if every step is."""
    if run is None or not run.settled:
        return None
    return max((_settled_at(step) for step in run.steps), default=run.started_at)


def _settled_at(step: StepState) -> float:
    if step.skipped is not None:
        return step.skipped.at
    return step.done_at or 0.0


def _readiness(
    occasion: DutyOccasion,
    run: PlaybookRun | None,
    steps: int,
    verifications: tuple[Verification, ...],
    opens_at: datetime | None,
) -> Readiness:
    automated = {item.step for item in verifications}
    failing = sum(1 for item in verifications if not item.holds)
    settled = {StepStatus.DONE, StepStatus.SKIPPED}
    open_steps = sum(
        1
        for number in range(1, steps + 1)
        if number not in automated and (run is None or (step := run.step(number)) is None or step.status not in settled)
    )
    return Readiness(failing, open_steps, occasion.due_at, opens_at)


def headline(statuses: Iterable[DutyStatus]) -> DutyStatus | None:
    """The duty whose verdict the status line shows: the first one with a verdict (running, or just settled
    or missed before the opening it prepares for)."""
    return next((status for status in statuses if status.readiness is not None), None)
