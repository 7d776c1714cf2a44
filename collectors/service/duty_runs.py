"""The poller's hook for duties: start each duty's run at its time, tick and untick verified steps, note misses.

The planning is `dutyroom.duties.planner` (pure); this keeps the pace (a look every few seconds, not every
batch) and turns the plan into records for the saver. A duty missed at its due time becomes an event on the
timeline (critical when it falls in the pre-open phase or the duty says so), noted once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from dutyroom.duties.live import LiveState, acknowledged_alerts
from dutyroom.duties.planner import plan_duties
from dutyroom.duties.status import DutyState, day_status
from dutyroom.model import Event, State
from dutyroom.operators.state import OperatorState
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import RunBook
from dutyroom.room import Room
from dutyroom.rules.alert import Check, TargetHealth
from dutyroom.store.records import ActionRecord

LOOK_EVERY_S = 5.0
"""How often duties are looked at: a run starts within this of its time, a tick follows the state as closely."""


class DutyKeeper:
    """Keeps a room's duties moving; `due` says what to record now."""

    def __init__(self) -> None:
        self._looked_at = float("-inf")
        self._missed_noted: set[str] = set()

    def due(
        self,
        room: Room,
        runs: RunBook,
        checks: Iterable[Check],
        health: Mapping[str, TargetHealth],
        operator: OperatorState,
        now: float,
    ) -> tuple[list[ActionRecord], list[Event]]:
        """The run actions to record and the events to log at `now` (nothing between looks)."""
        config, calendar = room.config, room.config.calendar
        if calendar is None or not config.duties or abs(now - self._looked_at) < LOOK_EVERY_S:
            return [], []
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
        at = datetime.fromtimestamp(now, calendar.zone)
        events = []
        for status in day_status(config, calendar, runs.runs, live, at, find):
            key = status.occasion.key
            if status.state is not DutyState.MISSED or key in self._missed_noted:
                continue
            self._missed_noted.add(key)
            pre_open = calendar.phase_at(status.occasion.due_at).kind == "pre-open"
            severity = State.CRITICAL if pre_open or status.occasion.duty.spec.severity == "critical" else State.WARNING
            verdict = f": {status.readiness.describe()}" if status.readiness is not None else ""
            message = f"duty {status.occasion.duty_id} missed, due {status.occasion.due_at:%H:%M}{verdict}"
            events.append(Event(now, "duty-missed", "dutyroom", message, severity))
        return records, events
