"""Runs many collectors on one event loop, each at its own cadence, and feeds their results to a sink.

Each target has its own task: the first poll lands at a random point of the first interval (so a
thousand targets do not fire together), the next is armed when the poll finishes (never two in flight
for one target), at the next slot of the target's grid `start + k * interval` (missed slots are skipped,
not made up). Time is a monotonic clock (injectable), so a wall-clock jump changes nothing. A global
semaphore caps polls in flight; a hard timeout of one interval around every poll is the backstop for a
collector that ignores its own timeout; a collector that raises despite its contract becomes UNKNOWN
"internal error: <ExceptionName>". A slow target only ever occupies its own task and one semaphore slot.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from collectors.base import Collector, ResultSink
from dutyroom.model import PollResult, State

logger = logging.getLogger(__name__)

DEFAULT_MAX_IN_FLIGHT = 64
LATE_FRACTION = 0.25
"""A poll that starts more than this fraction of an interval after its slot counts as late."""
STALE_GRACE_S = 15.0
"""Stale after 2 x interval + 15 s without a finished poll (RELIABILITY.md defaults)."""


class PollHealth(StrEnum):
    PENDING = "pending"
    ON_TIME = "on_time"
    LATE = "late"
    FAILING = "failing"
    UNREACHABLE = "unreachable"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class TargetHealth:
    target_id: str
    interval_s: float
    status: PollHealth
    polls: int
    late_polls: int
    failed_polls: int
    consecutive_failures: int
    last_started: float | None
    """Monotonic time the last poll started."""
    last_finished: float | None
    """Monotonic time the last poll finished."""
    last_failure: State | None
    last_reason: str


@dataclass(frozen=True, slots=True)
class SchedulerHealth:
    """Counts of targets by how their polling goes, and the per-target detail."""

    on_time: int
    late: int
    failing: int
    unreachable: int
    stale: int
    pending: int
    targets: tuple[TargetHealth, ...]


@dataclass(slots=True)
class _Record:
    collector: Collector
    started_at: float
    polls: int = 0
    late_polls: int = 0
    failed_polls: int = 0
    consecutive_failures: int = 0
    last_started: float | None = None
    last_finished: float | None = None
    last_was_late: bool = False
    last_failure: State | None = None
    last_reason: str = ""

    def status(self, now: float) -> PollHealth:
        interval = self.collector.interval_s
        reference = self.last_finished if self.last_finished is not None else self.started_at
        if now - reference > 2 * interval + STALE_GRACE_S:
            return PollHealth.STALE
        if self.last_finished is None:
            return PollHealth.PENDING
        if self.last_failure is State.UNREACHABLE:
            return PollHealth.UNREACHABLE
        if self.last_failure is not None:
            return PollHealth.FAILING
        return PollHealth.LATE if self.last_was_late else PollHealth.ON_TIME

    def snapshot(self, now: float) -> TargetHealth:
        return TargetHealth(
            target_id=self.collector.target_id,
            interval_s=self.collector.interval_s,
            status=self.status(now),
            polls=self.polls,
            late_polls=self.late_polls,
            failed_polls=self.failed_polls,
            consecutive_failures=self.consecutive_failures,
            last_started=self.last_started,
            last_finished=self.last_finished,
            last_failure=self.last_failure,
            last_reason=self.last_reason,
        )


def _raise_site(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


class Scheduler:
    """Polls every collector at its interval until `stop()` or cancellation; see the module docstring."""

    def __init__(
        self,
        collectors: Iterable[Collector],
        sink: ResultSink,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self._sink = sink
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self._max_in_flight = max_in_flight
        self._semaphore: asyncio.Semaphore | None = None
        self._records: dict[str, _Record] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stopped = asyncio.Event()
        self._running = False
        for collector in collectors:
            self._register(collector)

    def _register(self, collector: Collector) -> _Record:
        if collector.target_id in self._records:
            raise ValueError(f"duplicate target id {collector.target_id!r}")
        if not collector.interval_s > 0:
            raise ValueError(f"{collector.target_id}: interval must be positive")
        record = self._records[collector.target_id] = _Record(collector, started_at=self._clock())
        return record

    @property
    def target_ids(self) -> tuple[str, ...]:
        return tuple(self._records)

    def add(self, collector: Collector) -> None:
        """Start polling one more target (e.g. after a config reload); works before and during `run`."""
        record = self._register(collector)
        if self._running:
            self._start_task(record)

    async def remove(self, target_id: str) -> None:
        """Stop polling a target and close its collector."""
        record = self._records.pop(target_id, None)
        task = self._tasks.pop(target_id, None)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if record is not None:
            await self._close(record.collector)

    def stop(self) -> None:
        """Make `run` return (polls in flight are cancelled); called before `run`, `run` returns at once."""
        self._stopped.set()

    def health(self) -> SchedulerHealth:
        now = self._clock()
        targets = tuple(record.snapshot(now) for record in self._records.values())
        counts = dict.fromkeys(PollHealth, 0)
        for target in targets:
            counts[target.status] += 1
        return SchedulerHealth(
            on_time=counts[PollHealth.ON_TIME],
            late=counts[PollHealth.LATE],
            failing=counts[PollHealth.FAILING],
            unreachable=counts[PollHealth.UNREACHABLE],
            stale=counts[PollHealth.STALE],
            pending=counts[PollHealth.PENDING],
            targets=targets,
        )

    async def run(self) -> None:
        """Poll until `stop()` is called or this task is cancelled; collectors are closed on the way out."""
        self._semaphore = asyncio.Semaphore(self._max_in_flight)
        self._running = True
        for record in self._records.values():
            record.started_at = self._clock()
            self._start_task(record)
        try:
            await self._stopped.wait()
        finally:
            self._running = False
            tasks = list(self._tasks.values())
            self._tasks.clear()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for record in list(self._records.values()):
                await self._close(record.collector)

    def _start_task(self, record: _Record) -> None:
        name = f"poll:{record.collector.target_id}"
        self._tasks[record.collector.target_id] = asyncio.create_task(self._poll_forever(record), name=name)

    async def _poll_forever(self, record: _Record) -> None:
        interval = record.collector.interval_s
        first_slot = self._clock() + self._rng.uniform(0.0, interval)
        slot = first_slot
        while True:
            await asyncio.sleep(max(0.0, slot - self._clock()))
            try:
                self._deliver(await self._poll_once(record, slot))
            except Exception as exc:  # a bug here must not end this target's polling
                logger.error("%s: scheduling failed with %s", record.collector.target_id, type(exc).__name__)
            now = self._clock()
            slots_passed = math.floor((now - first_slot) / interval) + 1
            slot = max(slot + interval, first_slot + slots_passed * interval)

    async def _poll_once(self, record: _Record, slot: float) -> PollResult:
        assert self._semaphore is not None
        collector = record.collector
        async with self._semaphore:
            started = self._clock()
            record.last_started = started
            record.last_was_late = started - slot > LATE_FRACTION * collector.interval_s
            record.late_polls += record.last_was_late
            result = await self._guarded_poll(collector)
        record.polls += 1
        record.last_finished = self._clock()
        record.last_failure, record.last_reason = result.failure, result.reason
        if result.failure is None:
            record.consecutive_failures = 0
        else:
            record.failed_polls += 1
            record.consecutive_failures += 1
        return result

    async def _guarded_poll(self, collector: Collector) -> PollResult:
        interval = collector.interval_s
        target = collector.target_id
        at = self._wall_clock()
        deadline = asyncio.timeout(interval)
        try:
            async with deadline:
                return await collector.poll()
        except Exception as exc:
            if isinstance(exc, TimeoutError) and deadline.expired():
                reason = f"poll cut off after {interval:g} s"
                return PollResult(target, at, failure=State.UNREACHABLE, reason=reason)
            name = type(exc).__name__
            logger.error("%s: collector raised %s at %s", target, name, _raise_site(exc))
            return PollResult(target, at, failure=State.UNKNOWN, reason=f"internal error: {name}")

    def _deliver(self, result: PollResult) -> None:
        try:
            self._sink(result)
        except Exception as exc:
            name = type(exc).__name__
            logger.error("%s: result sink raised %s at %s", result.target, name, _raise_site(exc))

    async def _close(self, collector: Collector) -> None:
        try:
            await collector.aclose()
        except Exception as exc:
            logger.error("%s: closing the collector raised %s", collector.target_id, type(exc).__name__)
