"""Playbook runs as pure logic: state rebuilt from the ordered log of recorded actions; time is passed in.

Whoever acts asks a `RunBook` to *plan* an action (`plan_tick`, `plan`, ...), which checks it against the current
state and returns a `RunAction` without changing anything; the store commits that action; then `apply_action`
(or `RunBook.apply`) makes it part of the state. `RunBook.replay(actions)` rebuilds the same state after a
restart. Anything with the attributes of `ActionLike` (the store's `ActionRecord` and `StoredAction`) can be
applied. The kinds a run is made of are the `RunChange` types of `dutyroom.actions_model` (run-start, run-join,
run-close, step-note, step, step-confirm, step-undo, step-skip), which document their own fields; `actor`, `at`,
`alert` and `drill` are fields of the record around them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeAlias

from dutyroom.actions_model import (
    RUN_ACTION_KINDS,
    OperatorAction,
    RunChange,
    RunClose,
    RunJoin,
    RunStart,
    StepChange,
    StepConfirm,
    StepNote,
    StepSkip,
    StepTick,
    StepUndo,
    UnreadableAction,
    kind_of,
)
from dutyroom.model import Identity
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.progress import (
    DeadlineState,
    DeadlineStatus,
    RunSummary,
    StepSummary,
    deadline_status,
    summary,
)
from dutyroom.playbooks.run_state import (
    JoinedAlert,
    Mark,
    Note,
    PlaybookRun,
    Skip,
    StepState,
    StepStatus,
    person_of,
)

__all__ = [
    "RUN_ACTION_KINDS",
    "ActionLike",
    "AlertRef",
    "DeadlineState",
    "DeadlineStatus",
    "Mark",
    "Note",
    "PlaybookRun",
    "RunAction",
    "RunBook",
    "RunError",
    "RunSummary",
    "Skip",
    "StepState",
    "StepStatus",
    "StepSummary",
    "apply_action",
    "deadline_status",
    "summary",
]

STEP_TICK, STEP_CONFIRM, STEP_UNDO = kind_of(StepTick), kind_of(StepConfirm), kind_of(StepUndo)
RunUpdate: TypeAlias = RunClose | StepNote | StepChange
"""A change to a run that already exists (starting and joining are planned from the playbook and the alert)."""
DEFAULT_JOIN_WINDOW_S = 3600.0


class RunError(ValueError):
    """An action that does not fit the run's state (step already ticked, same operator confirming, ...)."""


