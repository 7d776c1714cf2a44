"""What a person asked for, turned into the action to record: run actions are planned against the run book first.

A step tick, confirmation, undo or skip, a run note or a close is checked against the run it names (so one
person cannot tick and then confirm the same two-person step) and recorded with that run's drill flag; a drill
starts a run of a playbook by hand, marked as a drill everywhere it appears. People do not start or join runs
directly: alerts do that, in the poller. Pure: the run book, the playbooks and the time are passed in;
`dutyroom.operators.desk` reads them from the store and submits the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from dutyroom.actions_model import (
    RUN_ACTION_KINDS,
    OperatorAction,
    RunClose,
    RunJoin,
    RunStart,
    StepConfirm,
    StepNote,
    StepSkip,
    StepTick,
    StepUndo,
    kind_of,
)
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused, ActionRequest
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import RunBook, RunError


@dataclass(frozen=True, slots=True)
class StartDrill:
    """Start a drill of a playbook. Planned into a `run-start` marked as a drill; nothing of this kind is stored."""

    playbook: str


Intent: TypeAlias = OperatorAction | StartDrill
"""What a person can ask for: an action to record as it is, or a drill to plan into one."""

PlaybookLookup = Callable[[str], Playbook | None]


def needs_runs(intent: Intent) -> bool:
    """Whether planning `intent` looks at the run book (an ack does not, so the command line need not read it)."""
    return isinstance(intent, StartDrill) or kind_of(intent) in RUN_ACTION_KINDS


def plan_request(
    intent: Intent, alert: str, runs: RunBook, actor: Identity, now: float, find_playbook: PlaybookLookup
) -> ActionRequest:
    """The request to submit for `intent` on `alert`, or ActionRefused saying why it does not fit the runs."""
    try:
        match intent:
            case StartDrill(playbook=playbook_id):
                playbook = find_playbook(playbook_id)
                if playbook is None:
                    raise ActionRefused(f"no playbook '{playbook_id}'")
                planned = runs.plan_start(playbook, actor, now, drill=True)
                return ActionRequest(planned.action, planned.alert, drill=True)
            case RunStart() | RunJoin():
                raise ActionRefused(f"a {kind_of(intent)} is recorded by the poller for an alert, not by hand")
            case RunClose() | StepNote() | StepTick() | StepConfirm() | StepUndo() | StepSkip():
                planned = runs.plan(intent, actor, now)
                return ActionRequest(intent, alert, drill=planned.drill)
    except RunError as error:
        raise ActionRefused(str(error)) from None
    return ActionRequest(intent, alert)
