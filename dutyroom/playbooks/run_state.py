"""The state of playbook runs: frozen values rebuilt from the action log by `dutyroom.playbooks.runs`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from dutyroom.model import Identity


def person_of(identity: Identity) -> str:
    """The human behind an identity: the kernel-verified user (SUDO_USER is reported context, never a person)."""
    return identity.user


class StepStatus(StrEnum):
    OPEN = "open"
    AWAITING_CONFIRMATION = "awaiting-confirmation"
    """A two-person step ticked by one operator, waiting for a second."""
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Mark:
    """Who ticked or confirmed a step, and when."""

    actor: Identity
    at: float


@dataclass(frozen=True, slots=True)
class Skip:
    actor: Identity
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Note:
    actor: Identity
    at: float
    text: str
    step: int = 0
    """The step it is about; 0 for the run as a whole."""


@dataclass(frozen=True, slots=True)
class StepState:
    """One step of a run; a two-person step is done only once a different operator confirmed the tick."""

    number: int
    two_person: bool = False
    ticked: Mark | None = None
    confirmed: Mark | None = None
    skipped: Skip | None = None

    @property
    def done(self) -> bool:
        return self.ticked is not None and (not self.two_person or self.confirmed is not None)

    @property
    def done_at(self) -> float | None:
        if not self.done:
            return None
        last = self.confirmed if self.two_person else self.ticked
        return last.at if last is not None else None

    @property
    def status(self) -> StepStatus:
        if self.skipped is not None:
            return StepStatus.SKIPPED
        if self.done:
            return StepStatus.DONE
        return StepStatus.AWAITING_CONFIRMATION if self.ticked is not None else StepStatus.OPEN

    @property
    def done_by(self) -> tuple[Identity, ...]:
        """Who ticked it, then who confirmed it (for a two-person step)."""
        return tuple(mark.actor for mark in (self.ticked, self.confirmed) if mark is not None)


@dataclass(frozen=True, slots=True)
class JoinedAlert:
    """An alert that started or joined a run."""

    incident_key: str
    rule_id: str
    target: str
    at: float


@dataclass(frozen=True, slots=True)
class PlaybookRun:
    """One working-through of one playbook for one incident (or by hand, e.g. the pre-open checklist)."""

    run_id: str
    playbook_id: str
    incident_key: str
    """Fingerprint of the alert that started it; "" for a run started by hand."""
    started_at: float
    started_by: Identity
    drill: bool
    steps: tuple[StepState, ...]
    alert_started_at: float
    """When the starting alert first fired (the run's start for a run started by hand)."""
    join_scope: str = "target"
    sessions: frozenset[str] = frozenset()
    """Session tags true when the alert started (`trading`, `holiday`, ...); empty when unknown."""
    alerts: tuple[JoinedAlert, ...] = ()
    notes: tuple[Note, ...] = ()
    closed_at: float | None = None
    closed_by: Identity | None = None
    close_reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def target(self) -> str:
        return self.alerts[0].target if self.alerts else ""

    @property
    def incident_keys(self) -> frozenset[str]:
        return frozenset(alert.incident_key for alert in self.alerts if alert.incident_key)

    @property
    def last_alert_at(self) -> float:
        return max((alert.at for alert in self.alerts), default=self.started_at)

    @property
    def settled(self) -> bool:
        """Every step done or skipped: the run can be closed."""
        return all(step.status in (StepStatus.DONE, StepStatus.SKIPPED) for step in self.steps)

    def step(self, number: int) -> StepState | None:
        return self.steps[number - 1] if 1 <= number <= len(self.steps) else None

    def notes_for(self, step: int) -> tuple[Note, ...]:
        return tuple(note for note in self.notes if note.step == step)

    def with_step(self, state: StepState) -> PlaybookRun:
        steps = list(self.steps)
        steps[state.number - 1] = state
        return replace(self, steps=tuple(steps))
