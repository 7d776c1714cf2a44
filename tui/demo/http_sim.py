"""A small asyncio HTTP/1.1 server for the simulated trading systems, which can be unplugged and plugged in.

Just enough HTTP for a health endpoint: one GET per connection, answered with Content-Length and closed.
Unplugging closes the listening socket (connections are refused, as from a host whose switch is dark);
plugging in listens on the same port again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 16 * 1024
READ_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    delay_s: float = 0.0
    """How long the service takes to answer (a slow gateway)."""


Handler = Callable[[str], Reply]
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


class HttpSim:
    """Serves `handler(path)` on 127.0.0.1:<port>; `set_plugged` opens and closes the listening socket."""

    def __init__(self, name: str, handler: Handler) -> None:
        self.name = name
        self.handler = handler
        self.port = 0
        self.requests = 0
        self._server: asyncio.Server | None = None

    async def start(self, host: str = "127.0.0.1") -> int:
        self._server = await asyncio.start_server(self._serve, host, 0, reuse_address=True)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    @property
    def plugged(self) -> bool:
        return self._server is not None

    async def set_plugged(self, plugged: bool) -> None:
        if plugged and self._server is None:
            try:
                self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
            except OSError as error:  # the port was taken meanwhile: stay unplugged, say so
                log.warning("%s cannot listen on port %d again: %s", self.name, self.port, error)
        elif not plugged and self._server is not None:
            server, self._server = self._server, None
            server.close()

    async def close(self) -> None:
        await self.set_plugged(False)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(READ_TIMEOUT_S):
                head = await reader.readuntil(b"\r\n\r\n")
            request_line = head[: min(len(head), MAX_HEADER_BYTES)].split(b"\r\n", 1)[0].decode("latin-1")
            method, _, rest = request_line.partition(" ")
            path = rest.partition(" ")[0]
            self.requests += 1
            reply = self.handler(path) if method == "GET" else Reply(405, "text/plain", b"GET only\n")
            if reply.delay_s:
                await asyncio.sleep(reply.delay_s)
            await _write(writer, reply)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, TimeoutError):
                async with asyncio.timeout(1.0):
                    await writer.wait_closed()


def _write(writer: asyncio.StreamWriter, reply: Reply) -> Awaitable[None]:
    head = (
        f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Unknown')}\r\n"
        f"Content-Type: {reply.content_type}\r\nContent-Length: {len(reply.body)}\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
    )
    writer.write(head.encode("latin-1") + reply.body)
    return writer.drain()
