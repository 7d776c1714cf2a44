"""The process that polls: collectors -> engine -> store, in batches, with a heartbeat.

Results from the scheduler and the trap receiver queue up and are evaluated together a few times a second,
so a trap's sample reaches the engine at once and a batch costs one store transaction. Firing alerts with
a playbook start (or join) a playbook run, recorded as an action like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from collectors.factory import build_collectors, build_trap_receiver
from collectors.scheduler import Scheduler
from dutyroom.alert import AlertPhase
from dutyroom.engine import Engine, Evaluation, Transition
from dutyroom.model import Event, Identity, PollResult
from dutyroom.room import Room
from dutyroom.runs import RUN_ACTION_KINDS, AlertRef, RunBook, RunError
from dutyroom.store import Store
from dutyroom.store_records import ActionRecord, TransitionRecord

log = logging.getLogger(__name__)
ENGINE_ACTOR = Identity(user="dutyroom-engine")
PRUNE_EVERY_S = 300.0


@dataclass
class PollerStats:
    batches: int = 0
    results: int = 0
    transitions: int = 0
    setup_problems: list[str] = field(default_factory=list)


class Poller:
    """Owns the engine for one room and one state directory."""

    def __init__(
        self,
        room: Room,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        batch_interval_s: float = 0.25,
    ) -> None:
        self.room = room
        self.store = store
        self.clock = clock
        self.batch_interval_s = batch_interval_s
        self.engine = Engine(room.config)
        self.engine.restore(store.load_alert_states())
        self.runs = RunBook()
        self._action_cursor = 0
        self._catch_up_runs()
        self.stats = PollerStats()
        self.trap_address: tuple[str, int] | None = None
        self._queue: list[PollResult] = []
        self._wakeup = asyncio.Event()
        self._last_prune = 0.0
        self.on_evaluated: Callable[[Evaluation], None] | None = None

    def intake(self, result: PollResult) -> None:
        """The collectors' sink: queue the result and wake the batch loop."""
        self._queue.append(result)
        self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; collectors, scheduler and trap receiver are closed on the way out."""
        built = build_collectors(self.room.config)
        self.stats.setup_problems = built.problems
        for problem in built.problems:
            self.store.record_events([Event(self.clock(), "setup", problem.split(":")[0], problem)])
        scheduler = Scheduler(built.collectors, self.intake)
        receiver = build_trap_receiver(self.room.config, self.intake)
        if receiver is not None:
            self.trap_address = await receiver.start()
        scheduler_task = asyncio.create_task(scheduler.run(), name="scheduler")
        try:
            while not stop.is_set():
                self.step()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self.batch_interval_s)
                self._wakeup.clear()
                await asyncio.sleep(0.05)  # let results that arrive together share a batch
        finally:
            scheduler.stop()
            scheduler_task.cancel()
            await asyncio.gather(scheduler_task, return_exceptions=True)
            if receiver is not None:
                await receiver.aclose()
            await built.aclose()
            self.step()

    def step(self) -> Evaluation:
        """Evaluate whatever has queued up, persist the outcome, beat the heart."""
        now = self.clock()
        results, self._queue = self._queue, []
        evaluation = self.engine.evaluate(results, now)
        self._persist(results, evaluation, now)
        self._start_runs(evaluation.transitions, now)
        self.stats.batches += 1
        self.stats.results += len(results)
        self.stats.transitions += len(evaluation.transitions)
        if self.on_evaluated is not None:
            self.on_evaluated(evaluation)
        return evaluation

    def _persist(self, results: list[PollResult], evaluation: Evaluation, now: float) -> None:
        upserts, deletes = self.engine.export_changes()
        if upserts or deletes:
            self.store.save_alert_states(upserts, deletes)
        if evaluation.transitions:
            self.store.record_transitions([_record(item) for item in evaluation.transitions])
        if evaluation.events:
            self.store.record_events(evaluation.events)
        samples = [sample for result in results for sample in result.samples]
        if samples:
            self.store.record_samples(samples)
        self.store.write_heartbeat(now, os.getpid())
        if now - self._last_prune >= PRUNE_EVERY_S:
            self.store.prune(now)
            self._last_prune = now

    def _start_runs(self, transitions: list[Transition], now: float) -> None:
        self._catch_up_runs()
        for transition in transitions:
            if transition.after is not AlertPhase.FIRING or transition.before is AlertPhase.FIRING:
                continue
            rule = next((item.rule for item in self.room.config.rules if item.id == transition.rule), None)
            if rule is None or not rule.playbook:
                continue
            playbook = self.room.playbooks.get(rule.playbook, self.room.config.config.site.language)
            if playbook is None or playbook.is_checklist:
                continue
            alert = AlertRef(transition.fingerprint, transition.rule, transition.target, transition.at)
            try:
                planned = self.runs.plan_alert(
                    playbook,
                    alert,
                    ENGINE_ACTOR,
                    now,
                    related_playbooks=self.room.playbooks.ids_for_rule(transition.rule),
                    drill=transition.drill,
                )
            except RunError as error:
                log.warning("playbook run not started: %s", error)
                continue
            if planned is None:
                continue
            self.store.record_action(
                ActionRecord(planned.kind, planned.actor, planned.at, planned.alert, planned.payload, planned.drill)
            )
            self._catch_up_runs()

    def _catch_up_runs(self) -> None:
        """Fold run actions recorded since the last look (by any console or the CLI) into the run book."""
        while batch := self.store.actions_after(self._action_cursor):
            for action in batch:
                if action.kind in RUN_ACTION_KINDS:
                    try:
                        self.runs = self.runs.apply(action)
                    except RunError as error:
                        log.warning("run action #%d not applied: %s", action.id, error)
            self._action_cursor = batch[-1].id


def _record(transition: Transition) -> TransitionRecord:
    return TransitionRecord(
        at=transition.at,
        fingerprint=transition.fingerprint,
        rule=transition.rule,
        target=transition.target,
        labels=transition.labels,
        from_state=str(transition.before),
        to_state=str(transition.after),
        severity=transition.severity,
        value=transition.value,
        drill=transition.drill,
    )
