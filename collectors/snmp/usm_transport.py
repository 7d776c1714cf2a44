"""SNMPv3 over the fast path: one UDP socket per event loop, USM done here, about v2c's cost per GET.

Same contract as the other transports (one attempt per call, within `timeout_s`). Inside one attempt the
transport may discover the engine, resynchronise its clock or re-discover a changed engine ID (an SNMP card
swapped or snmpd restarted with a new engineID): at most MAX_EXCHANGES round trips, never a loop. A reply that
fails its digest, falls outside the time window or does not decrypt is dropped and counted, never answered;
the attempt then times out like a lost packet. A REPORT that names a credential problem is an SnmpAuthError
with its reason, and so is an agent that authenticates us but never answers an encrypted request (a wrong
privacy key: net-snmp drops what it cannot decrypt).
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from collectors.snmp.ber import GET, GETBULK, GETNEXT, REPORT, RESPONSE, BerError, Pdu, encode_pdu
from collectors.snmp.errors import SnmpAuthError, SnmpProtocolError, SnmpTimeoutError, SnmpUnreachableError
from collectors.snmp.oids import Oid
from collectors.snmp.runtime import SnmpRuntime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response
from collectors.snmp.udp_endpoint import UdpEndpoint, shared_endpoint
from collectors.snmp.usm import (
    FLAG_AUTH,
    FLAG_PRIV,
    NOT_IN_TIME_WINDOW,
    UNKNOWN_ENGINE_ID,
    Credentials,
    EngineClock,
    Incoming,
    Outgoing,
    UsmError,
    encode,
    open_pdu,
    parse,
    peek_msg_id,
    report_reason,
)
from collectors.snmp.usm_crypto import PRIV

_PDU_TYPES = {PduKind.GET: GET, PduKind.GETNEXT: GETNEXT, PduKind.GETBULK: GETBULK}
_ENDPOINT_KEY = "usm-endpoint"
MAX_EXCHANGES = 4
"""Discovery, a time resynchronisation or an engine change, and the request itself, within one attempt."""


def fast_path_supports(spec: SnmpTargetSpec) -> bool:
    """v3 over IPv4 with a protocol the fast path implements (3DES stays on pysnmp)."""
    if spec.version != "3" or ":" in spec.host:
        return False
    return not spec.priv_protocol or spec.priv_protocol.upper() in PRIV


Check = Callable[[Incoming], Pdu]
"""Authenticates and opens a reply for the request waiting on it, or raises UsmError to drop it."""


@dataclass(slots=True)
class _Pending:
    address: tuple[str, int]
    check: Check
    future: asyncio.Future[tuple[Incoming, Pdu]]


class UsmEndpoint(UdpEndpoint[_Pending]):
    """The loop's UDP socket for SNMPv3 targets; counts every message it drops, by why."""

    def __init__(self) -> None:
        super().__init__()
        self.rejected: Counter[str] = Counter()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            pending = self.pending.get(peek_msg_id(data))
            if pending is None or pending.address != addr[:2] or pending.future.done():
                self.rejected["unmatched"] += 1  # late, duplicate, replayed after its request, or not ours
                return
            incoming = parse(data)
            pdu = pending.check(incoming)
        except BerError:
            self.rejected["malformed"] += 1
            return
        except UsmError as error:
            self.rejected[error.kind] += 1
            return
        pending.future.set_result((incoming, pdu))


async def usm_endpoint(runtime: SnmpRuntime) -> UsmEndpoint:
    return await shared_endpoint(runtime, _ENDPOINT_KEY, UsmEndpoint)


