"""The poller's hook for duties: start each duty's run at its time, tick and untick verified steps, raise misses.

The planning is `dutyroom.duties.planner` (pure); this keeps the pace (a look every few seconds, not every
batch) and turns the plan into records for the saver. A missed duty is an alert like any other: each look
feeds the engine one `duty.missed` sample per duty (1 while today's occasion is missed and unfinished, else 0)
on the `dutyroom` target, which the duty's missed-duty rule (`dutyroom.config.duty_check`) turns into an
alert, critical in the pre-open phase, that resolves once the checklist is finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from dutyroom.config.duty_check import DUTY_TARGET, MISSED_METRIC
from dutyroom.duties.live import LiveState, acknowledged_alerts
from dutyroom.duties.planner import plan_duties
from dutyroom.duties.status import DutyState, DutyStatus, day_status
from dutyroom.model import PollResult, Sample, make_labels
from dutyroom.operators.state import OperatorState
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import RunBook
from dutyroom.room import Room
from dutyroom.rules.alert import Check, TargetHealth
from dutyroom.store.records import ActionRecord

LOOK_EVERY_S = 5.0
"""How often duties are looked at: a run starts within this of its time, a tick follows the state as closely."""


@dataclass(frozen=True)
class DutyWork:
    """What one look found to do: run actions to record, and the missed-duty samples for the engine."""

    records: list[ActionRecord] = field(default_factory=list)
    missed: PollResult | None = None


class DutyKeeper:
    """Keeps a room's duties moving; `due` says what to do now."""

    def __init__(self) -> None:
        self._looked_at = float("-inf")

    def due(
        self,
        room: Room,
        runs: RunBook,
        checks: Iterable[Check],
        health: Mapping[str, TargetHealth],
        operator: OperatorState,
        now: float,
    ) -> DutyWork:
        """The work due at `now` (none between looks)."""
        config, calendar = room.config, room.config.calendar
        if calendar is None or not config.duties or abs(now - self._looked_at) < LOOK_EVERY_S:
            return DutyWork()
        self._looked_at = now
        language = config.parsed.site.language

        def find(playbook_id: str) -> Playbook | None:
            return room.playbooks.get(playbook_id, language)

        current = tuple(checks)
        live = LiveState.of(now, current, health, acknowledged_alerts(operator, current, now))
        planned = plan_duties(config, calendar, runs, live, find)
        records = [ActionRecord(item.action, item.actor, item.at, item.alert, item.drill) for item in planned]
        for record in records:
            runs = runs.apply(record)
        today = day_status(config, calendar, runs.runs, live, datetime.fromtimestamp(now, calendar.zone), find)
        missed = {status.occasion.duty_id for status in today if _unfinished_miss(status)}
        samples = tuple(
            Sample(DUTY_TARGET, MISSED_METRIC, 1.0 if duty.id in missed else 0.0, now, make_labels({"duty": duty.id}))
            for duty in config.duties
        )
        return DutyWork(records, PollResult(DUTY_TARGET, now, samples=samples))


def _unfinished_miss(status: DutyStatus) -> bool:
    """Missed at its due time and still not finished (a run settled late ends the alert, not the record)."""
    return status.state is DutyState.MISSED and status.completed_at is None
