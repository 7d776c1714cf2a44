"""What the poller records for duties at `now`: runs started at their time, automated steps ticked and unticked.

Everything is recorded as the `dutyroom` identity, through the same run actions people use, so the console,
the handover and the report read duties like any other run. An automated step ticks itself when its verifier
holds (with a note of what was seen) and is unticked, again with a note, if the state goes bad before the open
(that day's opening the duty prepares for, else its due time); only a tick dutyroom made is taken back, never a
person's. Steps without a verifier wait for a person.
"""

from __future__ import annotations

from datetime import datetime

from dutyroom.config.duty_check import CompiledDutyCheck
from dutyroom.config.load import LoadedConfig
from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.duties.live import LiveState
from dutyroom.duties.schedule import occasions_on
from dutyroom.duties.status import PlaybookLookup, opening_that_day, run_for
from dutyroom.duties.verifiers import verify
from dutyroom.model import Identity
from dutyroom.playbooks.runs import Mark, RunAction, RunBook, RunError, StepStatus

DUTY_ACTOR = Identity(user="dutyroom")
"""Who starts duty runs and ticks verified steps."""


def plan_duties(
    config: LoadedConfig,
    calendar: TradingCalendar,
    book: RunBook,
    live: LiveState,
    find_playbook: PlaybookLookup,
) -> list[RunAction]:
    """The run actions due at `live.now`, in the order they must be recorded (each checked against the book)."""
    now = live.now
    at = datetime.fromtimestamp(now, calendar.zone)
    planned: list[RunAction] = []
    for occasion in occasions_on(config.duties, calendar, at.date()):
        watched_until = opening_that_day(occasion, calendar) or occasion.due_at
        if not occasion.starts_at <= at < watched_until:
            continue
        run = run_for(occasion, book.runs.values())
        if run is None and at >= occasion.due_at:
            continue  # missed without a run: the alert says so, a run started now would not be this duty's
        if run is None:
            playbook = find_playbook(occasion.duty.spec.playbook)
            if playbook is None or not playbook.is_checklist:
                continue
            start = book.plan_start(playbook, DUTY_ACTOR, now)
            book = book.apply(start)
            planned.append(start)
            run = book.runs[start.action.run]
        if not run.is_open:
            continue
        for check in occasion.duty.checks:
            for action in _step_actions(book, run.run_id, check, config, live, f"{at:%H:%M}"):
                book = book.apply(action)
                planned.append(action)
    return planned


def _step_actions(
    book: RunBook, run_id: str, check: CompiledDutyCheck, config: LoadedConfig, live: LiveState, stamp: str
) -> list[RunAction]:
    """Tick a step whose verifier holds, or take back dutyroom's own tick of one that no longer does."""
    run = book.runs[run_id]
    step = run.step(check.spec.step)
    if step is None:
        return []
    seen = verify(check, config, live)
    now = live.now
    try:
        if seen.holds and step.status is StepStatus.OPEN:
            tick = book.plan_tick(run_id, step.number, DUTY_ACTOR, now)
            note = f"verified by dutyroom at {stamp}: {seen.seen}"
        elif not seen.holds and _ticked_by_dutyroom(step.ticked) and step.confirmed is None:
            tick = book.plan_undo(run_id, step.number, DUTY_ACTOR, now)
            note = f"no longer verified at {stamp}: {seen.seen}"
        else:
            return []
        book = book.apply(tick)
        return [tick, book.plan_note(run_id, note, DUTY_ACTOR, now, step=step.number)]
    except RunError:
        return []


def _ticked_by_dutyroom(mark: Mark | None) -> bool:
    return mark is not None and mark.actor.user == DUTY_ACTOR.user
