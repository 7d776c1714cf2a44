"""The scheduler with fake collectors: jitter, stacking, backstop, broken collectors, cap, health, clocks.

Intervals are short (0.1-0.2 s) and every run is bounded; assertions count polls in a window with
generous bounds, never exact durations.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

import pytest

from collectors.scheduler import PollHealth, Scheduler
from dutyroom.model import PollResult, Sample, State

INTERVAL = 0.1


class FakeCollector:
    def __init__(
        self,
        target_id: str,
        interval_s: float = INTERVAL,
        behaviour: Callable[[], Awaitable[PollResult | None]] | None = None,
    ) -> None:
        self._target_id = target_id
        self._interval_s = interval_s
        self._behaviour = behaviour
        self.polls = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.closed = False

    @property
    def target_id(self) -> str:
        return self._target_id

    @property
    def interval_s(self) -> float:
        return self._interval_s

    async def poll(self) -> PollResult:
        self.polls += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            outcome = await self._behaviour() if self._behaviour is not None else None
        finally:
            self.in_flight -= 1
        if outcome is not None:
            return outcome
        return PollResult(self.target_id, time.time(), samples=(Sample(self.target_id, "x", 1.0, time.time()),))

    async def aclose(self) -> None:
        self.closed = True


async def run_for(scheduler: Scheduler, seconds: float) -> None:
    task = asyncio.create_task(scheduler.run())
    await asyncio.sleep(seconds)
    scheduler.stop()
    await asyncio.wait_for(task, timeout=5)


class ScriptedRandom(random.Random):
    """Hands out the given fractions of the range, in order: a deterministic jitter."""

    def __init__(self, fractions: list[float]) -> None:
        super().__init__(0)
        self._fractions = list(fractions)

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self._fractions.pop(0)


async def test_first_polls_follow_the_jitter_not_the_list_order() -> None:
    order: list[str] = []
    collectors = [FakeCollector(name, interval_s=0.3) for name in ("a", "b", "c")]
    scheduler = Scheduler(collectors, lambda result: order.append(result.target), rng=ScriptedRandom([0.9, 0.0, 0.45]))
    await run_for(scheduler, 0.35)
    assert order[:3] == ["b", "c", "a"]


async def test_results_reach_the_sink_at_the_interval() -> None:
    results: list[PollResult] = []
    collector = FakeCollector("a")
    await run_for(Scheduler([collector], results.append), 1.0)
    assert 5 <= len(results) <= 12  # ~10 expected: first poll within the first interval, then every 0.1 s
    assert all(result.ok for result in results)
    assert collector.closed


async def test_a_slow_poll_is_never_stacked() -> None:
    async def slow() -> None:
        await asyncio.sleep(INTERVAL * 1.5)  # overruns its slot; the backstop is one interval

    slow_collector = FakeCollector("slow", interval_s=INTERVAL * 2, behaviour=slow)
    await run_for(Scheduler([slow_collector], lambda result: None), 1.0)
    assert slow_collector.peak_in_flight == 1
    assert 2 <= slow_collector.polls <= 6


async def test_hanging_collector_is_cut_off_and_others_keep_their_cadence() -> None:
    async def hang() -> None:
        await asyncio.sleep(3600)

    results: list[PollResult] = []
    hanging, healthy = FakeCollector("hang", interval_s=0.2, behaviour=hang), FakeCollector("ok")
    await run_for(Scheduler([hanging, healthy], results.append), 1.0)
    cut = [r for r in results if r.target == "hang"]
    assert cut
    assert {(r.failure, r.reason) for r in cut} == {(State.UNREACHABLE, "poll cut off after 0.2 s")}
    assert 5 <= sum(1 for r in results if r.target == "ok") <= 12


@pytest.mark.parametrize("error", [ZeroDivisionError, TimeoutError])
async def test_collector_that_raises_becomes_unknown_and_keeps_being_polled(error: type[Exception]) -> None:
    async def boom() -> None:
        raise error("device said 1/0")

    results: list[PollResult] = []
    await run_for(Scheduler([FakeCollector("bad", behaviour=boom)], results.append), 0.6)
    assert len(results) >= 3
    assert {(r.failure, r.reason) for r in results} == {(State.UNKNOWN, f"internal error: {error.__name__}")}


async def test_a_raising_sink_does_not_stop_polling() -> None:
    collector = FakeCollector("a")

    def sink(result: PollResult) -> None:
        raise RuntimeError("engine hiccup")

    await run_for(Scheduler([collector], sink), 0.6)
    assert collector.polls >= 3


async def test_global_cap_on_polls_in_flight() -> None:
    in_flight = 0
    peak = 0

    async def busy() -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1

    collectors = [FakeCollector(f"t{i}", behaviour=busy) for i in range(8)]
    await run_for(Scheduler(collectors, lambda result: None, max_in_flight=2), 0.6)
    assert peak == 2
    assert all(collector.polls >= 1 for collector in collectors)


async def test_health_counts_and_staleness_follow_the_monotonic_clock() -> None:
    offset = 0.0

    def clock() -> float:
        return time.monotonic() + offset

    async def refused() -> PollResult:
        return PollResult("down", time.time(), failure=State.UNREACHABLE, reason="connection refused")

    async def garbage() -> PollResult:
        return PollResult("odd", time.time(), failure=State.UNKNOWN, reason="invalid JSON at line 1 col 1")

    collectors = [
        FakeCollector("ok"),
        FakeCollector("down", behaviour=refused),
        FakeCollector("odd", behaviour=garbage),
    ]
    scheduler = Scheduler(collectors, lambda result: None, clock=clock)
    before = scheduler.health()
    assert before.pending == 3
    await run_for(scheduler, 0.5)
    health = scheduler.health()
    assert (health.on_time + health.late, health.unreachable, health.failing, health.stale) == (1, 1, 1, 0)
    by_target = {target.target_id: target for target in health.targets}
    assert by_target["down"].consecutive_failures == by_target["down"].polls >= 2
    assert by_target["down"].last_reason == "connection refused"
    assert by_target["ok"].last_finished is not None
    offset += 2 * INTERVAL + 15.1  # no poll for longer than 2 x interval + 15 s
    assert scheduler.health().stale == 3
    assert {t.status for t in scheduler.health().targets} == {PollHealth.STALE}


async def test_wall_clock_jumps_do_not_change_the_cadence() -> None:
    """R8: the wall clock jumps +/- 1 h on every read; polling runs on the monotonic clock only."""
    jumps = iter([3600.0, -3600.0] * 1000)

    def jumping_wall_clock() -> float:
        return time.time() + next(jumps)

    async def fail() -> None:
        raise ValueError("uses the wall clock for the result stamp")

    steady, failing = FakeCollector("steady"), FakeCollector("failing", behaviour=fail)
    results: list[PollResult] = []
    await run_for(Scheduler([steady, failing], results.append, wall_clock=jumping_wall_clock), 1.0)
    assert 5 <= steady.polls <= 12
    assert 5 <= failing.polls <= 12


async def test_stop_before_run_returns_at_once_and_closes() -> None:
    collector = FakeCollector("a")
    scheduler = Scheduler([collector], lambda result: None)
    scheduler.stop()
    await asyncio.wait_for(scheduler.run(), timeout=5)
    assert collector.closed
    assert collector.polls == 0


async def test_cancelling_run_cancels_polls_and_closes_collectors() -> None:
    async def hang() -> None:
        await asyncio.sleep(3600)

    collector = FakeCollector("a", interval_s=10.0, behaviour=hang)
    task = asyncio.create_task(Scheduler([collector], lambda result: None, rng=ScriptedRandom([0.0])).run())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)
    assert collector.closed
    assert collector.in_flight == 0


async def test_targets_added_and_removed_while_running() -> None:
    first, second = FakeCollector("a"), FakeCollector("b")
    scheduler = Scheduler([first], lambda result: None)
    task = asyncio.create_task(scheduler.run())
    await asyncio.sleep(0.3)
    scheduler.add(second)
    await asyncio.sleep(0.4)
    await scheduler.remove("a")
    polls_at_removal = first.polls
    await asyncio.sleep(0.3)
    scheduler.stop()
    await asyncio.wait_for(task, timeout=5)
    assert first.closed
    assert first.polls == polls_at_removal
    assert second.polls >= 2
    assert scheduler.target_ids == ("b",)


def test_duplicate_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate target id"):
        Scheduler([FakeCollector("a"), FakeCollector("a")], lambda result: None)
