"""The console host itself through psutil: CPU, memory, load, disk use of chosen mount points, uptime.

psutil reads /proc synchronously, so every reading runs in a worker thread, never on the event loop.
CPU use is computed from this collector's own previous reading (psutil's `cpu_percent` keeps one
process-wide baseline that any other caller would disturb); the first poll gives no CPU sample.
A mount point that cannot be read is failure UNKNOWN beside the samples that could be read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import psutil  # no stubs; see the report (types-psutil)

from dutyroom.model import PollResult, Sample, State, make_labels
from dutyroom.textclean import clean_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HostSpec:
    target_id: str
    interval_s: float = 10.0
    mount_points: tuple[str, ...] = field(default=("/",))


def cpu_busy_and_total(times: Any) -> tuple[float, float]:
    """Busy and total CPU seconds, counted the way psutil and htop do (iowait idle, guest inside user)."""
    total = float(sum(times)) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    busy = total - times.idle - getattr(times, "iowait", 0.0)
    return busy, total


def seconds_since_boot() -> float:
    """CLOCK_BOOTTIME where there is one, so a wall-clock jump does not change the uptime."""
    if hasattr(time, "CLOCK_BOOTTIME"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.time() - float(psutil.boot_time())


@dataclass(frozen=True, slots=True)
class HostReading:
    cpu_times: Any
    mem_used_pct: float
    load: tuple[float, float, float]
    disk_used_pct: dict[str, float]
    disk_problems: list[str]
    uptime_s: float


def read_host(mount_points: tuple[str, ...]) -> HostReading:
    """One blocking read of everything (call it off the event loop)."""
    disk_used: dict[str, float] = {}
    problems: list[str] = []
    for path in mount_points:
        try:
            disk_used[path] = float(psutil.disk_usage(path).percent)
        except OSError as exc:
            problems.append(f"disk {clean_text(path, 60)}: {clean_text(exc.strerror or 'unreadable', 60)}")
    load1, load5, load15 = psutil.getloadavg()
    return HostReading(
        cpu_times=psutil.cpu_times(),
        mem_used_pct=float(psutil.virtual_memory().percent),
        load=(float(load1), float(load5), float(load15)),
        disk_used_pct=disk_used,
        disk_problems=problems,
        uptime_s=seconds_since_boot(),
    )


class HostCollector:
    """Polls the machine it runs on; `poll` never raises."""

    def __init__(
        self,
        spec: HostSpec,
        *,
        wall_clock: Callable[[], float] = time.time,
        reader: Callable[[tuple[str, ...]], HostReading] = read_host,
    ) -> None:
        self.spec = spec
        self._wall_clock = wall_clock
        self._reader = reader
        self._previous_cpu: tuple[float, float] | None = None

    @property
    def target_id(self) -> str:
        return self.spec.target_id

    @property
    def interval_s(self) -> float:
        return self.spec.interval_s

    async def aclose(self) -> None:
        return None

    async def poll(self) -> PollResult:
        at = self._wall_clock()
        started = time.perf_counter()
        try:
            reading = await asyncio.to_thread(self._reader, self.spec.mount_points)
            result = self._to_result(reading, at)
        except Exception as exc:  # the contract: a state, never a crash
            logger.error("%s: host reading failed with %s", self.target_id, type(exc).__name__)
            reason = f"internal error: {type(exc).__name__}"
            result = PollResult(self.target_id, at, failure=State.UNKNOWN, reason=reason)
        return replace(result, duration_s=time.perf_counter() - started)

    def _cpu_pct(self, reading: HostReading) -> float | None:
        busy, total = cpu_busy_and_total(reading.cpu_times)
        previous, self._previous_cpu = self._previous_cpu, (busy, total)
        if previous is None or total <= previous[1]:
            return None
        busy_delta = max(0.0, busy - previous[0])
        return round(min(100.0, 100.0 * busy_delta / (total - previous[1])), 2)

    def _to_result(self, reading: HostReading, at: float) -> PollResult:
        target = self.target_id
        samples = [
            Sample(target, "host.mem_used_pct", reading.mem_used_pct, at, unit="%"),
            Sample(target, "host.load1", reading.load[0], at),
            Sample(target, "host.load5", reading.load[1], at),
            Sample(target, "host.load15", reading.load[2], at),
            Sample(target, "host.uptime_s", round(reading.uptime_s, 1), at, unit="s"),
        ]
        cpu_pct = self._cpu_pct(reading)
        if cpu_pct is not None:
            samples.insert(0, Sample(target, "host.cpu_pct", cpu_pct, at, unit="%"))
        for path, used_pct in reading.disk_used_pct.items():
            labels = make_labels({"path": path})
            samples.append(Sample(target, "host.disk_used_pct", used_pct, at, labels, unit="%"))
        if reading.disk_problems:
            problems = reading.disk_problems
            reason = problems[0] if len(problems) == 1 else f"{problems[0]} (and {len(problems) - 1} more)"
            return PollResult(target, at, samples=tuple(samples), failure=State.UNKNOWN, reason=reason)
        return PollResult(target, at, samples=tuple(samples))
