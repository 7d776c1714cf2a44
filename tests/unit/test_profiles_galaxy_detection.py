"""apc-galaxy (issue 19): which profile `discover` picks for the Galaxy walks written from PowerNet-MIB, and
how the UPS's state strings (64 and 32 "0"/"1" characters, flag 1 leftmost) become flags.

`discover` runs over the in-memory walk agent of fake_snmp_agent (a fake transport; the real
agent, snmpsim, is in tests/integration/test_profiles_galaxy_mib.py). The shared Smart-UPS recordings keep
apc-ups: test_device_oracle.py checks that against snmpsim.
"""

from __future__ import annotations

import pytest
from fake_snmp_agent import SYS_OBJECT_ID, discovered, walk, walk_lines, walk_values

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue

OUTPUT_STATE = {
    1: "ups.abnormal_condition", 9: "ups.overload", 12: "ups.maintenance_bypass", 41: "ups.fan_fault",
    45: "ups.over_temperature", 50: "ups.fault", 53: "ups.emergency_power_off",
}  # fmt: skip
"""upsBasicStateOutputState flags read, from the MIB's list."""
ABNORMAL = {6: "ups.redundancy_lost", 8: "ups.bypass_bad", 14: "ups.input_breaker_tripped"}
"""upsAdvStateAbnormalConditions flags read."""


@pytest.mark.parametrize("recording", ["apc-galaxy", "apc-galaxy-maintenance"])
async def test_a_galaxy_gets_apc_galaxy_over_the_other_apc_profiles(
    recording: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = (await discovered(monkeypatch, walk(recording))).profiles
    assert profiles[0] == "apc-galaxy"
    assert "apc-ups" in profiles


async def test_three_phase_tables_alone_find_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Symmetra PX or Smart-UPS 3-phase (another sysObjectID) is found by upsPhaseOutputPhaseTable."""
    values = walk("apc-galaxy", sys_object_id="1.3.6.1.4.1.318.1.3.2.11")
    assert (await discovered(monkeypatch, values)).profiles[0] == "apc-galaxy"


async def test_a_smart_ups_sysobjectid_without_phase_tables_is_not_a_galaxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """318.1.3.27 is smartUPS2 (the Smart-UPS recordings' own), not the galaxy subtree (318.1.3.28)."""
    values = walk_values([line for line in walk_lines("apc-galaxy") if ".318.1.1.1.9." not in line])
    values[SYS_OBJECT_ID] = SnmpValue(Kind.OID, "1.3.6.1.4.1.318.1.3.27")
    profiles = (await discovered(monkeypatch, values)).profiles
    assert profiles[0] == "apc-ups"
    assert "apc-galaxy" not in profiles


def flags_decoded(table: str, text: str) -> dict[str, float]:
    profile = load_profile("apc-galaxy")
    fetched = Fetched(
        {"output_status": SnmpValue(Kind.INTEGER, 2)},
        {table: {(0,): {"flags": SnmpValue(Kind.OCTETS, text.encode())}}},
    )
    result = decode(profile, fetched, target="t", at=0.0)
    assert not result.problem
    wanted = set((OUTPUT_STATE if table == "basic_state" else ABNORMAL).values())
    return {sample.metric: float(sample.value) for sample in result.samples if sample.metric in wanted}


@pytest.mark.parametrize(
    ("table", "width", "names"), [("basic_state", 64, OUTPUT_STATE), ("abnormal_conditions", 32, ABNORMAL)]
)
def test_each_flag_is_read_at_its_own_position(table: str, width: int, names: dict[int, str]) -> None:
    for position in range(1, width + 1):
        text = "".join("1" if at == position else "0" for at in range(1, width + 1))
        expected = {name: 1.0 if flag == position else 0.0 for flag, name in names.items()}
        assert flags_decoded(table, text) == expected, position


@pytest.mark.parametrize(("table", "width"), [("basic_state", 64), ("abnormal_conditions", 32)])
def test_a_state_string_that_is_not_all_flags_gives_none(table: str, width: int) -> None:
    for text in ("UNKNOWN", "NOT SUPPORTED", "", "0" * (width - 1), "0" * (width + 1), "2" + "0" * (width - 1)):
        assert flags_decoded(table, text) == {}, text
