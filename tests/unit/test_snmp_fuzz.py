"""R3: garbage, truncated, mutated, wrong-type, huge and exceptional replies never crash a poll.

10,000 fuzzed datagrams go at the real client through a UDP fake agent, each burst ahead of the real reply;
every poll ends OK, UNKNOWN or UNREACHABLE with a short clean reason. The decoder is also fed random values directly.
"""

from __future__ import annotations

import random
import time

import pytest
from pyasn1.type import univ
from pysnmp.proto import rfc1902, rfc1905
from test_snmp_fake_agent import LEVEL_OID, TRANSPORTS, FakeAgent, Reply, Request, fake_collector, start_fake_agent

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue
from dutyroom.model import PollResult, State
from dutyroom.textclean import clean_text

PACKETS = 10_000
PER_REQUEST = 200
TIME_BUDGET_S = 60.0

ODD_VALUES = [
    rfc1902.OctetString(b"\x1b[2J\x1b]0;pwned\x07[@click=app.quit]"),
    rfc1902.OctetString(b"x" * 60_000),  # near the largest UDP datagram
    rfc1902.OctetString(b"12.5"),
    rfc1902.OctetString(b""),
    rfc1902.Counter64(2**64 - 1),
    rfc1902.Integer32(-(2**31)),
    rfc1902.TimeTicks(2**32 - 1),
    rfc1902.IpAddress("10.0.0.1"),
    rfc1902.ObjectIdentifier("1.3.6.1.4.1.99999.666"),
    rfc1902.Opaque(b"\x9f\x78\x04\x41\x20\x00\x00"),
    univ.Null(""),
    rfc1905.NoSuchObject(""),
    rfc1905.NoSuchInstance(""),
    rfc1905.EndOfMibView(""),
]


def mutate(packet: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return packet[: rng.randrange(len(packet))]  # truncated
    if choice == 1:
        data = bytearray(packet)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 2:
        position = rng.randrange(len(packet))
        return packet[:position] + rng.randbytes(rng.randint(1, 8)) + packet[position:]
    if choice == 3:
        return rng.randbytes(rng.randint(0, 300))
    if choice == 4:
        return packet + rng.randbytes(rng.randint(1, 40))  # trailing garbage
    data = bytearray(packet)
    data[1] = rng.choice([0x80, 0x84, 0xFF, 0x00])  # broken outer length
    return bytes(data)


def fuzzing_behaviour(rng: random.Random, sent: list[int]) -> object:
    def behaviour(request: Request, agent: FakeAgent) -> list[Reply]:
        odd = rng.choice(ODD_VALUES)
        good = agent.response(request, {LEVEL_OID: odd if rng.random() < 0.5 else rfc1902.Gauge32(5)})
        replies = [(0.0, mutate(good, rng)) for _ in range(PER_REQUEST)]
        replies.append((0.0, good))  # every poll ends on a real reply, never on a race with the clock
        sent.append(len(replies))
        return replies

    return behaviour


def assert_clean(result: PollResult) -> None:
    assert isinstance(result, PollResult)
    assert result.failure in (None, State.UNKNOWN, State.UNREACHABLE)
    assert result.reason == clean_text(result.reason)
    assert len(result.reason) <= 200
    assert "internal error" not in result.reason
    for sample in result.samples:
        assert isinstance(sample.value, float)


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
@pytest.mark.usefixtures("no_earlier_garbage")
async def test_ten_thousand_fuzzed_replies_never_crash_a_poll(transport: str) -> None:
    rng = random.Random(20260101)
    sent: list[int] = []
    agent = await start_fake_agent(fuzzing_behaviour(rng, sent))  # type: ignore[arg-type]
    # The client reads 200 mangled datagrams before the real reply: pysnmp needs ~60 ms for them idle and
    # ten times that on a loaded machine, so the timeout only bounds a poll that a mangled datagram derailed.
    collector = fake_collector(agent, transport, timeout_s=3.0, retries=0, interval_s=5.0)
    states: dict[State | None, int] = {}
    started = time.monotonic()
    try:
        while sum(sent) < PACKETS and time.monotonic() - started < TIME_BUDGET_S:
            result = await collector.poll()
            assert_clean(result)
            states[result.failure] = states.get(result.failure, 0) + 1
    finally:
        await collector.aclose()
        agent.close()
    assert sum(sent) >= PACKETS
    assert states.get(None, 0) > 0  # some intact replies got through and decoded
    assert states.get(State.UNKNOWN, 0) > 0  # and wrong types were reported, not crashed on


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
@pytest.mark.usefixtures("one_snmp_runtime")  # one engine for the 14 collectors (see tests/unit/conftest.py)
async def test_each_odd_value_maps_to_a_clean_state(transport: str) -> None:
    for odd in ODD_VALUES:

        def behaviour(request: Request, agent: FakeAgent, odd: object = odd) -> list[Reply]:
            return [(0.0, agent.response(request, {LEVEL_OID: odd}))]

        agent = await start_fake_agent(behaviour)
        collector = fake_collector(agent, transport)
        try:
            result = await collector.poll()
        finally:
            await collector.aclose()
            agent.close()
        assert_clean(result)
        if isinstance(odd, rfc1902.OctetString) and bytes(odd) == b"12.5":
            assert result.ok  # numeric text is a number
        elif not isinstance(odd, rfc1902.Integer32 | rfc1902.Counter64 | rfc1902.TimeTicks):
            assert result.failure == State.UNKNOWN, (odd, result)
            assert "\x1b" not in result.reason


def random_value(rng: random.Random) -> SnmpValue:
    kind = rng.choice(list(Kind))
    payloads: list[int | bytes | str | None] = [
        rng.randint(-(2**70), 2**70), rng.randbytes(rng.randint(0, 40)), "1.3.6.1", None, "nan", b"inf", b"1e400",
    ]  # fmt: skip
    return SnmpValue(kind, rng.choice(payloads))


def test_decoder_survives_random_values_for_every_profile() -> None:
    rng = random.Random(7)
    profiles = [load_profile(name) for name in ("ups-mib", "apc-ups", "if-mib", "host-resources", "entity-sensor")]
    for _ in range(400):
        profile = rng.choice(profiles)
        scalars = {name: random_value(rng) for name in profile.scalars if rng.random() < 0.8}
        tables: dict[str, dict[tuple[int, ...], dict[str, SnmpValue]]] = {
            table.name: {
                (rng.randint(0, 5),): {column: random_value(rng) for column in table.columns if rng.random() < 0.8}
                for _ in range(rng.randint(0, 4))
            }
            for table in profile.tables
        }
        decoded = decode(profile, Fetched(scalars, tables), target="t", at=0.0)
        assert decoded.problem == clean_text(decoded.problem)
        for sample in decoded.samples:
            assert isinstance(sample.value, float | str)
            assert all(value == clean_text(value) for _, value in sample.labels)
