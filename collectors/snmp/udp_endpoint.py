"""The one UDP socket per event loop that the fast SNMP transports share, and the requests waiting on it.

The v1/v2c (BER) and v3 (USM) transports differ in how a reply is matched and opened, not in the socket: a
large receive buffer (hundreds of replies can arrive at once at 2,000 targets), ids that never collide with a
request still waiting, and ICMP errors left to the request's own timeout.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from collectors.snmp.runtime import RECEIVE_BUFFER_BYTES, SnmpRuntime

P = TypeVar("P")
E = TypeVar("E", bound="UdpEndpoint[Any]")


class UdpEndpoint(asyncio.DatagramProtocol, Generic[P]):
    """A loop's UDP socket with its waiting requests by id; subclasses match and open the replies."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, P] = {}
        self._next_id = random.randrange(1, 2**30)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def error_received(self, exc: Exception) -> None:
        """ICMP port unreachable and the like: the request simply times out."""

    def next_id(self) -> int:
        """A request (or message) id no request still waiting uses."""
        while True:
            self._next_id = self._next_id % (2**31 - 1) + 1
            if self._next_id not in self.pending:
                return self._next_id

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def shared_endpoint(runtime: SnmpRuntime, key: str, make: Callable[[], E]) -> E:
    """The loop's endpoint stored under `key`, opened on first use (IPv4, any port, a large receive buffer)."""
    endpoint = runtime.shared.get(key)
    if endpoint is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        _, endpoint = await asyncio.get_running_loop().create_datagram_endpoint(make, sock=sock)
        runtime.shared[key] = endpoint
    return cast(E, endpoint)
