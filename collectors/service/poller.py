"""The process that polls: collectors -> engine -> store, in batches, with a heartbeat.

Results from the scheduler and the trap receiver queue up and are evaluated together a few times a second,
so a trap's sample reaches the engine at once and a batch costs one store transaction. Firing alerts with
a playbook start (or join) a playbook run, recorded as an action like any other; so is each ack and silence
that lapses, so that expiry is decided once (`dutyroom.operators.lapses`).

Nothing expected stops it: a store that refuses writes is carried by `saving` (polling and alerting go on in
memory), a listener whose port is taken is logged and left off, a bad reload keeps the running configuration.
Each is one log line, and is published (beacon, service manager) by `publish` after every batch.
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
from collectors.service.alertmanager.outbox import Wording
from collectors.service.alertmanager.sender import AlertSender
from collectors.service.alertmanager.silences import MirroredSilence, wanted_silences
from collectors.service.alertmanager.source_acks import SourceAcks, wanted_source_silences
from collectors.service.duty_runs import DutyKeeper
from collectors.service.export_series import SeriesBook
from collectors.service.exporter import ExportCollector, ExportView, start_exporter
from collectors.service.notify import ServiceNotifier
from collectors.service.publish import Publisher
from collectors.service.reload import WATCH_EVERY_S, files_fingerprint, publish_room, try_reload
from collectors.service.saving import StateSaver
from collectors.service.self_metrics import SelfMetrics
from collectors.service.summary import ReloadNote, plural, service_status
from collectors.traps import TrapReceiver
from dutyroom.config.types import AlertmanagerTarget
from dutyroom.model import Event, Identity, PollResult, State, Transition
from dutyroom.operators.lapses import LapseWatch
from dutyroom.playbooks.runs import RUN_ACTION_KINDS, AlertRef, RunBook, RunError
from dutyroom.room import Room
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine, Evaluation
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, StoreError
from dutyroom.views.alerts import AlertView, alert_views, all_silences

log = logging.getLogger(__name__)
ENGINE_ACTOR = Identity(user="dutyroom-engine")
PRUNE_SERIES_EVERY_S = 2.0
"""Old exported series are looked for this often, not every batch (staleness limits are 15 s and more)."""


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
        notifier: ServiceNotifier | None = None,
    ) -> None:
        self.room = room
        self.playbooks_dir = playbooks_dir
        self.watch_files = watch_files
        self.exporter: ExportCollector | None = None
        self.exporter_port: int | None = None
        self.series = SeriesBook()
        self._pruned_at = 0.0
        self.own = SelfMetrics(reload_ok_at=clock())
        self._reload_requested = asyncio.Event()
        self.store = store
        self.saver = StateSaver(store)
        self.publisher = Publisher(store.db_path.parent, notifier)
        self.listener_problems: dict[str, str] = {}
        """Listeners the poller runs without ('trap receiver', 'Prometheus exporter') and why, in one line."""
        self.clock = clock
        self.last_reload = ReloadNote(clock(), initial=True)
        self.batch_interval_s = batch_interval_s
        self.engine = Engine(room.config)
        self.engine.restore(store.load_alert_states())
        self.runs = RunBook()
        self._action_cursor = 0
        self._catch_up_runs()
        self.lapses = LapseWatch(ENGINE_ACTOR)
        self.duties = DutyKeeper()
        self.stats = PollerStats()
        self.trap_address: tuple[str, int] | None = None
        self._queue: list[PollResult] = []
        self._wakeup = asyncio.Event()
        self.on_evaluated: Callable[[Evaluation], None] | None = None
        self.alert_sender = AlertSender()
        """Sends alerts to the room's `[alertmanager]` (idle without one)."""
        self.source_acks = SourceAcks(room.config.parsed.site.name, room.config.base_dir)
        """Acks of alerts read from an Alertmanager, as silences there."""

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
        self._configure_sender()
        sender = asyncio.create_task(self.alert_sender.run(stop), name="alertmanager")
        source_acks = asyncio.create_task(self.source_acks.run(stop), name="alertmanager-acks")
        try:
            while not stop.is_set():
                reloaded = await self._run_generation(stop)
                if reloaded is not None:
                    self._switch_room(reloaded)
        finally:
            if watcher is not None:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)
            stop.set()
            await asyncio.gather(sender, source_acks, return_exceptions=True)
            if server is not None:
                server.shutdown()
            self.publisher.close()

    def summary(self) -> str:
        """One line for `systemctl status`: problems, targets and alerts, the configuration in force."""
        now = self.clock()
        return service_status(
            self.room.config, self.engine.checks.values(), self.engine.health, now, self.last_reload, self.problems()
        )

    def problems(self) -> list[str]:
        """What is wrong with the poller itself (not with the room): the store, listeners it runs without."""
        store = [self.saver.problem.text()] if self.saver.problem else []
        return store + self.listeners_off()

    def listeners_off(self) -> list[str]:
        """E.g. 'trap receiver cannot listen on udp 0.0.0.0:162: Address already in use'."""
        return list(self.listener_problems.values())

    def _start_exporter(self) -> WSGIServer | None:
        settings = self.room.config.parsed.exporter
        if not settings.listen:
            return None
        exporter = ExportCollector()
        try:
            server, _, self.exporter_port = start_exporter(settings, self.room.config.base_dir, exporter)
        except OSError as error:
            self._listener_failed("Prometheus exporter", error)
            return None
        self.exporter = exporter
        return server

    def _listener_failed(self, name: str, error: OSError) -> None:
        log.error("%s; polling goes on without it", error)
        self.listener_problems[name] = str(error)

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
        self.publisher.reloading()
        outcome = try_reload(self.room.config.path, self.playbooks_dir)
        now = self.clock()
        unpublished = publish_room(outcome.room, self.store.db_path.parent, now) if outcome.room else ""
        self.last_reload = ReloadNote(now, outcome.status)
        self.own.reload_ok = outcome.room is not None
        self.own.reload_ok_at = now if outcome.room is not None else self.own.reload_ok_at
        self.saver.set_meta("reload_status", outcome.status, now)
        message = "configuration reloaded" if outcome.room is not None else outcome.status
        message += f" ({unpublished})" if unpublished else ""
        if outcome.room is not None:
            targets = plural(len(outcome.room.config.parsed.target), "target")
            log.info("configuration reloaded from %s: %s", self.room.config.path, targets)
        else:
            log.error("%s; the running configuration stays in force", outcome.status)
        if unpublished:
            log.warning("%s", unpublished)
        self.saver.record_events([Event(now, "reload", "dutyroom", message)], now)
        return outcome.room

    def _switch_room(self, room: Room) -> None:
        carried = self.engine.export_all()
        self.room = room
        drill = self.engine.drill
        self.engine = Engine(room.config)
        self.engine.restore(carried)
        self.engine.drill = drill
        self._pruned_at = 0.0  # the series of targets the reload removed go at the next batch
        self._configure_sender()

    async def _run_generation(self, stop: asyncio.Event) -> Room | None:
        """Run collectors for the current room until stop, or until a reload succeeds (its room returned)."""
        reloaded: Room | None = None
        built = build_collectors(self.room.config, wall_clock=self.clock)
        self.stats.setup_problems = built.problems
        for problem in built.problems:
            log.warning("target not polled: %s", problem)
            now = self.clock()
            self.saver.record_events([Event(now, "setup", problem.split(":")[0], problem)], now)
        scheduler = Scheduler(built.collectors, self.intake, wall_clock=self.clock)
        receiver = await self._start_trap_receiver()
        scheduler_task = asyncio.create_task(scheduler.run(), name="scheduler")
        try:
            while not stop.is_set() and reloaded is None:
                if self._reload_requested.is_set():
                    self._reload_requested.clear()
                    reloaded = self._try_reload()
                self.step()
                self._publish(advanced=not scheduler_task.done())
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

    def _publish(self, *, advanced: bool) -> None:
        """After a batch: the beacon, and systemd (WATCHDOG only when `advanced`: the scheduler still runs)."""
        problem, listeners = self.saver.problem, self.listeners_off()
        self.publisher.batch_done(self.clock(), self.summary, problem, listeners, advanced=advanced)

    async def _start_trap_receiver(self) -> TrapReceiver | None:
        """The room's trap receiver, listening; None (logged, published) when there is none or it cannot bind."""
        receiver = build_trap_receiver(self.room.config, self.intake, wall_clock=self.clock)
        self.listener_problems.pop("trap receiver", None)
        if receiver is None:
            return None
        try:
            self.trap_address = await receiver.start()
        except OSError as error:
            self.trap_address = None
            self._listener_failed("trap receiver", error)
            await receiver.aclose()
            return None
        return receiver

    def step(self) -> Evaluation:
        """Evaluate whatever has queued up, persist the outcome, beat the heart."""
        now = self.clock()
        results, self._queue = self._queue, []
        evaluation = self.engine.evaluate(results, now)
        self._persist(results, evaluation, now)
        try:
            self._start_runs(evaluation.transitions, now)
        except StoreError as error:  # the run book could not be read: next batch
            log.error("playbook runs not updated: %s", error)
        self._record_lapses(now)
        self._keep_duties(now)
        sources = {item.id: item.url for item in self.room.config.parsed.target if isinstance(item, AlertmanagerTarget)}
        wanted = self.exporter is not None or self.alert_sender.client is not None or sources
        views = self.alert_views(now) if wanted else []
        self.source_acks.offer(wanted_source_silences(views, sources, now))
        self._export(results, views, now)
        self.alert_sender.offer(views, self._wording(), now)
        if self.alert_sender.mirror is not None:
            self.alert_sender.offer_silences(self._wanted_silences(views, now))
        self.stats.batches += 1
        self.stats.results += len(results)
        self.stats.transitions += len(evaluation.transitions)
        if self.on_evaluated is not None:
            self.on_evaluated(evaluation)
        return evaluation

    def _persist(self, results: list[PollResult], evaluation: Evaluation, now: float) -> None:
        """The store through the saver (which may not write); a batch it could not save is counted."""
        samples = [sample for result in results for sample in result.samples]
        self.saver.save_batch(now, self.engine, evaluation.transitions, evaluation.events, samples, os.getpid())
        self.own.store_errors += self.saver.problem is not None

    def alert_views(self, now: float) -> list[AlertView]:
        """The active alerts with the operator overlay (acks, silences) the lapse watch has folded."""
        return alert_views(self.room.config, self.engine.checks.values(), self.lapses.operator, now)

    def _configure_sender(self) -> None:
        config = self.room.config
        self.alert_sender.configure(config.parsed.alertmanager, config.base_dir, config.parsed.site.name)
        self.source_acks.site = config.parsed.site.name

    def _wanted_silences(self, views: list[AlertView], now: float) -> dict[str, MirroredSilence]:
        operator, config = self.lapses.operator, self.room.config
        windows = all_silences(config, operator)
        site = config.parsed.site.name
        return wanted_silences(windows, operator, views, site, self.alert_sender.ack_silence_for_s, now)

    def _wording(self) -> Wording:
        """What alerts sent to Alertmanager say beyond themselves: the site, playbook titles, the runbook URL."""
        room, section = self.room, self.room.config.parsed.alertmanager
        language = room.config.parsed.site.language

        def title(playbook_id: str) -> str:
            playbook = room.playbooks.get(playbook_id, language)
            return playbook.title if playbook is not None else playbook_id

        return Wording(room.config.parsed.site.name, title, section.runbook_url if section else "")

    def _export(self, results: list[PollResult], views: list[AlertView], now: float) -> None:
        """Hand the exporter this batch's view (in memory, never fails)."""
        if self.exporter is None:
            return
        config = self.room.config
        for result in results:
            target = config.target(result.target)
            self.own.polled(result, target.kind if target is not None else "unknown")
            self.series.record(result)
        if now - self._pruned_at >= PRUNE_SERIES_EVERY_S or now < self._pruned_at:
            self._pruned_at = now
            self.series.prune({target: timing.stale_after_s for target, timing in config.timings.items()}, now)
        self.own.heartbeat_at = now
        health = tuple(item for item in self.engine.health.values() if config.target(item.target) is not None)
        self.exporter.update(ExportView(self.series.snapshot(), views, health, self.own.snapshot()))

    def _start_runs(self, transitions: list[Transition], now: float) -> None:
        self._catch_up_runs()
        for transition in transitions:
            if transition.after is not AlertPhase.FIRING or transition.before is AlertPhase.FIRING:
                continue
            if transition.state is State.STALE:  # silence is a warning to look, never an emergency by itself
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
            self.saver.record_action(
                ActionRecord(planned.action, planned.actor, planned.at, planned.alert, planned.drill),
                now,
            )
            self._catch_up_runs()

    def _record_lapses(self, now: float) -> None:
        """Acks and one-shot silences that lapsed, recorded once, so a clock set back cannot revive them."""
        try:
            records = self.lapses.due(self.store, self.room.config, self.engine.checks.values(), now)
        except StoreError as error:  # the action log could not be read: next batch
            log.error("lapsed acks and silences not recorded: %s", error)
            return
        for record in records:
            self.saver.record_action(record, now)

    def _keep_duties(self, now: float) -> None:
        """Duty runs started at their time, verified steps ticked or unticked; missed duties fed to the engine."""
        try:
            self._catch_up_runs()
            work = self.duties.due(
                self.room, self.runs, self.engine.checks.values(), self.engine.health, self.lapses.operator, now
            )
        except StoreError as error:  # the run book could not be read: next batch
            log.error("duties not updated: %s", error)
            return
        for record in work.records:
            self.saver.record_action(record, now)
        if work.missed is not None:
            self.intake(work.missed)  # evaluated with the next batch, like any poll result
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
