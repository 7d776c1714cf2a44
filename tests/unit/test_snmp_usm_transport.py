"""The USM fast path against a scripted authoritative engine on loopback: forged and replayed replies.

The engine below answers discovery with an unknownEngineID REPORT and requests with a signed (and, for
authPriv, encrypted) Response, then lets the test tamper with what it sends. Its messages are built with
usm.py's own encoder (the interoperability proof is the snmpd and pysnmp differential in tests/integration).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from collectors.snmp.ber import GET, OCTETS, REPORT, RESPONSE, SEQUENCE, encode_oid, integer_tlv, tlv
from collectors.snmp.errors import SnmpAuthError, SnmpTimeoutError
from collectors.snmp.runtime import SnmpRuntime, acquire_runtime, release_runtime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind
from collectors.snmp.usm import FLAG_PRIV, UNKNOWN_ENGINE_ID, Credentials, Outgoing, encode, open_pdu, parse
from collectors.snmp.usm_transport import MAX_EXCHANGES, UsmTransport, usm_endpoint

ANSWERED_S = 10.0
"""The bound for a request the fake engine answers (in ms): generous, so a loaded host is never a failure."""
REJECTED_WAIT_S = 2.0
"""How long a test waits out a reply the transport must drop: long enough for the reply to arrive on a busy host."""

SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)
USER = ("ops", "SHA-256", "auth-key-for-tests", "AES-128", "priv-key-for-tests")
Tamper = Callable[[bytes], bytes]


def _pdu(pdu_type: int, request_id: int, oid: tuple[int, ...], value: bytes) -> bytes:
    varbind = tlv(SEQUENCE, encode_oid(oid) + value)
    return tlv(pdu_type, integer_tlv(request_id) + integer_tlv(0) + integer_tlv(0) + tlv(SEQUENCE, varbind))


@dataclass
class Engine(asyncio.DatagramProtocol):
    """An authoritative SNMPv3 engine that knows one user; `tamper` rewrites its replies to requests."""

    engine_id: bytes = b"\x80\x00\x1f\x88\x04unit-engine"
    boots: int = 5
    engine_time: int = 1000
    tamper: Tamper = lambda data: data
    sent: list[bytes] = field(default_factory=list)
    received: int = 0
    forgetful: bool = False
    """Answer every request with an unknownEngineID REPORT under a new engine ID (a card that keeps resetting)."""
    transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        incoming = parse(data)
        assert self.transport is not None
        self.received += 1
        if self.forgetful and incoming.engine_id:
            self.engine_id += b"x"
            incoming = parse(encode(Outgoing(incoming.msg_id, b"", 0, 0), b"", None))
        if not incoming.engine_id:  # discovery
            report = _pdu(REPORT, 0, UNKNOWN_ENGINE_ID, tlv(0x41, b"\x01"))
            outgoing = Outgoing(incoming.msg_id, self.engine_id, self.boots, self.engine_time)
            self.transport.sendto(encode(outgoing, report, None), addr)
            return
        privacy = USER[3:5] if incoming.flags & FLAG_PRIV else ("", "")
        credentials = Credentials.localise(USER[0], self.engine_id, USER[1:3], privacy)
        request = open_pdu(incoming, credentials, accepted=(GET,))
        response = _pdu(RESPONSE, request.request_id, SYS_DESCR, tlv(OCTETS, b"unit engine"))
        outgoing = Outgoing(incoming.msg_id, self.engine_id, self.boots, self.engine_time)
        reply = self.tamper(encode(outgoing, response, credentials, b"saltsalt"))
        self.sent.append(reply)
        self.transport.sendto(reply, addr)


@pytest.fixture
async def engine() -> AsyncIterator[tuple[Engine, int]]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(Engine, local_addr=("127.0.0.1", 0))
    try:
        yield protocol, transport.get_extra_info("sockname")[1]
    finally:
        transport.close()


@pytest.fixture
async def runtime() -> AsyncIterator[SnmpRuntime]:
    runtime = acquire_runtime()
    try:
        yield runtime
    finally:
        release_runtime(runtime)


def _transport(port: int, runtime: SnmpRuntime, **overrides: str) -> UsmTransport:
    user, auth, auth_key, priv, priv_key = USER
    options = {
        "v3_user": user,
        "auth_protocol": auth,
        "auth_key": auth_key,
        "priv_protocol": priv,
        "priv_key": priv_key,
    }
    spec = SnmpTargetSpec("unit", "127.0.0.1", port, version="3", timeout_s=0.5, **{**options, **overrides})
    return UsmTransport(spec, runtime)


async def test_a_signed_encrypted_reply_is_accepted(engine: tuple[Engine, int], runtime: SnmpRuntime) -> None:
    transport = _transport(engine[1], runtime)
    response = await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)
    assert response.varbinds[0][1].payload == b"unit engine"
    assert transport.discoveries == 1


async def test_a_forged_digest_is_dropped_and_counted(engine: tuple[Engine, int], runtime: SnmpRuntime) -> None:
    agent, port = engine

    def flip_last_byte(data: bytes) -> bytes:
        incoming = parse(data)
        at = incoming.auth_params[1] - 1
        return data[:at] + bytes((data[at] ^ 1,)) + data[at + 1 :]

    agent.tamper = flip_last_byte
    transport = _transport(port, runtime)
    with pytest.raises(SnmpTimeoutError):
        await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=REJECTED_WAIT_S)
    endpoint = await usm_endpoint(runtime)
    assert endpoint.rejected["wrong digest"] >= 1
    assert len(agent.sent) <= 2  # the request, and at most the unencrypted probe: no retry loop


async def test_a_reply_outside_the_time_window_is_dropped(engine: tuple[Engine, int], runtime: SnmpRuntime) -> None:
    agent, port = engine
    transport = _transport(port, runtime)
    await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)
    agent.engine_time = 1000 - 151  # a recorded reply replayed: its time is behind the engine's by > 150 s
    with pytest.raises(SnmpTimeoutError):
        await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=REJECTED_WAIT_S)
    assert (await usm_endpoint(runtime)).rejected["not in time window"] == 1


async def test_an_earlier_boot_is_a_replay(engine: tuple[Engine, int], runtime: SnmpRuntime) -> None:
    agent, port = engine
    transport = _transport(port, runtime)
    await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)
    agent.boots = 4
    with pytest.raises(SnmpTimeoutError):
        await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=REJECTED_WAIT_S)
    assert (await usm_endpoint(runtime)).rejected["not in time window"] == 1


async def test_a_replayed_reply_after_its_request_is_unmatched(
    engine: tuple[Engine, int], runtime: SnmpRuntime
) -> None:
    agent, port = engine
    transport = _transport(port, runtime)
    await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)
    await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)  # no probe now: the privacy key is proven
    endpoint = await usm_endpoint(runtime)
    before = endpoint.rejected["unmatched"]
    assert agent.transport is not None
    assert endpoint.transport is not None
    agent.transport.sendto(agent.sent[-1], endpoint.transport.get_extra_info("sockname"))
    for _ in range(50):
        if endpoint.rejected["unmatched"] > before:
            break
        await asyncio.sleep(0.01)
    assert endpoint.rejected["unmatched"] == before + 1


async def test_an_engine_that_never_settles_is_an_authentication_state_not_a_loop(
    engine: tuple[Engine, int], runtime: SnmpRuntime
) -> None:
    agent, port = engine
    agent.forgetful = True
    transport = _transport(port, runtime)
    with pytest.raises(SnmpAuthError, match="does not settle"):
        await transport.request(PduKind.GET, [SYS_DESCR], timeout_s=ANSWERED_S)
    assert agent.received <= 3 * MAX_EXCHANGES  # per exchange: a discovery, the request and its privacy probe
