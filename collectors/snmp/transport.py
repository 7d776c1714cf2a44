"""The one-attempt request interface every SNMP transport implements (pysnmp, or the small BER codec)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from collectors.snmp.oids import Oid
from collectors.snmp.values import SnmpValue

VarBind = tuple[Oid, SnmpValue]

ERROR_STATUS_NAMES = (
    "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess", "wrongType",
    "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue", "resourceUnavailable",
    "commitFailed", "undoFailed", "authorizationError", "notWritable", "inconsistentName",
)  # fmt: skip
TOO_BIG = 1
NO_SUCH_NAME = 2


def error_status_name(status: int) -> str:
    return ERROR_STATUS_NAMES[status] if 0 <= status < len(ERROR_STATUS_NAMES) else f"error {status}"


class PduKind(StrEnum):
    GET = "get"
    GETNEXT = "getnext"
    GETBULK = "getbulk"


@dataclass(frozen=True, slots=True)
class Response:
    error_status: int
    error_index: int
    varbinds: tuple[VarBind, ...]


class SnmpTransport(Protocol):
    """Sends one request and waits for its reply, once: retries, walks and concurrency are the client's.

    Raises SnmpTimeoutError when no valid reply came within `timeout_s`, SnmpAuthError for SNMPv3
    REPORTs, SnmpUnreachableError when nothing could be sent, SnmpProtocolError for nonsense.
    """

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response: ...

    async def aclose(self) -> None: ...
