"""TCP probes and connect timeouts on loopback, and R1: dead targets do not slow the live ones down."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from collectors.base import Collector
from collectors.http import HttpCollector
from collectors.http_clients import HttpClients
from collectors.http_spec import HttpTargetSpec
from collectors.scheduler import Scheduler
from collectors.tcp import TcpCollector, TcpTargetSpec
from dutyroom.model import PollResult, State

pytestmark = pytest.mark.integration

GENEROUS_BOUND_S = 5.0


@contextlib.contextmanager
def listener_with_full_backlog() -> Iterator[int]:
    """A socket that listens but never accepts, its accept queue full: new connects hang, on loopback."""
    server = socket.socket()
    fillers: list[socket.socket] = []
    try:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = int(server.getsockname()[1])
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        with socket.socket() as check:
            check.settimeout(0.3)
            try:
                check.connect(("127.0.0.1", port))
            except TimeoutError:
                yield port
                return
        pytest.skip("this kernel accepts connections beyond a full backlog; no connect timeout on loopback")
    finally:
        for filler in fillers:
            filler.close()
        server.close()


class NoJitter(random.Random):
    """Every first poll at once, so the dead targets' polls are surely under way in the window."""

    def uniform(self, a: float, b: float) -> float:
        return a


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def health_server() -> AsyncIterator[int]:
    """Accepts connections and answers every HTTP request with a small JSON health document."""
    body = json.dumps({"throughput": {"orders": 10}}).encode()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    yield int(server.sockets[0].getsockname()[1])
    server.close()


async def test_tcp_probe_up(health_server: int) -> None:
    result = await TcpCollector(TcpTargetSpec("gw", "127.0.0.1", health_server, timeout_s=1.0)).poll()
    assert result.ok, result.reason
    values = {sample.metric: sample.value for sample in result.samples}
    assert values["tcp.up"] == 1.0
    assert isinstance(values["tcp.connect_ms"], float)
    assert values["tcp.connect_ms"] >= 0.0


async def test_tcp_probe_refused() -> None:
    result = await TcpCollector(TcpTargetSpec("gw", "127.0.0.1", closed_port(), timeout_s=1.0)).poll()
    assert (result.failure, result.reason) == (State.UNREACHABLE, "connection refused")
    assert [(s.metric, s.value) for s in result.samples] == [("tcp.up", 0.0)]


async def test_tcp_and_http_connect_timeouts() -> None:
    clients = HttpClients()
    try:
        with listener_with_full_backlog() as port:
            started = time.monotonic()
            tcp = await TcpCollector(TcpTargetSpec("line", "127.0.0.1", port, timeout_s=0.3)).poll()
            http_spec = HttpTargetSpec("gw", f"http://127.0.0.1:{port}/health", timeout_s=0.5)
            http = await HttpCollector(http_spec, clients.client_for()).poll()
            elapsed = time.monotonic() - started
    finally:
        await clients.aclose()
    assert (tcp.failure, tcp.reason) == (State.UNREACHABLE, "connect timeout after 0.3 s")
    assert (http.failure, http.reason) == (State.UNREACHABLE, "connect timeout after 0.5 s")
    assert elapsed < GENEROUS_BOUND_S


async def test_dead_targets_with_long_timeouts_do_not_delay_live_ones(health_server: int) -> None:
    """R1: a TCP target that never connects and an HTTP target that never answers, each with a 3 s timeout,
    start together with live targets polled every 0.2 s; the live ones keep their cadence."""
    clients = HttpClients()
    results: list[PollResult] = []
    with listener_with_full_backlog() as dead_port:
        collectors: list[Collector] = [
            TcpCollector(TcpTargetSpec("dead-line", "127.0.0.1", dead_port, interval_s=5.0, timeout_s=3.0)),
            HttpCollector(
                HttpTargetSpec("dead-gw", f"http://127.0.0.1:{dead_port}/", interval_s=5.0, timeout_s=3.0),
                clients.client_for(),
            ),
            TcpCollector(TcpTargetSpec("live-line", "127.0.0.1", health_server, interval_s=0.2, timeout_s=1.0)),
            HttpCollector(
                HttpTargetSpec(
                    "live-gw",
                    f"http://127.0.0.1:{health_server}/health",
                    interval_s=0.2,
                    timeout_s=1.0,
                    fields={"orders_per_s": "throughput.orders"},
                ),
                clients.client_for(),
            ),
        ]
        scheduler = Scheduler(collectors, results.append, rng=NoJitter())
        task = asyncio.create_task(scheduler.run())
        await asyncio.sleep(3.5)  # the dead targets' first polls end (3 s timeout) inside the window
        health = scheduler.health()
        scheduler.stop()
        await asyncio.wait_for(task, timeout=10)
    await clients.aclose()
    for live in ("live-line", "live-gw"):
        polls = [r for r in results if r.target == live]
        assert 10 <= len(polls) <= 19, (live, len(polls))  # ~17 expected in 3.5 s at 0.2 s
        assert all(r.ok for r in polls)
    dead = {r.target: (r.failure, r.reason) for r in results if r.target.startswith("dead")}
    assert dead == {
        "dead-line": (State.UNREACHABLE, "connect timeout after 3 s"),
        "dead-gw": (State.UNREACHABLE, "connect timeout after 3 s"),
    }
    assert health.on_time + health.late == 2
