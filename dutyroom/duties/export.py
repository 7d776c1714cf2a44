"""A duty's status as plain data (JSON for `dutyroom duties --json`) and as one line of English text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dutyroom.duties.status import DutyState, DutyStatus
from dutyroom.playbooks.runs import StepStatus


def duty_record(status: DutyStatus) -> dict[str, Any]:
    """Everything `dutyroom duties --json` says about one duty on one day."""
    occasion, run, readiness = status.occasion, status.run, status.readiness
    settled = (StepStatus.DONE, StepStatus.SKIPPED)
    return {
        "id": occasion.duty_id,
        "playbook": occasion.duty.spec.playbook,
        "day": occasion.day.isoformat(),
        "starts_at": occasion.starts_at.isoformat(),
        "due_at": occasion.due_at.isoformat(),
        "state": str(status.state),
        "run": run.run_id if run is not None else None,
        "started_by": run.started_by.describe() if run is not None else None,
        "steps": status.steps,
        "steps_settled": sum(1 for step in run.steps if step.status in settled) if run is not None else 0,
        "completed_at": _iso(status.completed_at, occasion.starts_at),
        "verdict": None
        if readiness is None
        else {
            "ready": readiness.ready,
            "text": readiness.describe(),
            "failing_checks": readiness.failing_checks,
            "open_steps": readiness.open_steps,
            "due_at": readiness.due_at.isoformat(),
            "opens_at": readiness.opens_at.isoformat() if readiness.opens_at else None,
        },
        "checks": [
            {"step": item.step, "what": item.what, "holds": item.holds, "seen": item.seen}
            for item in status.verifications
        ],
    }


def duty_line(status: DutyStatus) -> str:
    """'pre-open  08:15-09:00  running  NOT READY: 2 automated checks failing, 3 steps open, due 09:00'."""
    occasion = status.occasion
    window = f"{occasion.starts_at:%H:%M}-{occasion.due_at:%H:%M}"
    state = str(status.state)
    if status.state is DutyState.DONE and status.completed_at is not None:
        state += f" at {datetime.fromtimestamp(status.completed_at, occasion.starts_at.tzinfo):%H:%M}"
    verdict = status.readiness.describe() if status.readiness is not None else ""
    return "  ".join(part for part in (occasion.duty_id, window, state, verdict) if part)


def _iso(epoch: float | None, like: datetime) -> str | None:
    return datetime.fromtimestamp(epoch, like.tzinfo).isoformat() if epoch is not None else None
