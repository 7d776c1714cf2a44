"""What a run key means for the selected alert's run and its highlighted step: tick, confirm (second operator),
take back, skip; a run note and closing the run.

Every request names the run it acts on (the run the pane shows, which an alert may have joined). The run's
state decides what is possible; the desk still has the last word (it refuses, e.g., the same operator
confirming their own tick) and its reason is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.actions_model import StepChange, StepConfirm, StepTick, StepUndo
from dutyroom.playbooks.run_state import PlaybookRun, StepStatus
from dutyroom.playbooks.runs import STEP_CONFIRM, STEP_TICK, STEP_UNDO
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator

TICK, CONFIRM, UNDO = STEP_TICK, STEP_CONFIRM, STEP_UNDO
"""Action kinds as the run log records them (`step`, `step-confirm`, `step-undo`)."""


@dataclass(frozen=True, slots=True)
class StepRequest:
    action: StepChange
    alert: str

    @property
    def step(self) -> int:
        return self.action.step

    @property
    def run(self) -> str:
        return self.action.run


@dataclass(frozen=True, slots=True)
class StepTarget:
    """A step of an open run, for a change that needs words first (a skip needs its reason)."""

    run: PlaybookRun
    step: int
    alert: str


def open_run(alert: AlertView | None, run: PlaybookRun | None, translate: Translator) -> PlaybookRun | str:
    """The open run the selected alert's keys act on, or why there is none (shown to the operator as is)."""
    if alert is None:
        return translate("need.alert")
    if run is None:
        return translate("need.run")
    if not run.is_open:
        return translate("need.open_run", run=run.run_id)
    return run


def plan_step(
    kind: str, alert: AlertView | None, run: PlaybookRun | None, step: int | None, translate: Translator
) -> StepRequest | str:
    """The request to record, or why there is nothing to do (shown to the operator as is)."""
    found = _step_of(alert, run, step, translate)
    if isinstance(found, str):
        return found
    status = found.run.steps[found.step - 1].status
    if kind == TICK and status is not StepStatus.OPEN:
        return translate("step.already", step=found.step, status=translate(f"step.status.{status.value}"))
    if kind == CONFIRM and status is not StepStatus.AWAITING_CONFIRMATION:
        return translate("step.not_awaiting", step=found.step)
    if kind == UNDO and status is StepStatus.OPEN:
        return translate("step.nothing", step=found.step)
    run_id, number = found.run.run_id, found.step
    change: StepChange = (
        StepTick(run=run_id, step=number)
        if kind == TICK
        else StepConfirm(run=run_id, step=number)
        if kind == CONFIRM
        else StepUndo(run=run_id, step=number)
    )
    return StepRequest(change, found.alert)


def plan_skip(
    alert: AlertView | None, run: PlaybookRun | None, step: int | None, translate: Translator
) -> StepTarget | str:
    """The open step to skip (its reason is asked next), or why it cannot be skipped."""
    found = _step_of(alert, run, step, translate)
    if isinstance(found, str):
        return found
    status = found.run.steps[found.step - 1].status
    if status is not StepStatus.OPEN:
        return translate("step.already", step=found.step, status=translate(f"step.status.{status.value}"))
    return found


def _step_of(
    alert: AlertView | None, run: PlaybookRun | None, step: int | None, translate: Translator
) -> StepTarget | str:
    found = open_run(alert, run, translate)
    if isinstance(found, str):
        return found
    if alert is None or step is None or found.step(step) is None:
        return translate("need.step")
    return StepTarget(found, step, alert.fingerprint)
