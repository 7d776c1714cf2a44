"""The next open and whether its pre-open check (开市前检查) is done: the regulator's "working before the next
trading day opens", as the handover says it to the next shift.

The check is a run of the pre-open checklist playbook started in the `lead_s` before the next open; the newest
such run (drills left out) decides. Scheduled duties (dutyroom/duties, in progress) can later pass their own
playbook id and lead time; this module only answers for the runs it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.playbooks.run_state import PlaybookRun, StepStatus

PRE_OPEN_PLAYBOOK = "pre-open-check"
PRE_OPEN_LEAD_S = 12 * 3600.0
"""A check run counts for the next open when started at most this long before it (a night and a morning)."""


@dataclass(frozen=True, slots=True)
class NextOpen:
    at: float
    provisional: bool
    """The day is one no calendar file covers: it trades by assumption."""


@dataclass(frozen=True, slots=True)
class PreOpenCheck:
    run: PlaybookRun | None
    """The newest run of the checklist for this open, or None when not started."""
    done: bool
    """Every step done or skipped."""
    steps_done: int
    steps: int


def next_open(calendar: TradingCalendar | None, now: float) -> NextOpen | None:
    """When trading next opens after `now`; None without a calendar (or beyond any day it can see)."""
    if calendar is None:
        return None
    phase = calendar.phase_at(datetime.fromtimestamp(now, calendar.zone))
    if phase.next_open is None:
        return None
    return NextOpen(phase.next_open.timestamp(), calendar.standing(phase.next_open.date()) == "provisional")


def pre_open_check(
    runs: Iterable[PlaybookRun],
    opens_at: float,
    *,
    playbook_id: str = PRE_OPEN_PLAYBOOK,
    lead_s: float = PRE_OPEN_LEAD_S,
) -> PreOpenCheck:
    """The state of the pre-open check for the open at `opens_at`, from the runs of `playbook_id`."""
    candidates = [
        run
        for run in runs
        if run.playbook_id == playbook_id and not run.drill and opens_at - lead_s <= run.started_at <= opens_at
    ]
    if not candidates:
        return PreOpenCheck(None, False, 0, 0)
    run = max(candidates, key=lambda item: item.started_at)
    settled = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED))
    return PreOpenCheck(run, run.settled, settled, len(run.steps))
