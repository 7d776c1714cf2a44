"""HostCollector reading this machine through psutil."""

from __future__ import annotations

import asyncio

import pytest

from collectors.host import HostCollector, HostSpec
from dutyroom.model import State

pytestmark = pytest.mark.integration


async def test_reads_this_host() -> None:
    collector = HostCollector(HostSpec("console", mount_points=("/",)))
    await collector.poll()
    await asyncio.sleep(0.3)  # CPU use needs two readings some clock ticks apart
    result = await collector.poll()
    assert result.ok, result.reason
    values = {s.metric: s.value for s in result.samples}
    assert set(values) == {
        "host.cpu_pct", "host.mem_used_pct", "host.load1", "host.load5", "host.load15",
        "host.disk_used_pct", "host.uptime_s",
    }  # fmt: skip
    for metric in ("host.cpu_pct", "host.mem_used_pct", "host.disk_used_pct"):
        value = values[metric]
        assert isinstance(value, float)
        assert 0.0 <= value <= 100.0
    assert isinstance(values["host.uptime_s"], float)
    assert values["host.uptime_s"] > 0


async def test_missing_mount_point() -> None:
    result = await HostCollector(HostSpec("console", mount_points=("/", "/no/such/mount"))).poll()
    assert (result.failure, result.reason) == (
        State.UNKNOWN,
        "disk /no/such/mount: No such file or directory",
    )
    assert [s.labels for s in result.samples if s.metric == "host.disk_used_pct"] == [(("path", "/"),)]