class UsmTransport:
    """One SNMPv3 target on the loop's shared USM endpoint (IPv4)."""

    def __init__(
        self, spec: SnmpTargetSpec, runtime: SnmpRuntime, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if not fast_path_supports(spec):
            raise ValueError("the USM fast path speaks SNMPv3 over IPv4 without 3DES")
        self._spec = spec
        self._runtime = runtime
        self._monotonic = monotonic
        self._address: tuple[str, int] | None = None
        self._clock: EngineClock | None = None
        self._credentials: Credentials | None = None
        self._probe_credentials: Credentials | None = None
        self._decrypted = False
        """An encrypted request was answered since the last discovery: the privacy key is right."""
        self._salt = random.getrandbits(64)
        self._probe_answered = False
        self.discoveries = 0

    async def prepare(self) -> None:
        if self._address is not None:
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                self._spec.host, self._spec.port, family=socket.AF_INET, type=socket.SOCK_DGRAM
            )
        except OSError:
            raise SnmpUnreachableError(f"cannot resolve host {self._spec.host}") from None
        address: Any = infos[0][4]
        self._address = (str(address[0]), int(address[1]))

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        await self.prepare()
        endpoint = await usm_endpoint(self._runtime)
        repeat = (0, max_repetitions) if kind == PduKind.GETBULK else (0, 0)
        self._probe_answered = False
        try:
            async with asyncio.timeout(timeout_s):
                return await self._settle(endpoint, _PDU_TYPES[kind], oids, repeat)
        except TimeoutError:
            if self._probe_answered:
                raise SnmpAuthError(
                    "SNMPv3 authentication failed (no reply to encrypted requests: check the privacy key and protocol)"
                ) from None
            self._clock = None  # whatever changed at the agent, the next attempt starts with discovery
            raise SnmpTimeoutError("timeout") from None

    async def _settle(
        self, endpoint: UsmEndpoint, pdu_type: int, oids: Sequence[Oid], repeat: tuple[int, int]
    ) -> Response:
        for _exchange in range(MAX_EXCHANGES):
            clock, credentials = await self._engine(endpoint)
            pdu = await self._exchange(endpoint, clock, credentials, pdu_type, oids, repeat)
            if pdu.pdu_type == RESPONSE:
                if credentials.privacy is not None:
                    self._decrypted = True
                return Response(pdu.error_status, pdu.error_index, pdu.varbinds)
            names = {oid for oid, _value in pdu.varbinds}
            if UNKNOWN_ENGINE_ID in names:
                self._clock = None  # the engine changed (or forgot us): discover it again
                continue
            if NOT_IN_TIME_WINDOW in names and clock.engine_id:
                continue  # the clock was resynchronised from the authenticated report
            raise SnmpAuthError(f"SNMPv3 authentication failed ({report_reason(pdu)})")
        raise SnmpAuthError("SNMPv3 authentication failed (engine discovery does not settle)")

    async def _engine(self, endpoint: UsmEndpoint) -> tuple[EngineClock, Credentials]:
        if self._clock is not None and self._credentials is not None:
            return self._clock, self._credentials
        outgoing = Outgoing(endpoint.next_id(), b"", 0, 0)
        incoming, pdu = await self._send(endpoint, encode(outgoing, encode_pdu(GET, outgoing.msg_id, []), None),
                                         outgoing.msg_id, self._check_discovery)  # fmt: skip
        if pdu.pdu_type != REPORT or not incoming.engine_id:
            raise SnmpProtocolError("agent did not reveal its engine ID")
        self.discoveries += 1
        spec = self._spec
        if self._clock is None or self._clock.engine_id != incoming.engine_id or self._credentials is None:
            auth, priv = (spec.auth_protocol, spec.auth_key), (spec.priv_protocol, spec.priv_key)
            self._credentials = Credentials.localise(spec.v3_user, incoming.engine_id, auth, priv)
            self._probe_credentials = Credentials.localise(spec.v3_user, incoming.engine_id, auth)
            self._decrypted = False
        self._clock = EngineClock.seen(incoming.engine_id, incoming.boots, incoming.engine_time, self._monotonic)
        return self._clock, self._credentials

    async def _exchange(
        self,
        endpoint: UsmEndpoint,
        clock: EngineClock,
        credentials: Credentials,
        pdu_type: int,
        oids: Sequence[Oid],
        repeat: tuple[int, int],
    ) -> Pdu:
        msg_id = endpoint.next_id()
        message = self._message(clock, credentials, msg_id, encode_pdu(pdu_type, msg_id, oids, repeat))
        check = self._checker(clock, credentials, msg_id)
        if credentials.privacy is None or self._decrypted or self._probe_credentials is None:
            return (await self._send(endpoint, message, msg_id, check))[1]
        # Until an encrypted request is answered, an authenticated but unencrypted probe goes with it: if
        # only the probe is answered, the agent knows us but cannot read what we encrypt.
        probe_id = endpoint.next_id()
        probe = self._message(clock, self._probe_credentials, probe_id, encode_pdu(GET, probe_id, []))
        probe_task = asyncio.ensure_future(
            self._send(endpoint, probe, probe_id, self._checker(clock, self._probe_credentials, probe_id))
        )
        probe_task.add_done_callback(self._probe_done)
        try:
            return (await self._send(endpoint, message, msg_id, check))[1]
        finally:
            probe_task.cancel()

    def _probe_done(self, task: asyncio.Future[tuple[Incoming, Pdu]]) -> None:
        if not task.cancelled() and task.exception() is None:
            self._probe_answered = True

    def _message(self, clock: EngineClock, credentials: Credentials, msg_id: int, pdu: bytes) -> bytes:
        boots, engine_time = clock.now()
        self._salt = (self._salt + 1) % 2**64
        salt = self._salt.to_bytes(8, "big")
        if credentials.privacy is not None and credentials.privacy.protocol.cipher == "des":
            salt = boots.to_bytes(4, "big") + salt[4:]
        outgoing = Outgoing(msg_id, clock.engine_id, boots, engine_time, self._spec.context.encode())
        return encode(outgoing, pdu, credentials, salt)

    async def _send(self, endpoint: UsmEndpoint, message: bytes, msg_id: int, check: Check) -> tuple[Incoming, Pdu]:
        assert self._address is not None
        if endpoint.transport is None:
            raise SnmpUnreachableError("no socket")
        future: asyncio.Future[tuple[Incoming, Pdu]] = asyncio.get_running_loop().create_future()
        endpoint.pending[msg_id] = _Pending(self._address, check, future)
        try:
            endpoint.transport.sendto(message, self._address)
            return await future
        except OSError as error:
            raise SnmpUnreachableError(f"cannot send: {error.strerror or type(error).__name__}") from None
        finally:
            endpoint.pending.pop(msg_id, None)

    def _check_discovery(self, incoming: Incoming) -> Pdu:
        return open_pdu(incoming, None)

    def _checker(self, clock: EngineClock, credentials: Credentials, msg_id: int) -> Check:
        def check(incoming: Incoming) -> Pdu:
            authenticator = credentials.authenticator
            if not incoming.flags & FLAG_AUTH:
                pdu = open_pdu(incoming, None)
                if pdu.pdu_type != REPORT and authenticator is not None:
                    raise UsmError("unauthenticated")  # a response to an authenticated request must be too
                return pdu
            if authenticator is None or incoming.engine_id != clock.engine_id:
                raise UsmError("unknown engine")
            if incoming.user != credentials.user:
                raise UsmError("unknown user")
            start, end = incoming.auth_params
            if not authenticator.verify(incoming.authenticated_bytes(), incoming.data[start:end]):
                raise UsmError("wrong digest")
            pdu = open_pdu(incoming, credentials if incoming.flags & FLAG_PRIV else None)
            if pdu.pdu_type == REPORT and any(oid == NOT_IN_TIME_WINDOW for oid, _ in pdu.varbinds):
                clock.resync(incoming.boots, incoming.engine_time)
                return pdu
            clock.accept(incoming.boots, incoming.engine_time)  # raises UsmError: a replay outside the window
            if pdu.pdu_type == RESPONSE and pdu.request_id != msg_id:
                raise UsmError("unmatched")
            return pdu

        return check

    async def aclose(self) -> None:
        """The endpoint is the loop's; it closes with the runtime."""
