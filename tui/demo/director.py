"""Plays the scenario and runs drills against a live room, and tells the record what it did.

Every scenario step and drill start/end becomes an event (kind "demo") in the store, so the console's timeline
and the handover file show what was simulated; drills are also recorded as operator-style "drill" actions
with drill=True. While a drill runs the engine's `drill` flag is up, so the alerts it raises are drill alerts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from collectors.service.poller import Poller
from dutyroom.actions_model import DrillEvent
from dutyroom.model import Event, State
from dutyroom.operators.identity import current_identity
from dutyroom.store.records import ActionRecord
from tui.demo.drills import DRILLS, Drill
from tui.demo.room import DemoRoom
from tui.demo.scenario import Step

Report = Callable[[str], None]


class UnknownDrill(ValueError):  # noqa: N818 - names what the operator asked for
    """A drill name that is not in `DRILLS`."""


def drill_named(name: str) -> Drill:
    drill = DRILLS.get(name)
    if drill is None:
        raise UnknownDrill(f"no drill named '{name}' (drills: {', '.join(sorted(DRILLS))})")
    return drill


class Director:
    """Applies steps and drills to `room`, with scenario time running `clock_speed` times real time."""

    def __init__(
        self, room: DemoRoom, poller: Poller, *, clock_speed: float = 1.0, report: Report | None = None
    ) -> None:
        if clock_speed <= 0:
            raise ValueError("clock speed must be positive")
        self.room = room
        self.poller = poller
        self.clock_speed = clock_speed
        self.report = report
        self.active_drills: dict[str, Drill] = {}
        self.steps_done = 0
        self._started = time.monotonic()

    def scenario_time(self) -> float:
        return (time.monotonic() - self._started) * self.clock_speed

    def _record(self, message: str, severity: State = State.OK) -> None:
        self.poller.store.record_events([Event(self.poller.clock(), "demo", "demo", message, severity)])
        if self.report is not None:
            self.report(f"[demo {self.scenario_time():6.1f}s] {message}")

    async def play(self, steps: Sequence[Step], stop: asyncio.Event) -> None:
        """Apply each step at its scenario time; returns after the last one or when `stop` is set."""
        self._started = time.monotonic()
        for step in steps:
            delay = step.at_s / self.clock_speed - (time.monotonic() - self._started)
            if delay > 0:
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                    return
                except TimeoutError:
                    pass
            if stop.is_set():
                return
            await self.apply(step)

    async def apply(self, step: Step) -> None:
        step.change(self.room.model)
        for trap in step.traps:
            await self.room.send(trap)
        await self.room.sync()
        self.steps_done += 1
        self._record(f"scenario: {step.title}")

    async def start_drill(self, name: str) -> Drill:
        drill = drill_named(name)
        if name in self.active_drills:
            return drill
        self.active_drills[name] = drill
        self.poller.engine.drill = True
        self._action(drill, "started")
        drill.start(self.room.model)
        for trap in drill.start_traps:
            await self.room.send(trap)
        await self.room.sync()
        self._record(f"drill started: {drill.title}", State.WARNING)
        return drill

    async def end_drill(self, name: str, *, restore: bool = True) -> None:
        drill = self.active_drills.pop(name, None)
        if drill is None:
            return
        if restore:
            drill.end(self.room.model)
            for trap in drill.end_traps:
                await self.room.send(trap)
            await self.room.sync()
        self.poller.engine.drill = bool(self.active_drills)
        self._action(drill, "ended")
        self._record(f"drill ended: {drill.title}")

    async def end_all_drills(self, *, restore: bool = True) -> None:
        for name in list(self.active_drills):
            await self.end_drill(name, restore=restore)

    def _action(self, drill: Drill, event: str) -> None:
        announced = DrillEvent(drill=drill.name, event=event, title=drill.title)
        action = ActionRecord(announced, current_identity(), self.poller.clock(), "", drill=True)
        self.poller.store.record_action(action)
