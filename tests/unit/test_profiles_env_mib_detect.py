"""What `discover` picks for the environment walks written from their MIBs (tests/fixtures/snmprec-mib/),
with a fake transport answering GET/GETNEXT/GETBULK from the walk (fake_snmp_agent): the sysObjectID and the OIDs each
profile's detection names, and nothing a UPS or cooling profile looks for."""

from __future__ import annotations

import pytest
from fake_snmp_agent import SYS_OBJECT_ID, discovered, walk

from collectors.snmp.oids import parse_oid

GENERIC = {"snmp-agent", "ucd", "host-resources", "if-mib", "entity-sensor"}
MEM = parse_oid("1.3.6.1.4.1.318.1.1.10.4")


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
    result = await discovered(monkeypatch, values)
    assert result.profiles[0] == profile
    assert set(result.profiles[1:]) <= GENERIC, result.profiles  # no UPS, PDU or cooling profile claims it
    assert result.sys_object_id == str(values[SYS_OBJECT_ID].payload)


async def test_the_emu2_is_found_by_its_tables_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The EMU2/NetBotz 200 walk carries a Linux sysObjectID: only memSensors/memInputs name it."""
    values = walk("apc-emu2-mem")
    assert str(values[SYS_OBJECT_ID].payload).startswith("1.3.6.1.4.1.8072.")
    without_mem = {oid: value for oid, value in values.items() if oid[: len(MEM)] != MEM}
    result = await discovered(monkeypatch, without_mem)
    assert "apc-emu" not in result.profiles
