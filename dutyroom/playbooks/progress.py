"""Where a run stands against its playbook: deadlines (due, remaining, met, missed) and a handover summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dutyroom.model import Identity
from dutyroom.playbooks.model import Deadline, Playbook
from dutyroom.playbooks.run_state import Note, PlaybookRun, StepStatus


class DeadlineState(StrEnum):
    PENDING = "pending"
    MET = "met"
    MISSED = "missed"
    WAIVED = "waived"
    """The step that meets it was skipped (with a recorded reason)."""


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    deadline: Deadline
    due_at: float
    remaining_s: float
    """Seconds from now (or from when it was settled) to the due time; negative when late."""
    state: DeadlineState
    settled_at: float | None = None


def deadline_status(run: PlaybookRun, playbook: Playbook, now: float) -> tuple[DeadlineStatus, ...]:
    """Every deadline of `playbook` that applies to `run`, soonest first.

    A deadline with `during` applies when the run's session tags include one of them, or when the tags are
    unknown (empty): better a deadline shown than one missed. `alert-start` deadlines count from when the
    alert first fired; a deadline is met by its step being done (or by the run closing when it names none).
    """
    statuses = [_status(run, deadline, now) for deadline in playbook.deadlines if _applies(run, deadline)]
    return tuple(sorted(statuses, key=lambda status: (status.due_at, status.deadline.id)))


def _applies(run: PlaybookRun, deadline: Deadline) -> bool:
    return not deadline.during or not run.sessions or bool(run.sessions.intersection(deadline.during))


def _status(run: PlaybookRun, deadline: Deadline, now: float) -> DeadlineStatus:
    base = run.alert_started_at if deadline.start == "alert-start" else run.started_at
    due_at = base + deadline.seconds
    step = run.step(deadline.step) if deadline.step is not None else None
    if step is not None and step.skipped is not None:
        return DeadlineStatus(deadline, due_at, due_at - step.skipped.at, DeadlineState.WAIVED, step.skipped.at)
    settled_at = step.done_at if step is not None else run.closed_at
    if settled_at is not None:
        state = DeadlineState.MET if settled_at <= due_at else DeadlineState.MISSED
        return DeadlineStatus(deadline, due_at, due_at - settled_at, state, settled_at)
    late = now > due_at or not run.is_open
    return DeadlineStatus(deadline, due_at, due_at - now, DeadlineState.MISSED if late else DeadlineState.PENDING)


@dataclass(frozen=True, slots=True)
class StepSummary:
    number: int
    text: str
    two_person: bool
    status: StepStatus
    done_by: tuple[Identity, ...]
    """Who ticked it, then who confirmed it."""
    done_at: float | None
    skipped_by: Identity | None
    skip_reason: str
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run as the handover file and the incident report tell it."""

    run: PlaybookRun
    title: str
    lang: str
    steps: tuple[StepSummary, ...]
    deadlines: tuple[DeadlineStatus, ...]
    notes: tuple[Note, ...]
    """Notes about the run as a whole."""

    def count(self, status: StepStatus) -> int:
        return sum(1 for step in self.steps if step.status is status)

    @property
    def done(self) -> tuple[StepSummary, ...]:
        return tuple(step for step in self.steps if step.status is StepStatus.DONE)

    @property
    def open(self) -> tuple[StepSummary, ...]:
        """Steps not done yet, including two-person steps awaiting their second operator."""
        waiting = (StepStatus.OPEN, StepStatus.AWAITING_CONFIRMATION)
        return tuple(step for step in self.steps if step.status in waiting)

    @property
    def skipped(self) -> tuple[StepSummary, ...]:
        return tuple(step for step in self.steps if step.status is StepStatus.SKIPPED)


def summary(run: PlaybookRun, playbook: Playbook, now: float | None = None) -> RunSummary:
    """Steps done by whom and when, open and skipped, with deadlines as of `now` (default: the run's end)."""
    steps: list[StepSummary] = []
    for state in run.steps:
        step = playbook.step(state.number)
        skipped = state.skipped
        steps.append(
            StepSummary(
                number=state.number,
                text=step.text if step is not None else "",
                two_person=state.two_person,
                status=state.status,
                done_by=state.done_by if state.ticked is not None else (),
                done_at=state.done_at,
                skipped_by=skipped.actor if skipped is not None else None,
                skip_reason=skipped.reason if skipped is not None else "",
                notes=run.notes_for(state.number),
            )
        )
    as_of = now if now is not None else (run.closed_at if run.closed_at is not None else _last_activity(run))
    return RunSummary(
        run,
        playbook.title,
        playbook.lang,
        tuple(steps),
        deadline_status(run, playbook, as_of),
        run.notes_for(0),
    )


def _last_activity(run: PlaybookRun) -> float:
    times = [run.started_at, run.last_alert_at, *(note.at for note in run.notes)]
    for step in run.steps:
        times.extend(mark.at for mark in (step.ticked, step.confirmed, step.skipped) if mark is not None)
    return max(times)