class ActionLike(Protocol):
    """The shape of a recorded operator action, as the store keeps it."""

    @property
    def action(self) -> OperatorAction | UnreadableAction: ...
    @property
    def actor(self) -> Identity: ...
    @property
    def at(self) -> float: ...
    @property
    def alert(self) -> str | None: ...
    @property
    def drill(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class RunAction:
    """A run action planned against the book: checked, not yet recorded."""

    action: RunChange
    actor: Identity
    at: float
    alert: str = ""
    drill: bool = False

    @property
    def kind(self) -> str:
        return kind_of(self.action)


@dataclass(frozen=True, slots=True)
class AlertRef:
    """The alert a run is for: its fingerprint, rule, target and when it first fired."""

    incident_key: str
    rule_id: str
    target: str
    started_at: float


@dataclass(frozen=True, slots=True)
class RejectedAction:
    action: ActionLike
    reason: str


@dataclass(frozen=True)
class RunBook:
    """Every run, by id, in the order started; `rejected` lists logged actions that replay could not apply."""

    runs: Mapping[str, PlaybookRun] = field(default_factory=dict)
    rejected: tuple[RejectedAction, ...] = ()

    @classmethod
    def replay(cls, actions: Iterable[ActionLike]) -> RunBook:
        """The state after `actions` in order; non-run kinds are ignored, invalid ones kept in `rejected`."""
        return cls().after(actions)

    def after(self, actions: Iterable[ActionLike]) -> RunBook:
        """This book with `actions` applied in order, as `replay` does: how a reader follows the log.

        Returns this very book when none of `actions` is a run action, so a reader can tell nothing changed.
        """
        changes = [action for action in actions if _run_change(action.action) is not None]
        if not changes:
            return self
        runs = dict(self.runs)
        rejected = list(self.rejected)
        for action in changes:
            try:
                run = _applied(runs, action)
            except RunError as error:
                rejected.append(RejectedAction(action, str(error)))
                continue
            runs[run.run_id] = run
        return RunBook(runs, tuple(rejected))

    def apply(self, action: ActionLike) -> RunBook:
        return apply_action(self, action)

    def get(self, run_id: str) -> PlaybookRun | None:
        return self.runs.get(run_id)

    def open_runs(self) -> tuple[PlaybookRun, ...]:
        return tuple(run for run in self.runs.values() if run.is_open)

    def run_for_alert(self, incident_key: str) -> PlaybookRun | None:
        """The open run an alert belongs to, else the latest closed one."""
        matching = [run for run in self.runs.values() if incident_key in run.incident_keys]
        open_runs = [run for run in matching if run.is_open]
        if open_runs:
            return open_runs[-1]
        return matching[-1] if matching else None

    def plan_alert(
        self,
        playbook: Playbook,
        alert: AlertRef,
        actor: Identity,
        at: float,
        *,
        related_playbooks: frozenset[str] = frozenset(),
        window_s: float = DEFAULT_JOIN_WINDOW_S,
        sessions: frozenset[str] = frozenset(),
        drill: bool = False,
    ) -> RunAction | None:
        """Start a run for a firing alert, or join an open one; None when the alert is already in an open run.

        An alert joins an open run (of the same drill flag) of `playbook` or of one of `related_playbooks`
        (those whose applies_to names its rule) whose last alert came within `window_s`, on the same target
        (or anywhere when the run's playbook joins by `site`).
        """
        if playbook.is_checklist:
            raise RunError(f"{playbook.id} is a checklist: checklists are started by hand, not by alerts")
        if any(alert.incident_key in run.incident_keys for run in self.open_runs()):
            return None
        candidates = {playbook.id} | related_playbooks
        for run in reversed(self.open_runs()):
            same_place = run.join_scope == "site" or run.target == alert.target
            recent = abs(at - run.last_alert_at) <= window_s  # abs: a wall-clock step back still joins
            if run.playbook_id in candidates and run.drill == drill and same_place and recent:
                join = RunJoin(run=run.run_id, rule=alert.rule_id, target=alert.target)
                return self._checked(RunAction(join, actor, at, alert.incident_key, drill))
        return self._plan_start(playbook, actor, at, alert, sessions, drill)

    def plan_start(
        self,
        playbook: Playbook,
        actor: Identity,
        at: float,
        *,
        sessions: frozenset[str] = frozenset(),
        drill: bool = False,
    ) -> RunAction:
        """Start a run by hand: a checklist such as the pre-open check, or a drill of an incident playbook."""
        return self._plan_start(playbook, actor, at, AlertRef("", "", "", at), sessions, drill)

    def plan(self, change: RunUpdate, actor: Identity, at: float) -> RunAction:
        """Check a change to an existing run; the planned action carries the run's incident key and drill flag."""
        run = self.runs.get(change.run)
        incident_key, drill = (run.incident_key, run.drill) if run is not None else ("", False)
        return self._checked(RunAction(change, actor, at, incident_key, drill))

    def plan_tick(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self.plan(StepTick(run=run_id, step=step), actor, at)

    def plan_confirm(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self.plan(StepConfirm(run=run_id, step=step), actor, at)

    def plan_undo(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self.plan(StepUndo(run=run_id, step=step), actor, at)

    def plan_skip(self, run_id: str, step: int, reason: str, actor: Identity, at: float) -> RunAction:
        return self.plan(StepSkip(run=run_id, step=step, reason=reason), actor, at)

    def plan_note(self, run_id: str, text: str, actor: Identity, at: float, *, step: int = 0) -> RunAction:
        return self.plan(StepNote(run=run_id, text=text, step=step), actor, at)

    def plan_close(self, run_id: str, actor: Identity, at: float, *, reason: str = "") -> RunAction:
        return self.plan(RunClose(run=run_id, reason=reason), actor, at)

    def _plan_start(
        self,
        playbook: Playbook,
        actor: Identity,
        at: float,
        alert: AlertRef,
        sessions: frozenset[str],
        drill: bool,
    ) -> RunAction:
        start = RunStart(
            run=self._new_run_id(playbook.id, at),
            playbook=playbook.id,
            steps=len(playbook.steps),
            two_person=",".join(str(number) for number in sorted(playbook.two_person_steps)),
            join=playbook.join,
            rule=alert.rule_id,
            target=alert.target,
            alert_started_at=alert.started_at,
            sessions=",".join(sorted(sessions)),
        )
        return self._checked(RunAction(start, actor, at, alert.incident_key, drill))

    def _checked(self, action: RunAction) -> RunAction:
        _applied(self.runs, action)
        return action

    def _new_run_id(self, playbook_id: str, at: float) -> str:
        base = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at)) + "-" + playbook_id
        run_id, suffix = base, 1
        while run_id in self.runs:
            suffix += 1
            run_id = f"{base}-{suffix}"
        return run_id


def apply_action(book: RunBook, action: ActionLike) -> RunBook:
    """`book` with `action` applied; raises RunError when the action does not fit."""
    run = _applied(book.runs, action)
    return replace(book, runs={**book.runs, run.run_id: run})


def _run_change(action: OperatorAction | UnreadableAction) -> RunChange | None:
    match action:
        case RunStart() | RunJoin() | RunClose() | StepNote() | StepTick() | StepConfirm() | StepUndo() | StepSkip():
            return action
    return None


def _applied(runs: Mapping[str, PlaybookRun], record: ActionLike) -> PlaybookRun:
    """The run `record` changes, as it is after the action; `runs` itself is left alone."""
    change = _run_change(record.action)
    if change is None:
        raise RunError(f"{kind_of(record.action)!r} is not a run action")
    if isinstance(change, RunStart):
        if change.run in runs:
            raise RunError(f"run {change.run} already exists")
        return _started(change, record)
    run = runs.get(change.run)
    if run is None:
        raise RunError(f"no run {change.run!r}")
    if not run.is_open:
        raise RunError(f"run {change.run} was closed; reopen it by starting a new run")
    match change:
        case RunJoin(rule=rule, target=target):
            joined = JoinedAlert(record.alert or "", rule, target, record.at)
            return replace(run, alerts=(*run.alerts, joined))
        case RunClose(reason=reason):
            return replace(run, closed_at=record.at, closed_by=record.actor, close_reason=reason)
        case StepNote(step=number):
            text = change.text.strip()
            if not text:
                raise RunError("a note needs text")
            if number and run.step(number) is None:
                raise RunError(f"run {change.run} has no step {number}")
            return replace(run, notes=(*run.notes, Note(record.actor, record.at, text, number)))
    return run.with_step(_changed_step(run, change, record))


def _changed_step(run: PlaybookRun, change: StepChange, record: ActionLike) -> StepState:
    number = change.step
    step = run.step(number)
    if step is None:
        raise RunError(f"run {run.run_id} has no step {number}")
    mark = Mark(record.actor, record.at)
    match change:
        case StepTick():
            if step.status is not StepStatus.OPEN:
                raise RunError(f"step {number} is already {step.status.value}")
            return replace(step, ticked=mark)
        case StepConfirm():
            if not step.two_person:
                raise RunError(f"step {number} does not need a second operator")
            if step.status is not StepStatus.AWAITING_CONFIRMATION or step.ticked is None:
                raise RunError(f"step {number} is {step.status.value}, not awaiting confirmation")
            if person_of(step.ticked.actor) == person_of(record.actor):
                raise RunError(
                    f"step {number} was ticked by {person_of(record.actor)}: a different operator must confirm"
                )
            return replace(step, confirmed=mark)
        case StepSkip():
            reason = change.reason.strip()
            if not reason:
                raise RunError("skipping a step needs a reason")
            if step.status is not StepStatus.OPEN:
                raise RunError(f"step {number} is already {step.status.value}")
            return replace(step, skipped=Skip(record.actor, record.at, reason))
        case StepUndo():
            if step.confirmed is not None:
                return replace(step, confirmed=None)
            if step.ticked is not None or step.skipped is not None:
                return replace(step, ticked=None, skipped=None)
            raise RunError(f"step {number} has nothing to undo")


def _started(start: RunStart, record: ActionLike) -> PlaybookRun:
    if start.steps < 1 or not start.playbook:
        raise RunError("a run needs a playbook and at least one step")
    alert = JoinedAlert(record.alert or "", start.rule, start.target, record.at)
    two_person = start.two_person_steps
    return PlaybookRun(
        run_id=start.run,
        playbook_id=start.playbook,
        incident_key=record.alert or "",
        started_at=record.at,
        started_by=record.actor,
        drill=record.drill,
        steps=tuple(StepState(number, number in two_person) for number in range(1, start.steps + 1)),
        alert_started_at=start.alert_started_at,
        join_scope=start.join or "target",
        sessions=start.session_tags,
        alerts=(alert,),
    )
