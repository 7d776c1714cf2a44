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
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from collectors.factory import build_collectors, build_trap_receiver
from collectors.scheduler import Scheduler
from collectors.service.exporter import ExportCollector, latest_numeric, start_exporter
from collectors.service.reload import WATCH_EVERY_S, files_fingerprint, publish_room, try_reload
from dutyroom.model import Event, Identity, Labels, PollResult, Transition
from dutyroom.playbooks.runs import RUN_ACTION_KINDS, AlertRef, RunBook, RunError
from dutyroom.room import Room
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine, Evaluation
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord

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
        playbooks_dir: Path | None = None,
        watch_files: bool = True,
    ) -> None:
        self.room = room
        self.playbooks_dir = playbooks_dir
        self.watch_files = watch_files
        self.exporter: ExportCollector | None = None
        self.exporter_port: int | None = None
        self._latest: dict[tuple[str, str, Labels], float] = {}
        self._reload_requested = asyncio.Event()
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

    def request_reload(self) -> None:
        """Re-read checks.toml and playbooks at the next batch (SIGHUP, or the files changed)."""
        self._reload_requested.set()
        self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set, switching to a reloaded room whenever a reload succeeds."""
        server = self._start_exporter()
        watcher = asyncio.create_task(self._watch_files(stop), name="config-watch") if self.watch_files else None
        try:
            while not stop.is_set():
                reloaded = await self._run_generation(stop)
                if reloaded is not None:
                    self._switch_room(reloaded)
        finally:
            if watcher is not None:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)
            if server is not None:
                server.shutdown()

    def _start_exporter(self) -> WSGIServer | None:
        listen = self.room.config.parsed.exporter.listen
        if not listen:
            return None
        self.exporter = ExportCollector()
        server, _, self.exporter_port = start_exporter(listen, self.exporter)
        return server

    async def _watch_files(self, stop: asyncio.Event) -> None:
        config_path = self.room.config.path
        stamp = files_fingerprint(config_path, self.playbooks_dir)
        while not stop.is_set():
            await asyncio.sleep(WATCH_EVERY_S)
            fresh = await asyncio.to_thread(files_fingerprint, config_path, self.playbooks_dir)
            if fresh != stamp:
                stamp = fresh
                self.request_reload()

    def _try_reload(self) -> Room | None:
        outcome = try_reload(self.room.config.path, self.playbooks_dir)
        unpublished = publish_room(outcome.room, self.store.db_path.parent, self.clock()) if outcome.room else ""
        self.store.set_meta("reload_status", outcome.status)
        message = "configuration reloaded" if outcome.room is not None else outcome.status
        message += f" ({unpublished})" if unpublished else ""
        self.store.record_events([Event(self.clock(), "reload", "dutyroom", message)])
        return outcome.room

    def _switch_room(self, room: Room) -> None:
        carried = self.engine.export_all()
        self.room = room
        drill = self.engine.drill
        self.engine = Engine(room.config)
        self.engine.restore(carried)
        self.engine.drill = drill

    async def _run_generation(self, stop: asyncio.Event) -> Room | None:
        """Run collectors for the current room until stop, or until a reload succeeds (its room returned)."""
        reloaded: Room | None = None
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
            while not stop.is_set() and reloaded is None:
                if self._reload_requested.is_set():
                    self._reload_requested.clear()
                    reloaded = self._try_reload()
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
        return reloaded

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
            self.store.record_transitions(evaluation.transitions)
        if evaluation.events:
            self.store.record_events(evaluation.events)
        samples = [sample for result in results for sample in result.samples]
        if samples:
            self.store.record_samples(samples)
        if self.exporter is not None:
            latest_numeric(samples, self._latest)
            self.exporter.update(self._latest, tuple(self.engine.checks.values()), tuple(self.engine.health.values()))
        self.store.write_heartbeat(now, os.getpid())
        if now - self._last_prune >= PRUNE_EVERY_S:
            self.store.prune(now)
            self._last_prune = now

    def _start_runs(self, transitions: list[Transition], now: float) -> None:
        self._catch_up_runs()
        for transition in transitions:
            if transition.after is not AlertPhase.FIRING or transition.before is AlertPhase.FIRING:
                continue
            rule = next((item.spec for item in self.room.config.rules if item.id == transition.rule), None)
            if rule is None or not rule.playbook:
                continue
            playbook = self.room.playbooks.get(rule.playbook, self.room.config.parsed.site.language)
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
