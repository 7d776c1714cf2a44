"""Playbook runs as pure logic: state rebuilt from the ordered log of recorded actions; time is passed in.

The console asks a `RunBook` to *plan* an action (`plan_tick`, ...), which checks it against the current state
and returns a `RunAction` without changing anything; the store commits that action; then `apply_action`
(or `RunBook.apply`) makes it part of the state. `RunBook.replay(actions)` rebuilds the same state after a
restart. Anything with the attributes of `ActionLike` (the store's `ActionRecord`) can be applied.

Actions (`kind`: payload keys; `actor`, `at`, `alert` and `drill` are fields of the record itself):

- `run-start`: run, playbook, steps (int), two_person ("2,5"), join ("target" or "site"), rule, target,
  alert_started_at (float), sessions ("trading,holiday"); `alert` = the incident key ("" if started by hand).
- `run-join`: run, rule, target; `alert` = the incident key of the alert joining the run.
- `run-close`: run, reason (may be "").
- `step`: run, step (int): the step is done (a two-person step then awaits its second operator).
- `step-confirm`: run, step: the second operator confirms a two-person step (not the one who ticked it).
- `step-undo`: run, step: takes back the latest of confirmation, tick or skip.
- `step-skip`: run, step, reason (required).
- `step-note`: run, text, step (int; 0 or absent = the run as a whole).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

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

PayloadValue = str | float | int | bool | None
"""JSON scalars, as the store keeps them."""
RUN_START, RUN_JOIN, RUN_CLOSE, RUN_NOTE = "run-start", "run-join", "run-close", "step-note"
STEP_TICK, STEP_CONFIRM, STEP_UNDO, STEP_SKIP = "step", "step-confirm", "step-undo", "step-skip"
RUN_ACTION_KINDS = frozenset({RUN_START, RUN_JOIN, RUN_CLOSE, RUN_NOTE, STEP_TICK, STEP_CONFIRM, STEP_UNDO, STEP_SKIP})
DEFAULT_JOIN_WINDOW_S = 3600.0


class RunError(ValueError):
    """An action that does not fit the run's state (step already ticked, same operator confirming, ...)."""


