"""What a step key means for the highlighted step: tick, confirm (second operator) or take back.

The run's state decides what is possible; the source still has the last word (it refuses, e.g., the same
operator confirming their own tick) and its reason is shown.
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


def plan_step(
    kind: str, alert: AlertView | None, run: PlaybookRun | None, step: int | None, translate: Translator
) -> StepRequest | str:
    """The request to record, or why there is nothing to do (shown to the operator as is)."""
    if alert is None:
        return translate("need.alert")
    if run is None:
        return translate("need.run")
    state = run.step(step) if step is not None else None
    if step is None or state is None:
        return translate("need.step")
    status = state.status
    if kind == TICK and status is not StepStatus.OPEN:
        return translate("step.already", step=step, status=translate(f"step.status.{status.value}"))
    if kind == CONFIRM and status is not StepStatus.AWAITING_CONFIRMATION:
        return translate("step.not_awaiting", step=step)
    if kind == UNDO and status is StepStatus.OPEN:
        return translate("step.nothing", step=step)
    change: StepChange = (
        StepTick(run=run.run_id, step=step)
        if kind == TICK
        else StepConfirm(run=run.run_id, step=step)
        if kind == CONFIRM
        else StepUndo(run=run.run_id, step=step)
    )
    return StepRequest(change, alert.fingerprint)
