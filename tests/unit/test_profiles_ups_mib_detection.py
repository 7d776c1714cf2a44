"""Which profile `discover` picks for the UPS walks written from vendor MIBs (tests/fixtures/snmprec-mib/).

`discover` runs as it does for a real device, over an in-memory agent that answers GET and GETNEXT from a
walk (a fake transport: the real agent, snmpsim, is in tests/integration/test_profiles_ups_mib.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import collectors.discover as discover_module
from collectors.discover import discover
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response, VarBind
from collectors.snmp.values import Kind, SnmpValue

WALKS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
KINDS = {"2": Kind.INTEGER, "4": Kind.OCTETS, "6": Kind.OID, "66": Kind.GAUGE32, "67": Kind.TIMETICKS}


def walk(lines: Sequence[str]) -> dict[Oid, SnmpValue]:
    values = {}
    for line in lines:
        oid, tag, text = line.split("|", 2)
        kind = KINDS[tag]
        payload: int | bytes | str = text.encode() if kind == Kind.OCTETS else text if kind == Kind.OID else int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


class WalkAgent:
    """Answers GET and GETNEXT (and GETBULK as repeated GETNEXT) from a walk, like an agent would."""

    def __init__(self, values: dict[Oid, SnmpValue]) -> None:
        self.values = values
        self.order = sorted(values)

    def _next(self, oid: Oid) -> VarBind:
        for candidate in self.order:
            if candidate > oid:
                return candidate, self.values[candidate]
        return oid, SnmpValue(Kind.END_OF_MIB_VIEW)

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        if kind == PduKind.GET:
            return Response(0, 0, tuple((oid, self.values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT))) for oid in oids))
        if kind == PduKind.GETNEXT:
            return Response(0, 0, tuple(self._next(oid) for oid in oids))
        cursors, varbinds = list(oids), []
        for _ in range(max(1, max_repetitions)):
            row = [self._next(cursor) for cursor in cursors]
            varbinds.extend(row)
            cursors = [oid for oid, _ in row]
        return Response(0, 0, tuple(varbinds))

    async def aclose(self) -> None:
        return None


async def profiles_for(values: dict[Oid, SnmpValue], monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    agent = WalkAgent(values)

    def transport(*_args: Any) -> WalkAgent:
        return agent

    monkeypatch.setattr(discover_module, "pysnmp_transport", transport)
    result = await discover(SnmpTargetSpec("t", "192.0.2.1", 161, community="c", timeout_s=1.0, retries=0))
    assert result.ok, result.reason
    return result.profiles


@pytest.mark.parametrize(
    ("recording", "first", "also"),
    [
        ("huawei-ups5000", "huawei-ups", {"ups-mib"}),  # the card speaks UPS-MIB too: the vendor MIB wins
        ("delta-ups", "delta-ups", set()),
        ("delta-ups-3phase", "delta-ups", set()),
        ("apc-symmetra", "apc-symmetra", {"apc-ups"}),  # a Symmetra is an APC UPS with modules
    ],
)
async def test_discover_picks_the_vendor_profile(
    recording: str, first: str, also: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    values = walk((WALKS / f"{recording}.snmprec").read_text().splitlines())
    profiles = await profiles_for(values, monkeypatch)
    assert profiles[0] == first
    assert also <= set(profiles)


async def test_a_delta_sysobjectid_without_the_delta_objects_stays_with_ups_mib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OEM card with Delta's sysObjectID that answers only dupsIdent and UPS-MIB (as LibreNMS's deltaups
    recording does) must not get delta-ups, whose required dupsOutputSource it would never answer."""
    values = walk(
        [
            "1.3.6.1.2.1.1.1.0|4|UPS SNMP Agent",
            "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2254.2.4",
            "1.3.6.1.2.1.33.1.2.1.0|2|2",
            "1.3.6.1.2.1.33.1.4.1.0|2|3",
            "1.3.6.1.4.1.2254.2.4.1.1.0|4|OEM",
        ]
    )
    profiles = await profiles_for(values, monkeypatch)
    assert profiles[0] == "ups-mib"
    assert "delta-ups" not in profiles


async def test_a_single_box_smart_ups_is_not_a_symmetra(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (WALKS / "apc-symmetra.snmprec").read_text().splitlines()
    values = walk([line for line in lines if not line.startswith("1.3.6.1.4.1.318.1.1.1.13.")])
    profiles = await profiles_for(values, monkeypatch)
    assert profiles[0] == "apc-ups"
    assert "apc-symmetra" not in profiles
