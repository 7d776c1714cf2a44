"""R2 on a loaded host: pysnmp's one-off setup of a target is done before the attempt's deadline starts.

The first request to a target makes pysnmp write the target and its community into the engine's local
configuration (~20 ms idle, hundreds of ms on a loaded two-core machine). Inside the deadline, that work ate
the margin of a reply at 0.9x the timeout: a healthy agent was reported UNREACHABLE on a busy poller.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from pysnmp.hlapi.v3arch.asyncio import cmdgen
from pysnmp.proto import rfc1902
from test_snmp_fake_agent import LEVEL_OID, FakeAgent, Reply, Request, fake_collector, start_fake_agent

TIMEOUT_S = 6.0
REPLY_AFTER_S = 0.5 * TIMEOUT_S
"""Late, yet inside the deadline with 3 s to spare: slack for this test's own host being busy (a clean-clone run on
four workers and two cores used 0.75 s of it and more)."""
SLOW_SETUP_S = 4.0
"""What the one-off setup costs on a loaded host, made certain: more than the margin of the reply, so a setup inside
the deadline fails the test however busy the host."""


@pytest.fixture
def slow_first_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first configuration of each engine blocks the loop as a loaded host does; later ones are free."""
    configure = cmdgen.LCD.configure
    configured: set[int] = set()

    def slow_configure(engine: Any, *args: Any, **options: Any) -> Any:
        if id(engine) not in configured:
            configured.add(id(engine))
            time.sleep(SLOW_SETUP_S)
        return configure(engine, *args, **options)

    monkeypatch.setattr(cmdgen.LCD, "configure", slow_configure)


@pytest.mark.usefixtures("slow_first_setup")
async def test_a_late_first_reply_inside_the_timeout_is_accepted_however_slow_the_setup() -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        return [(REPLY_AFTER_S, agent.response(request, {LEVEL_OID: rfc1902.Gauge32(7)}))]

    agent = await start_fake_agent(behaviour)
    collector = fake_collector(agent, "pysnmp", timeout_s=TIMEOUT_S, interval_s=2 * TIMEOUT_S)
    try:
        result = await collector.poll()
    finally:
        await collector.aclose()
        agent.close()
    assert result.ok, result.reason
    assert len(agent.requests) == 1
