"""A UDP relay per simulated device: the device's own address, and its power switch.

snmpsim serves every device from one port (told apart by community) and cannot stop answering for one of
them; the relay gives each device an address of its own and, when the device has no power, drops what it
receives, so the poller sees exactly what it sees of a dead device: no answer at all.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

MAX_CLIENTS = 64
"""Client sockets tracked per relay (the poller uses one; the bound keeps a stray sender from growing it)."""


class _Upstream(asyncio.DatagramProtocol):
    """One client's socket towards the agent; replies go back to that client through the relay."""

    def __init__(self, relay: UdpRelay, client: tuple[str, int]) -> None:
        self.relay = relay
        self.client = client
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.relay.reply(data, self.client)


class UdpRelay(asyncio.DatagramProtocol):
    """Listens on 127.0.0.1:<free port> and forwards to `upstream` while `powered` is true."""

    def __init__(self, name: str, upstream: tuple[str, int]) -> None:
        self.name = name
        self.upstream = upstream
        self.powered = True
        self.dropped = 0
        self._transport: asyncio.DatagramTransport | None = None
        self._clients: dict[tuple[str, int], _Upstream] = {}
        self._opening: set[tuple[str, int]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1") -> int:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, 0))
        self._transport = transport
        port: int = transport.get_extra_info("sockname")[1]
        return port

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        client = (str(addr[0]), int(addr[1]))
        if not self.powered:
            self.dropped += 1
            return
        upstream = self._clients.get(client)
        if upstream is not None and upstream.transport is not None:
            upstream.transport.sendto(data)
        elif client not in self._opening and len(self._clients) < MAX_CLIENTS:
            self._opening.add(client)
            task = asyncio.get_running_loop().create_task(self._open(client, data))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _open(self, client: tuple[str, int], first: bytes) -> None:
        loop = asyncio.get_running_loop()
        try:
            transport, protocol = await loop.create_datagram_endpoint(
                lambda: _Upstream(self, client), remote_addr=self.upstream
            )
        except OSError:
            return
        finally:
            self._opening.discard(client)
        self._clients[client] = protocol
        transport.sendto(first)

    def reply(self, data: bytes, client: tuple[str, int]) -> None:
        if self.powered and self._transport is not None:
            self._transport.sendto(data, client)

    def close(self) -> None:
        for upstream in self._clients.values():
            if upstream.transport is not None:
                upstream.transport.close()
        self._clients.clear()
        if self._transport is not None:
            self._transport.close()
            self._transport = None
