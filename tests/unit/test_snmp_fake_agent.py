"""A tiny scriptable SNMP v1/v2c agent on a loopback UDP port, for timing and fuzz tests of the client.

The agent decodes requests with pysnmp's own codec (independent of the code under test) and answers as
the test's `behaviour` says: what to send back, after which delays, how many times, possibly mangled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1902

from collectors.snmp.collector import SnmpCollector, TransportFactory, auto_transport, pysnmp_transport
from collectors.snmp.profiles import parse_profile
from collectors.snmp.spec import SnmpTargetSpec


@dataclass
class Request:
    """One request the agent received."""

    request_id: int
    oids: tuple[str, ...]
    kind: str
    raw: bytes
    number: int
    """1 for the first request the agent saw, 2 for the next, ..."""


Reply = tuple[float, bytes]
"""Send `bytes` after `float` seconds."""
Behaviour = Callable[[Request, "FakeAgent"], Sequence[Reply]]


@dataclass
class FakeAgent(asyncio.DatagramProtocol):
    behaviour: Behaviour
    values: dict[str, Any] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    transport: asyncio.DatagramTransport | None = None
    port: int = 0
    _pending: set[asyncio.TimerHandle] = field(default_factory=set)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)
        self.port = self.transport.get_extra_info("sockname")[1]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        request = decode_request(data, len(self.requests) + 1)
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        replies = list(self.behaviour(request, self))
        loop = asyncio.get_running_loop()
        if not replies:
            self.in_flight -= 1
        for position, (delay, payload) in enumerate(replies):
            last = position == len(replies) - 1
            handle = loop.call_later(delay, self._send, payload, addr, last)
            self._pending.add(handle)

    def _send(self, payload: bytes, addr: tuple[str, int], last: bool) -> None:
        if last:
            self.in_flight -= 1
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(payload, addr)

    def response(self, request: Request, values: dict[str, Any] | None = None, *, request_id: int = -1) -> bytes:
        """An encoded GET response for `request` with `values` (OID text -> pysnmp value)."""
        return encode_response(request, {**self.values, **(values or {})}, request_id=request_id)

    def close(self) -> None:
        for handle in self._pending:
            handle.cancel()
        if self.transport is not None:
            self.transport.close()


def decode_request(data: bytes, number: int) -> Request:
    version = int(api.decodeMessageVersion(data))
    module = api.PROTOCOL_MODULES[version]
    message, _ = decoder.decode(data, asn1Spec=module.Message())
    pdu = module.apiMessage.get_pdu(message)
    oids = tuple(str(name) for name, _ in module.apiPDU.get_varbinds(pdu))
    kind = pdu.getName() if hasattr(pdu, "getName") else type(pdu).__name__
    return Request(int(module.apiPDU.get_request_id(pdu)), oids, str(kind), data, number)


def encode_response(request: Request, values: dict[str, Any], *, request_id: int = -1) -> bytes:
    version = int(api.decodeMessageVersion(request.raw))
    module = api.PROTOCOL_MODULES[version]
    message, _ = decoder.decode(request.raw, asn1Spec=module.Message())
    response = module.apiMessage.get_response(message)
    pdu = module.apiMessage.get_pdu(response)
    varbinds = [(oid, values.get(oid, rfc1902.Integer32(0))) for oid in request.oids]
    module.apiPDU.set_varbinds(pdu, varbinds)
    if request_id >= 0:
        module.apiPDU.set_request_id(pdu, request_id)
    return bytes(encoder.encode(response))


async def start_fake_agent(behaviour: Behaviour, values: dict[str, Any] | None = None) -> FakeAgent:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(
        lambda: FakeAgent(behaviour, dict(values or {})), local_addr=("127.0.0.1", 0)
    )
    return protocol


GAUGE_PROFILE = parse_profile(
    {
        "name": "fake",
        "scalars": {"level": "1.3.6.1.4.1.99999.1.0"},
        "metric": [{"name": "fake.level", "value": "level", "required": True}],
    }
)
LEVEL_OID = "1.3.6.1.4.1.99999.1.0"


TRANSPORTS: dict[str, TransportFactory] = {"pysnmp": pysnmp_transport, "ber": auto_transport}
"""Both transports must pass every timing and fuzz test."""


def fake_collector(agent: FakeAgent, transport: str, **options: Any) -> SnmpCollector:
    return SnmpCollector(fake_spec(agent, **options), transport_factory=TRANSPORTS[transport])


def fake_spec(agent: FakeAgent, **options: Any) -> SnmpTargetSpec:
    defaults: dict[str, Any] = {"timeout_s": 0.5, "retries": 0, "interval_s": 5.0, "profile": GAUGE_PROFILE}
    return SnmpTargetSpec("fake", "127.0.0.1", agent.port, community="public", **{**defaults, **options})


def answer_at_once(request: Request, agent: FakeAgent) -> list[Reply]:
    return [(0.0, agent.response(request))]


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
async def test_fake_agent_answers_the_collector(transport: str) -> None:
    agent = await start_fake_agent(answer_at_once, {LEVEL_OID: rfc1902.Gauge32(42)})
    collector = fake_collector(agent, transport)
    try:
        result = await collector.poll()
    finally:
        await collector.aclose()
        agent.close()
    assert result.ok, result.reason
    assert [(sample.metric, sample.value) for sample in result.samples] == [("fake.level", 42.0)]
    assert agent.requests[0].oids[-1] == LEVEL_OID
