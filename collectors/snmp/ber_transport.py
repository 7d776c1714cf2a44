"""A fast SNMP v1/v2c transport: the small BER codec on one asyncio UDP socket per event loop.

Same contract as the pysnmp transport (one attempt per call). Replies are matched by source address,
request id and community; anything else, or anything malformed, is dropped and counted.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from collectors.snmp.ber import GET, GETBULK, GETNEXT, REPORT, BerError, Message, decode_message, encode_request
from collectors.snmp.errors import SnmpProtocolError, SnmpTimeoutError, SnmpUnreachableError
from collectors.snmp.oids import Oid
from collectors.snmp.runtime import SnmpRuntime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response
from collectors.snmp.udp_endpoint import UdpEndpoint, shared_endpoint

_PDU_TYPES = {PduKind.GET: GET, PduKind.GETNEXT: GETNEXT, PduKind.GETBULK: GETBULK}
_ENDPOINT_KEY = "ber-endpoint"


@dataclass(slots=True)
class _Pending:
    address: tuple[str, int]
    community: bytes
    future: asyncio.Future[Message]


class BerEndpoint(UdpEndpoint[_Pending]):
    """The loop's UDP socket for BER targets, with the requests waiting for a reply."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            message = decode_message(data)
        except BerError:
            self.dropped += 1
            return
        pending = self.pending.get(message.request_id)
        if pending is None or pending.address != addr[:2] or pending.community != message.community:
            self.dropped += 1  # late, duplicate or forged
            return
        if not pending.future.done():
            pending.future.set_result(message)


async def _endpoint(runtime: SnmpRuntime) -> BerEndpoint:
    return await shared_endpoint(runtime, _ENDPOINT_KEY, BerEndpoint)


class BerTransport:
    """One v1/v2c target on the loop's shared BER endpoint (IPv4)."""

    def __init__(self, spec: SnmpTargetSpec, runtime: SnmpRuntime) -> None:
        if spec.version not in ("1", "2c"):
            raise ValueError("the BER transport speaks SNMP v1 and v2c only")
        self._spec = spec
        self._runtime = runtime
        self._version = 0 if spec.version == "1" else 1
        self._community = spec.community.encode()
        self._address: tuple[str, int] | None = None

    async def prepare(self) -> None:
        if self._address is not None:
            return
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(
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
        assert self._address is not None
        endpoint = await _endpoint(self._runtime)
        request_id = endpoint.next_id()
        repeat = (0, max_repetitions) if kind == PduKind.GETBULK else (0, 0)
        try:
            payload = encode_request(self._version, self._community, _PDU_TYPES[kind], request_id, oids, repeat)
        except BerError as error:
            raise SnmpProtocolError(f"cannot encode request: {error}") from None
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        endpoint.pending[request_id] = _Pending(self._address, self._community, future)
        try:
            if endpoint.transport is None:
                raise SnmpUnreachableError("no socket")
            endpoint.transport.sendto(payload, self._address)
            async with asyncio.timeout(timeout_s):
                message = await future
        except TimeoutError:
            raise SnmpTimeoutError("timeout") from None
        except OSError as error:
            raise SnmpUnreachableError(f"cannot send: {error.strerror or type(error).__name__}") from None
        finally:
            endpoint.pending.pop(request_id, None)
        if message.pdu_type == REPORT:
            raise SnmpProtocolError("agent sent a REPORT to a community request")
        return Response(message.error_status, message.error_index, message.varbinds)

    async def aclose(self) -> None:
        """The endpoint is the loop's; it closes with the runtime."""


def ber_transport(spec: SnmpTargetSpec, runtime: SnmpRuntime) -> BerTransport:
    return BerTransport(spec, runtime)
