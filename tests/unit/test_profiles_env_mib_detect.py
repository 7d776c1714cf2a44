"""What `discover` picks for the environment walks written from their MIBs (tests/fixtures/snmprec-mib/),
with a fake transport answering GET/GETNEXT/GETBULK from the walk: the sysObjectID and the OIDs each
profile's detection names, and nothing a UPS or cooling profile looks for."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path

import pytest

from collectors import discover as discover_module
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response
from collectors.snmp.values import Kind, SnmpValue

WALKS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
GENERIC = {"snmp-agent", "ucd", "host-resources", "if-mib", "entity-sensor"}
MEM = parse_oid("1.3.6.1.4.1.318.1.1.10.4")
KINDS = {"2": Kind.INTEGER, "4": Kind.OCTETS, "4x": Kind.OCTETS, "6": Kind.OID, "67": Kind.TIMETICKS}


def walk(name: str) -> dict[Oid, SnmpValue]:
    values = {}
    for line in (WALKS / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        kind = KINDS[tag]
        payload: int | bytes | str = (
            bytes.fromhex(text) if tag == "4x" else text.encode() if kind == Kind.OCTETS
            else text if kind == Kind.OID else int(text)
        )  # fmt: skip
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


class WalkTransport:
    """An agent that answers from a walk, in OID order (a fake for unit tests only)."""

    def __init__(self, values: dict[Oid, SnmpValue]) -> None:
        self._values = values
        self._order = sorted(values)

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        if kind == PduKind.GET:
            return Response(0, 0, tuple((oid, self._values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT))) for oid in oids))
        repetitions = 1 if kind == PduKind.GETNEXT else max(1, max_repetitions)
        varbinds = []
        cursors = list(oids)
        for _ in range(repetitions):
            for position, cursor in enumerate(cursors):
                at = bisect.bisect_right(self._order, cursor)
                following = self._order[at] if at < len(self._order) else None
                varbinds.append(
                    (following, self._values[following]) if following else (cursor, SnmpValue(Kind.END_OF_MIB_VIEW))
                )
                cursors[position] = following or cursor
        return Response(0, 0, tuple(varbinds))

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize(
    ("walk_name", "profile"),
    [
        ("apc-netbotz", "apc-netbotz"),
        ("apc-emu", "apc-emu"),
        ("apc-emu2-mem", "apc-emu"),
        ("rittal-lcp", "rittal-cmc3"),
        ("stulz-wib8000", "stulz-wib8000"),
    ],
)
async def test_discover_picks_the_profile_the_mib_walk_implies(
    monkeypatch: pytest.MonkeyPatch, walk_name: str, profile: str
) -> None:
    values = walk(walk_name)
    monkeypatch.setattr(discover_module, "pysnmp_transport", lambda spec, runtime: WalkTransport(values))
    spec = SnmpTargetSpec(walk_name, "127.0.0.1", 161, community="public", timeout_s=1.0, retries=0, interval_s=30.0)
    result = await discover_module.discover(spec)
    assert result.ok, result.reason
    assert result.profiles[0] == profile
    assert set(result.profiles[1:]) <= GENERIC, result.profiles  # no UPS, PDU or cooling profile claims it
    assert result.sys_object_id == str(values[parse_oid("1.3.6.1.2.1.1.2.0")].payload)


async def test_the_emu2_is_found_by_its_tables_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The EMU2/NetBotz 200 walk carries a Linux sysObjectID: only memSensors/memInputs name it."""
    values = walk("apc-emu2-mem")
    assert str(values[parse_oid("1.3.6.1.2.1.1.2.0")].payload).startswith("1.3.6.1.4.1.8072.")
    without_mem = {oid: value for oid, value in values.items() if oid[: len(MEM)] != MEM}
    monkeypatch.setattr(discover_module, "pysnmp_transport", lambda spec, runtime: WalkTransport(without_mem))
    spec = SnmpTargetSpec("emu2", "127.0.0.1", 161, community="public", timeout_s=1.0, retries=0, interval_s=30.0)
    result = await discover_module.discover(spec)
    assert result.ok, result.reason
    assert "apc-emu" not in result.profiles
