"""A fake SNMP agent for the detection unit tests: a walk (.snmprec lines) held in memory and answering GET,
GETNEXT and GETBULK as snmpsim would, and `discover` run over it.

It shows detection alone, fast and without a process; the real agent (snmpsim serving the same walks on
loopback) is in tests/integration/device_walks.py. Unit tests only: integration tests use real agents.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

import collectors.discover as discover_module
from collectors.discover import DiscoveryResult
from collectors.snmp.client import SnmpClient
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profiles import available_profile_names, load_profile
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response, VarBind
from collectors.snmp.values import Kind, SnmpValue

MIB_WALKS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
SYS_OBJECT_ID = parse_oid("1.3.6.1.2.1.1.2.0")
KINDS = {
    "2": Kind.INTEGER, "4": Kind.OCTETS, "4x": Kind.OCTETS, "6": Kind.OID, "65": Kind.COUNTER32, "66": Kind.GAUGE32,
    "67": Kind.TIMETICKS, "70": Kind.COUNTER64,
}  # fmt: skip
"""snmprec tags; `4x` is text written as hex digits (BITS, non-ASCII names)."""
SPEC = SnmpTargetSpec("walk", "127.0.0.1", 161, community="public", timeout_s=1.0, retries=0, interval_s=30.0)
"""Where the fake agent stands: the address is never used, the transport answers in memory."""


def walk_lines(name: str) -> list[str]:
    """The `OID|tag|value` lines of a walk in tests/fixtures/snmprec-mib/."""
    return (MIB_WALKS / f"{name}.snmprec").read_text(encoding="utf-8").splitlines()


def walk_values(lines: Iterable[str]) -> dict[Oid, SnmpValue]:
    """Each `OID|tag|value` line as the value an agent would send."""
    values = {}
    for line in lines:
        oid, tag, text = line.split("|", 2)
        kind = KINDS[tag]
        payload: int | bytes | str = (
            bytes.fromhex(text) if tag == "4x" else text.encode() if kind == Kind.OCTETS
            else text if kind == Kind.OID else int(text)
        )  # fmt: skip
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


def walk(name: str, sys_object_id: str = "") -> dict[Oid, SnmpValue]:
    """The walk's objects; `sys_object_id` replaces its sysObjectID (to show detection by the OIDs alone)."""
    values = walk_values(walk_lines(name))
    if sys_object_id:
        values[SYS_OBJECT_ID] = SnmpValue(Kind.OID, sys_object_id)
    return values


class WalkAgent:
    """A transport answering from a walk in OID order, as an agent would: GET by name, GETNEXT the following
    object, GETBULK rows of GETNEXTs; past the last object, endOfMibView. One attempt, never an error."""

    def __init__(self, values: dict[Oid, SnmpValue]) -> None:
        self.values = values
        self.order = sorted(values)

    def _next(self, oid: Oid) -> VarBind:
        position = bisect.bisect_right(self.order, oid)
        if position == len(self.order):
            return oid, SnmpValue(Kind.END_OF_MIB_VIEW)
        return self.order[position], self.values[self.order[position]]

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        if kind == PduKind.GET:
            return Response(0, 0, tuple((oid, self.values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT))) for oid in oids))
        cursors, varbinds = list(oids), []
        for _repetition in range(max(1, max_repetitions) if kind == PduKind.GETBULK else 1):
            row = [self._next(cursor) for cursor in cursors]
            varbinds.extend(row)
            cursors = [oid for oid, _ in row]
        return Response(0, 0, tuple(varbinds))

    async def aclose(self) -> None:
        return None


async def discovered(monkeypatch: pytest.MonkeyPatch, values: dict[Oid, SnmpValue]) -> DiscoveryResult:
    """`discover` as `dutyroom discover` runs it, its transport swapped for a WalkAgent on `values`; it must succeed."""
    agent = WalkAgent(values)

    def transport(*_args: Any) -> WalkAgent:
        return agent

    monkeypatch.setattr(discover_module, "pysnmp_transport", transport)
    result = await discover_module.discover(SPEC)
    assert result.ok, result.reason
    return result


async def profiles_found(monkeypatch: pytest.MonkeyPatch, values: dict[Oid, SnmpValue]) -> tuple[str, ...]:
    """The profiles `discovered` proposes, the most specific first."""
    return (await discovered(monkeypatch, values)).profiles


def discovered_among_all(values: dict[Oid, SnmpValue]) -> DiscoveryResult:
    """Detection alone: every installed profile tried over a client on a WalkAgent (no event loop needed)."""
    client = SnmpClient(WalkAgent(values), version="2c", timeout_s=1.0, retries=0, semaphore=asyncio.Semaphore(1))
    profiles = [load_profile(name) for name in available_profile_names()]
    return asyncio.run(discover_module._discover(client, SPEC, profiles))
