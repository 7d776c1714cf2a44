"""HTTP/1.1 on one accepted connection, with h11: read a request, let the handler answer, repeat (keep-alive).

h11 (already installed as httpx's dependency) parses and frames; it does no I/O, so the asyncio streams stay
ours and the peer's credentials stay attached to the connection. Requests are small JSON documents: bodies are
capped, an idle connection is closed, and a malformed request gets a 400 and the connection closed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import h11

BODY_LIMIT = 64 * 1024
"""Largest request body read: an operator action is a few hundred bytes."""
IDLE_TIMEOUT_S = 120.0
"""A connection that sends nothing for this long is closed (a long poll answers well within it)."""
READ_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Header names in lower case."""
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


Handler = Callable[[Request], Awaitable[Response]]


class _BadRequestError(Exception):
    """The request cannot be read; the text goes back to the client."""


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler) -> None:
    """Answer requests on this connection until the client closes it, stays idle, or sends nonsense."""
    connection = h11.Connection(h11.SERVER, max_incomplete_event_size=16 * 1024)
    try:
        while True:
            try:
                request = await _read_request(connection, reader)
            except (_BadRequestError, h11.RemoteProtocolError) as error:
                if connection.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                    problem = str(error).replace('"', "'") or "malformed request"
                    await _send(connection, writer, Response(400, f'{{"error": "{problem}"}}'.encode()))
                break
            if request is None:
                break
            await _send(connection, writer, await handler(request))
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                break
            connection.start_next_cycle()
    except (ConnectionError, TimeoutError, h11.LocalProtocolError):
        pass  # the client went away, or was too slow: nothing to answer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 5.0)


async def _read_request(connection: h11.Connection, reader: asyncio.StreamReader) -> Request | None:
    head: h11.Request | None = None
    body = bytearray()
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(await asyncio.wait_for(reader.read(READ_CHUNK), IDLE_TIMEOUT_S))
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > BODY_LIMIT:
                raise _BadRequestError(f"request body over {BODY_LIMIT} bytes")
        elif isinstance(event, h11.EndOfMessage) and head is not None:
            return _request(head, bytes(body))
        else:
            return None  # ConnectionClosed, or PAUSED after a close


def _request(head: h11.Request, body: bytes) -> Request:
    try:
        target = head.target.decode("ascii")
        headers = {name.decode("ascii").lower(): value.decode("utf-8") for name, value in head.headers}
    except UnicodeDecodeError:
        raise _BadRequestError("request target or headers are not text") from None
    parts = urlsplit(target)
    return Request(head.method.decode("ascii"), parts.path, dict(parse_qsl(parts.query)), headers, body)


async def _send(connection: h11.Connection, writer: asyncio.StreamWriter, response: Response) -> None:
    headers = [
        ("content-type", "application/json"),
        ("content-length", str(len(response.body))),
        ("server", "dutyroom"),
        *response.headers,
    ]
    writer.write(connection.send(h11.Response(status_code=response.status, headers=headers)) or b"")
    writer.write(connection.send(h11.Data(data=response.body)) or b"")
    writer.write(connection.send(h11.EndOfMessage()) or b"")
    await asyncio.wait_for(writer.drain(), IDLE_TIMEOUT_S)
