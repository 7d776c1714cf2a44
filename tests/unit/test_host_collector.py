"""HostCollector with a fake reader: CPU from its own deltas, disk problems, the never-raise contract."""

from __future__ import annotations

from collections import namedtuple

from collectors.host import HostCollector, HostReading, HostSpec, cpu_busy_and_total
from dutyroom.model import State

CpuTimes = namedtuple("CpuTimes", "user nice system idle iowait irq softirq steal guest guest_nice")


def reading(cpu: CpuTimes, problems: list[str] | None = None) -> HostReading:
    return HostReading(
        cpu_times=cpu,
        mem_used_pct=41.5,
        load=(0.5, 0.25, 0.125),
        disk_used_pct={"/": 70.0},
        disk_problems=problems or [],
        uptime_s=86400.04,
    )


def test_busy_time_counts_iowait_as_idle_and_guest_inside_user() -> None:
    busy, total = cpu_busy_and_total(CpuTimes(10, 0, 5, 80, 5, 0, 0, 0, 3, 0))
    assert (busy, total) == (15.0, 100.0)


async def test_cpu_comes_from_the_second_reading_on() -> None:
    readings = iter(
        [
            reading(CpuTimes(10, 0, 10, 80, 0, 0, 0, 0, 0, 0)),
            reading(CpuTimes(40, 0, 20, 140, 0, 0, 0, 0, 0, 0)),
        ]
    )
    collector = HostCollector(HostSpec("console"), wall_clock=lambda: 7.0, reader=lambda paths: next(readings))
    first = await collector.poll()
    second = await collector.poll()
    assert first.ok
    assert "host.cpu_pct" not in {s.metric for s in first.samples}
    values = {(s.metric, s.labels): s.value for s in second.samples}
    assert values[("host.cpu_pct", ())] == 40.0  # 40 busy of 100 s
    assert values[("host.mem_used_pct", ())] == 41.5
    assert values[("host.load15", ())] == 0.125
    assert values[("host.disk_used_pct", (("path", "/"),))] == 70.0
    assert values[("host.uptime_s", ())] == 86400.0
    assert {s.at for s in second.samples} == {7.0}


async def test_unreadable_mount_point_is_unknown_beside_the_other_samples() -> None:
    cpu = CpuTimes(1, 0, 1, 1, 0, 0, 0, 0, 0, 0)
    collector = HostCollector(HostSpec("console"), reader=lambda paths: reading(cpu, ["disk /data: gone"]))
    result = await collector.poll()
    assert (result.failure, result.reason) == (State.UNKNOWN, "disk /data: gone")
    assert "host.mem_used_pct" in {s.metric for s in result.samples}


async def test_a_failing_reader_is_an_internal_error_not_a_crash() -> None:
    def broken(paths: tuple[str, ...]) -> HostReading:
        raise PermissionError("/proc is hidden")

    result = await HostCollector(HostSpec("console"), reader=broken).poll()
    assert (result.failure, result.reason) == (State.UNKNOWN, "internal error: PermissionError")
