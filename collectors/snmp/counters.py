"""Counter rates done right: Counter32 wraps, Counter64 resets, agent restarts and discontinuities.

Pure: readings carry the monotonic time they were taken; nothing here reads a clock or does I/O.
A rate is never negative; the first reading, a reset or a discontinuity gives no rate (re-baseline).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum

TIMETICKS_WRAP = 2**32
"""sysUpTime (hundredths of a second) wraps after ~497 days."""
UPTIME_SLACK_TICKS = 60 * 100
"""How far sysUpTime may run ahead of our clock across a wrap (clock skew, slow replies)."""


class RateStatus(StrEnum):
    OK = "ok"
    WRAPPED = "wrapped"
    """A Counter32 passed 2^32 once; the rate is still valid."""
    FIRST = "first"
    RESET = "reset"
    """The counter went down (Counter64 reset, or a counter of unknown width)."""
    DISCONTINUITY = "discontinuity"
    NO_TIME = "no-time"


@dataclass(frozen=True, slots=True)
class Reading:
    value: int
    bits: int
    """32 or 64: the counter's width (a Counter32 may wrap once between readings)."""
    at: float
    """Monotonic seconds."""
    discontinuity: float | None = None
    """ifCounterDiscontinuityTime (or similar) at the time of the reading, when the table has one."""


@dataclass(frozen=True, slots=True)
class Rate:
    status: RateStatus
    per_second: float | None = None


def counter_rate(previous: Reading | None, current: Reading) -> Rate:
    """The per-second rate between two readings of one counter."""
    if previous is None or previous.bits != current.bits:
        return Rate(RateStatus.FIRST)
    if current.discontinuity != previous.discontinuity:
        return Rate(RateStatus.DISCONTINUITY)
    elapsed = current.at - previous.at
    if elapsed <= 0:
        return Rate(RateStatus.NO_TIME)
    delta = current.value - previous.value
    status = RateStatus.OK
    if delta < 0:
        if current.bits != 32:
            return Rate(RateStatus.RESET)
        delta += 2**32
        status = RateStatus.WRAPPED
    return Rate(status, delta / elapsed)


@dataclass(slots=True)
class CounterTracker:
    """The last reading of every counter of one target, keyed by name (never by ifIndex)."""

    _last: dict[Hashable, Reading] = field(default_factory=dict)

    def update(self, key: Hashable, reading: Reading) -> Rate:
        rate = counter_rate(self._last.get(key), reading)
        self._last[key] = reading
        return rate

    def rebaseline(self) -> None:
        """Forget every reading: after an agent restart no delta across it means anything."""
        self._last.clear()

    def forget_missing(self, seen: set[Hashable]) -> None:
        """Drop counters that were not read this poll (interfaces removed), so memory stays flat."""
        for key in [key for key in self._last if key not in seen]:
            del self._last[key]

    def __len__(self) -> int:
        return len(self._last)


@dataclass(frozen=True, slots=True)
class AgentClock:
    """What the agent says about its own time, read at monotonic `at`."""

    at: float
    uptime_ticks: int | None = None
    engine_boots: int | None = None
    engine_time: int | None = None


def agent_restart(previous: AgentClock | None, current: AgentClock) -> str:
    """Why the agent must have restarted between two clocks, or "" when nothing says so."""
    if previous is None:
        return ""
    boots = (previous.engine_boots, current.engine_boots)
    if None not in boots and boots[0] != boots[1]:
        return f"snmpEngineBoots changed {boots[0]} -> {boots[1]}"
    if previous.uptime_ticks is not None and current.uptime_ticks is not None:
        if current.uptime_ticks >= previous.uptime_ticks or _uptime_wrapped(previous, current):
            return ""
        return f"sysUpTime went back {previous.uptime_ticks} -> {current.uptime_ticks}"
    times = (previous.engine_time, current.engine_time)
    if times[0] is not None and times[1] is not None and times[1] < times[0]:
        return f"snmpEngineTime went back {times[0]} -> {times[1]}"
    return ""


def _uptime_wrapped(previous: AgentClock, current: AgentClock) -> bool:
    """sysUpTime went down because it passed 2^32 ticks, not because the agent restarted."""
    elapsed_ticks = max(0.0, current.at - previous.at) * 100
    expected = previous.uptime_ticks + elapsed_ticks if previous.uptime_ticks is not None else 0.0
    if expected + UPTIME_SLACK_TICKS < TIMETICKS_WRAP:
        return False
    unwrapped = (current.uptime_ticks or 0) + TIMETICKS_WRAP
    return abs(unwrapped - expected) <= UPTIME_SLACK_TICKS + elapsed_ticks * 0.05
