"""Requests with retries under the shared cap, GETs in chunks, and multi-column table walks that end.

One attempt is the transport's; here an attempt that timed out is retried (new request id), nothing
else is: an authentication failure is never retried in a loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from collectors.snmp.errors import SnmpProtocolError, SnmpTimeoutError
from collectors.snmp.oids import Oid, format_oid, starts_with
from collectors.snmp.transport import (
    NO_SUCH_NAME,
    TOO_BIG,
    PduKind,
    Response,
    SnmpTransport,
    error_status_name,
)
from collectors.snmp.values import Kind, SnmpValue

GET_CHUNK = 32
"""OIDs per GET request."""
BULK_VARBINDS = 64
"""Aim for about this many varbinds in one GETBULK reply (columns x max-repetitions)."""
MAX_WALK_REQUESTS = 500
MAX_WALK_VARBINDS = 100_000

Index = tuple[int, ...]
Column = dict[Index, SnmpValue]


class SnmpClient:
    """One target's requests: at most one in flight (callers await each), all under `semaphore`."""

    def __init__(
        self,
        transport: SnmpTransport,
        *,
        version: str,
        timeout_s: float,
        retries: int,
        semaphore: asyncio.Semaphore,
    ) -> None:
        self._transport = transport
        self._version = version
        self._timeout_s = timeout_s
        self._attempts = retries + 1
        self._semaphore = semaphore
        self.requests_sent = 0

    async def request(self, kind: PduKind, oids: Sequence[Oid], max_repetitions: int = 0) -> Response:
        for _attempt in range(self._attempts):
            async with self._semaphore:
                self.requests_sent += 1
                try:
                    return await self._transport.request(
                        kind, oids, timeout_s=self._timeout_s, max_repetitions=max_repetitions
                    )
                except SnmpTimeoutError:
                    continue
        raise SnmpTimeoutError.after(self._timeout_s, self._attempts)

    async def get(self, oids: Sequence[Oid]) -> dict[Oid, SnmpValue]:
        """Values for `oids` (absent ones as noSuchObject/noSuchInstance), in chunks of GET_CHUNK."""
        unique = list(dict.fromkeys(oids))
        result: dict[Oid, SnmpValue] = {}
        for start in range(0, len(unique), GET_CHUNK):
            result.update(await self._get_chunk(unique[start : start + GET_CHUNK]))
        return result

    async def _get_chunk(self, oids: list[Oid]) -> dict[Oid, SnmpValue]:
        pending, result = list(oids), {}
        while pending:
            response = await self.request(PduKind.GET, pending)
            status, index = response.error_status, response.error_index
            if status == NO_SUCH_NAME and 1 <= index <= len(pending):
                result[pending.pop(index - 1)] = SnmpValue(Kind.NO_SUCH_OBJECT)  # SNMPv1: drop and ask again
                continue
            if status == TOO_BIG and len(pending) > 1:
                half = len(pending) // 2
                result.update(await self._get_chunk(pending[:half]))
                result.update(await self._get_chunk(pending[half:]))
                return result
            if status:
                name = error_status_name(status)
                raise SnmpProtocolError(f"agent error {name} on GET {format_oid(pending[0])}")
            answered = dict(response.varbinds)
            if not answered.keys() & set(pending):
                raise SnmpProtocolError("reply does not match the request")
            for oid in pending:
                result[oid] = answered.get(oid, SnmpValue(Kind.NO_SUCH_INSTANCE))
            return result
        return result

    async def walk(self, columns: Sequence[Oid], max_repetitions: int = 25) -> dict[Oid, Column]:
        """Every row of `columns`, walked together; stops at the end of each column, never loops."""
        tables: dict[Oid, Column] = {column: {} for column in columns}
        cursors = {column: column for column in columns}
        pending = list(dict.fromkeys(columns))
        requests = varbinds = 0
        while pending:
            requests += 1
            if requests > MAX_WALK_REQUESTS or varbinds > MAX_WALK_VARBINDS:
                raise SnmpProtocolError(f"table under {format_oid(pending[0])} does not end")
            repetitions = max(1, min(max_repetitions, BULK_VARBINDS // len(pending)))
            response = await self._next_rows([cursors[column] for column in pending], repetitions)
            varbinds += len(response.varbinds)
            if response.error_status == NO_SUCH_NAME and 1 <= response.error_index <= len(pending):
                pending.pop(response.error_index - 1)  # SNMPv1: the end of that column
                continue
            if response.error_status:
                name = error_status_name(response.error_status)
                raise SnmpProtocolError(f"agent error {name} walking {format_oid(pending[0])}")
            pending = _advance(pending, cursors, tables, response)
        return tables

    async def _next_rows(self, cursors: list[Oid], repetitions: int) -> Response:
        if self._version == "1":
            return await self.request(PduKind.GETNEXT, cursors)
        return await self.request(PduKind.GETBULK, cursors, max_repetitions=repetitions)


def _advance(pending: list[Oid], cursors: dict[Oid, Oid], tables: dict[Oid, Column], response: Response) -> list[Oid]:
    """Store the rows of one reply; return the columns that still have rows to fetch."""
    done: set[Oid] = set()
    moved: set[Oid] = set()
    width = len(pending)
    for position, (name, value) in enumerate(response.varbinds):
        column = pending[position % width]
        if column in done:
            continue
        if value.kind == Kind.END_OF_MIB_VIEW or not starts_with(name, column) or len(name) == len(column):
            done.add(column)
            continue
        if name <= cursors[column]:
            done.add(column)  # not increasing: stop rather than loop
            continue
        tables[column][name[len(column) :]] = value
        cursors[column] = name
        moved.add(column)
    if not response.varbinds:
        return []
    return [column for column in pending if column not in done and column in moved]
