"""R2: replies at 0.9x and 1.1x the timeout, late and duplicate replies, one request in flight per target."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pysnmp.proto import rfc1902
from test_snmp_fake_agent import LEVEL_OID, TRANSPORTS, FakeAgent, Reply, Request, fake_collector, start_fake_agent

from collectors.snmp import runtime
from dutyroom.model import PollResult, State

TIMEOUT_S = 1.0
pytestmark = [
    pytest.mark.parametrize("transport", sorted(TRANSPORTS)),
    pytest.mark.usefixtures("no_earlier_garbage"),  # see tests/unit/conftest.py
]


def level(value: int) -> dict[str, object]:
    return {LEVEL_OID: rfc1902.Gauge32(value)}


def levels(result: PollResult) -> list[float | str]:
    return [sample.value for sample in result.samples if sample.metric == "fake.level"]


async def poll_with(
    transport: str, behaviour: object, polls: int = 1, **options: object
) -> tuple[list[PollResult], FakeAgent]:
    agent = await start_fake_agent(behaviour)  # type: ignore[arg-type]
    collector = fake_collector(agent, transport, timeout_s=TIMEOUT_S, **options)
    try:
        return [await collector.poll() for _ in range(polls)], agent
    finally:
        await collector.aclose()
        agent.close()


async def test_reply_at_0_9x_the_timeout_is_accepted(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        return [(0.9 * TIMEOUT_S, agent.response(request, level(7)))]

    [result], _ = await poll_with(transport, behaviour)
    assert result.ok, result.reason
    assert levels(result) == [7.0]


async def test_reply_at_1_1x_the_timeout_is_a_timeout_and_never_used_later(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        if request.number == 1:
            return [(1.1 * TIMEOUT_S, agent.response(request, level(1)))]  # late: arrives during poll 2
        return [(0.3 * TIMEOUT_S, agent.response(request, level(2)))]

    (first, second), agent = await poll_with(transport, behaviour, polls=2)
    assert first.failure == State.UNREACHABLE
    assert first.reason == "no reply after 1 s x 1 attempt"
    assert second.ok, second.reason
    assert levels(second) == [2.0]  # the late reply to request 1 did not answer request 2
    assert len(agent.requests) == 2


async def test_a_retry_is_a_new_request_and_a_late_first_reply_is_ignored(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        if request.number == 1:
            return [(1.2 * TIMEOUT_S, agent.response(request, level(1)))]
        return [(0.5 * TIMEOUT_S, agent.response(request, level(2)))]

    [result], agent = await poll_with(transport, behaviour, retries=1)
    assert result.ok, result.reason
    assert levels(result) == [2.0]
    assert agent.requests[0].request_id != agent.requests[1].request_id


async def test_duplicate_and_foreign_replies_never_overwrite_the_real_one(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        value = 100 + request.number
        foreign = agent.response(request, level(666), request_id=(request.request_id + 1) % 2**31)
        real = agent.response(request, level(value))
        return [(0.0, foreign), (0.05, real), (0.06, real), (0.07, agent.response(request, level(999)))]

    results, _ = await poll_with(transport, behaviour, polls=3)
    assert [levels(result) for result in results] == [[101.0], [102.0], [103.0]]


async def test_concurrent_polls_share_one_request(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        return [(0.2, agent.response(request, level(request.number)))]

    agent = await start_fake_agent(behaviour)
    collector = fake_collector(agent, transport, timeout_s=TIMEOUT_S)
    try:
        results = await asyncio.gather(*(collector.poll() for _ in range(5)))
        again = await collector.poll()
    finally:
        await collector.aclose()
        agent.close()
    assert agent.max_in_flight == 1
    assert len(agent.requests) == 2
    assert {tuple(levels(result)) for result in results} == {(1.0,)}
    assert levels(again) == [2.0]


@pytest.fixture
def one_request_in_flight() -> Iterator[None]:
    runtime.set_max_in_flight(1)
    try:
        yield
    finally:
        runtime.set_max_in_flight(runtime.DEFAULT_MAX_IN_FLIGHT)


@pytest.mark.usefixtures("one_request_in_flight")
async def test_the_global_cap_holds_across_targets(transport: str) -> None:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        return [(0.05, agent.response(request, level(1)))]

    agent = await start_fake_agent(behaviour)
    collectors = [fake_collector(agent, transport, timeout_s=TIMEOUT_S) for _ in range(4)]
    try:
        results = await asyncio.gather(*(collector.poll() for collector in collectors))
    finally:
        for collector in collectors:
            await collector.aclose()
        agent.close()
    assert all(result.ok for result in results)
    assert len(agent.requests) == 4
    assert agent.max_in_flight == 1