class ActionLike(Protocol):
    """The shape of a recorded operator action, as the store keeps it."""

    @property
    def kind(self) -> str: ...
    @property
    def actor(self) -> Identity: ...
    @property
    def at(self) -> float: ...
    @property
    def alert(self) -> str | None: ...
    @property
    def payload(self) -> Mapping[str, PayloadValue]: ...
    @property
    def drill(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class RunAction:
    kind: str
    actor: Identity
    at: float
    payload: Mapping[str, PayloadValue]
    alert: str = ""
    drill: bool = False


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
        runs: dict[str, PlaybookRun] = {}
        rejected: list[RejectedAction] = []
        for action in actions:
            if action.kind not in RUN_ACTION_KINDS:
                continue
            try:
                run = _applied(runs, action)
            except RunError as error:
                rejected.append(RejectedAction(action, str(error)))
                continue
            runs[run.run_id] = run
        return cls(runs, tuple(rejected))

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
                payload = {"run": run.run_id, "rule": alert.rule_id, "target": alert.target}
                return self._checked(RunAction(RUN_JOIN, actor, at, payload, alert.incident_key, drill))
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

    def plan_tick(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self._plan(STEP_TICK, run_id, actor, at, step=step)

    def plan_confirm(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self._plan(STEP_CONFIRM, run_id, actor, at, step=step)

    def plan_undo(self, run_id: str, step: int, actor: Identity, at: float) -> RunAction:
        return self._plan(STEP_UNDO, run_id, actor, at, step=step)

    def plan_skip(self, run_id: str, step: int, reason: str, actor: Identity, at: float) -> RunAction:
        return self._plan(STEP_SKIP, run_id, actor, at, step=step, reason=reason)

    def plan_note(self, run_id: str, text: str, actor: Identity, at: float, *, step: int = 0) -> RunAction:
        return self._plan(RUN_NOTE, run_id, actor, at, step=step, text=text)

    def plan_close(self, run_id: str, actor: Identity, at: float, *, reason: str = "") -> RunAction:
        return self._plan(RUN_CLOSE, run_id, actor, at, reason=reason)

    def _plan(self, kind: str, run_id: str, actor: Identity, at: float, **values: PayloadValue) -> RunAction:
        run = self.runs.get(run_id)
        incident_key, drill = (run.incident_key, run.drill) if run is not None else ("", False)
        return self._checked(RunAction(kind, actor, at, {"run": run_id, **values}, incident_key, drill))

    def _plan_start(
        self,
        playbook: Playbook,
        actor: Identity,
        at: float,
        alert: AlertRef,
        sessions: frozenset[str],
        drill: bool,
    ) -> RunAction:
        payload: dict[str, PayloadValue] = {
            "run": self._new_run_id(playbook.id, at),
            "playbook": playbook.id,
            "steps": len(playbook.steps),
            "two_person": ",".join(str(number) for number in sorted(playbook.two_person_steps)),
            "join": playbook.join,
            "rule": alert.rule_id,
            "target": alert.target,
            "alert_started_at": alert.started_at,
            "sessions": ",".join(sorted(sessions)),
        }
        return self._checked(RunAction(RUN_START, actor, at, payload, alert.incident_key, drill))

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


def _applied(runs: Mapping[str, PlaybookRun], action: ActionLike) -> PlaybookRun:
    """The run `action` changes, as it is after the action; `runs` itself is left alone."""
    payload = action.payload
    run_id = _text(payload, "run")
    if action.kind == RUN_START:
        if run_id in runs:
            raise RunError(f"run {run_id} already exists")
        return _started(run_id, action)
    run = runs.get(run_id)
    if run is None:
        raise RunError(f"no run {run_id!r}")
    if not run.is_open:
        raise RunError(f"run {run_id} was closed; reopen it by starting a new run")
    if action.kind == RUN_JOIN:
        joined = JoinedAlert(action.alert or "", _text(payload, "rule"), _text(payload, "target"), action.at)
        return replace(run, alerts=(*run.alerts, joined))
    if action.kind == RUN_CLOSE:
        return replace(run, closed_at=action.at, closed_by=action.actor, close_reason=_text(payload, "reason"))
    if action.kind == RUN_NOTE:
        text = _text(payload, "text").strip()
        number = _int(payload, "step", 0)
        if not text:
            raise RunError("a note needs text")
        if number and run.step(number) is None:
            raise RunError(f"run {run_id} has no step {number}")
        return replace(run, notes=(*run.notes, Note(action.actor, action.at, text, number)))
    return run.with_step(_changed_step(run, action))


def _changed_step(run: PlaybookRun, action: ActionLike) -> StepState:
    number = _int(action.payload, "step", 0)
    step = run.step(number)
    if step is None:
        raise RunError(f"run {run.run_id} has no step {number}")
    mark = Mark(action.actor, action.at)
    if action.kind == STEP_TICK:
        if step.status is not StepStatus.OPEN:
            raise RunError(f"step {number} is already {step.status.value}")
        return replace(step, ticked=mark)
    if action.kind == STEP_CONFIRM:
        if not step.two_person:
            raise RunError(f"step {number} does not need a second operator")
        if step.status is not StepStatus.AWAITING_CONFIRMATION or step.ticked is None:
            raise RunError(f"step {number} is {step.status.value}, not awaiting confirmation")
        if person_of(step.ticked.actor) == person_of(action.actor):
            raise RunError(f"step {number} was ticked by {person_of(action.actor)}: a different operator must confirm")
        return replace(step, confirmed=mark)
    if action.kind == STEP_SKIP:
        reason = _text(action.payload, "reason").strip()
        if not reason:
            raise RunError("skipping a step needs a reason")
        if step.status is not StepStatus.OPEN:
            raise RunError(f"step {number} is already {step.status.value}")
        return replace(step, skipped=Skip(action.actor, action.at, reason))
    if action.kind == STEP_UNDO:
        if step.confirmed is not None:
            return replace(step, confirmed=None)
        if step.ticked is not None or step.skipped is not None:
            return replace(step, ticked=None, skipped=None)
        raise RunError(f"step {number} has nothing to undo")
    raise RunError(f"unknown run action {action.kind!r}")


def _started(run_id: str, action: ActionLike) -> PlaybookRun:
    payload = action.payload
    two_person = {int(part) for part in _text(payload, "two_person").split(",") if part.strip().isdigit()}
    count = _int(payload, "steps", 0)
    if count < 1 or not _text(payload, "playbook"):
        raise RunError("a run needs a playbook and at least one step")
    alert = JoinedAlert(action.alert or "", _text(payload, "rule"), _text(payload, "target"), action.at)
    return PlaybookRun(
        run_id=run_id,
        playbook_id=_text(payload, "playbook"),
        incident_key=action.alert or "",
        started_at=action.at,
        started_by=action.actor,
        drill=action.drill,
        steps=tuple(StepState(number, number in two_person) for number in range(1, count + 1)),
        alert_started_at=_float(payload, "alert_started_at", action.at),
        join_scope=_text(payload, "join") or "target",
        sessions=frozenset(part for part in _text(payload, "sessions").split(",") if part),
        alerts=(alert,),
    )


def _text(payload: Mapping[str, PayloadValue], key: str) -> str:
    value = payload.get(key)
    return "" if value is None else value if isinstance(value, str) else str(value)


def _int(payload: Mapping[str, PayloadValue], key: str, default: int) -> int:
    return int(_float(payload, key, default))


def _float(payload: Mapping[str, PayloadValue], key: str, default: float) -> float:
    value = payload.get(key)
    if value is None:
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except ValueError as error:
        raise RunError(f"{key} must be a number, not {value!r}") from error
