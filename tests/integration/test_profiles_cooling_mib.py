"""Precision air (issue 19) on walks written from the MIB text (tests/fixtures/snmprec-mib/), served by snmpsim:
a Rittal LCP's water side (water in/out, flow, valve, cooling power and their status words, from
RITTAL-CMC-III-MIB's variable table) and the states of Stulz units behind a WIB8000 (general error, bus
alarm, why a unit is stopped, which components run, from Stulz-WIB8000-MIB). Every decoded value is worked
out here from the raw OIDs (value over the row's scale, the MIB's 0/1 as words, 999 = no probe) and compared
with the whole poll; discover proposes the profile, and its stanza passes `check` in the shipped room.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import Key, ShippedRoom, assert_decodes, column, discover_walk, raw_typed, rule_ids, serve_walks
from device_walks import decoded as decoded_with

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

PROFILES = {"rittal-lcp-water": "rittal-cmc3", "stulz-wib8000-states": "stulz-wib8000"}
CMC_VARS = "1.3.6.1.4.1.2606.7.4.2.2.1"
STULZ = "1.3.6.1.4.1.29462.10.2.1"
Expected = dict[Key, object]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, PROFILES)


async def decoded(agent: SnmpsimAgent, name: str) -> Expected:
    return dict(await decoded_with(agent, name, PROFILES[name]))


LCP_READINGS = {  # (name pattern, unit pattern) -> metric: the LCP's fan unit and water side
    (r"Air\.Temperature\.In-", r"C$"): "cooling.air_in_temp_c",
    (r"Air\.Temperature\.Out-", r"C$"): "cooling.air_out_temp_c",
    (r"Air\.Server-In\.Average$", r"C$"): "cooling.server_in_temp_c",
    (r"Air\.Server-Out\.Average$", r"C$"): "cooling.server_out_temp_c",
    (r"Air\.Fans\.Fan\d+\.Rpm$", r"^%$"): "cooling.fan_speed_pct",
    (r"Water\..*\bIn\b", r"C$"): "cooling.water_in_temp_c",
    (r"Water\..*\bOut\b", r"C$"): "cooling.water_out_temp_c",
    (r"", r"^l/min$"): "cooling.water_flow_lpm",
    (r"(?i)valve", r"^%$"): "cooling.valve_opening_pct",
    (r"(?i)cooling", r"^W$"): "cooling.power_w",
}
CMC_STATUS = {1: "n/a", 2: "config-changed", 3: "error", 4: "ok", 5: "alarm", 6: "high-warning", 7: "low-alarm",
              8: "high-alarm", 9: "low-warning", 10: "off", 11: "on", 12: "open", 13: "closed"}  # fmt: skip


def lcp_expected(values: dict[str, int | str]) -> Expected:
    """cmcIIIUnitStatus/Type words; per variable row: type 2 = a reading (value / -scale, or x scale), type 7 =
    a status word (3, 5, 7, 8 are alarms); setpoints (3, 5, 17) and names (1) are no reading."""
    expected: Expected = {
        ("env.unit_status", ()): {1: "ok", 2: "failed", 3: "overload"}[int(values["1.3.6.1.4.1.2606.7.2.1.0"])],
        ("env.unit_type", ()): {4: "lcp"}[int(values["1.3.6.1.4.1.2606.7.2.8.0"])],
    }
    for index, name in column(values, f"{CMC_VARS}.3").items():
        kind, scale, number = (int(values[f"{CMC_VARS}.{n}.{index}"]) for n in (4, 7, 11))
        unit, labels = str(values[f"{CMC_VARS}.5.{index}"]), (("sensor", str(name)),)
        if kind == 7:
            expected[("env.status", labels)] = CMC_STATUS[number]
            expected[("env.sensor_alarm", labels)] = 1.0 if number in (3, 5, 7, 8) else 0.0
            continue
        metric = next((m for (n, u), m in LCP_READINGS.items() if re.search(n, str(name)) and re.search(u, unit)), "")
        if kind == 2 and metric:
            expected[(metric, labels)] = number / -scale if scale < 0 else number * scale
    return expected


def stulz_expected(values: dict[str, int | str]) -> Expected:
    """Per unit (bus.unit.module, named by unitsettingName at bus.unit when it has one): tenths (999 = no probe),
    the MIB's 0/1 as words or flags."""
    expected: Expected = {}
    names = column(values, "1.3.6.1.4.1.29462.10.1.1.6.1.1.393221")

    def unit_label(index: str) -> str:
        return str(names.get(index.rsplit(".", 1)[0], index))

    tenths = {"1.1.1.1.1.1.1170": "cooling.room_temp_c", "1.1.1.1.1.1.1192": "cooling.return_temp_c",
              "1.1.1.1.1.1.1193": "cooling.supply_temp_c", "1.1.1.2.1.1.1171": "cooling.humidity_pct"}  # fmt: skip
    for suffix, metric in tenths.items():
        for unit, number in column(values, f"{STULZ}.{suffix}").items():
            if number != 999:
                expected[(metric, (("unit", unit_label(unit)),))] = int(number) / 10
    words = {
        "4.1.1.1.10": ("cooling.bus_alarm", ["none", "alarm"]),
        "4.1.1.1.12": ("cooling.bus_address_conflict", ["none", "conflict"]),
        "4.1.1.1.1013": ("cooling.system_state", ["off", "on"]),
        "4.2.1.1.8": ("cooling.general_error", ["none", "error"]),
        "4.4.1.1.1754": ("cooling.cooling_state", ["off", "on"]),
        "4.4.1.1.1755": ("cooling.heating_state", ["off", "on"]),
        "1.2.1.1.1.1.4403": ("cooling.compressor", ["off", "on"]),
        "1.2.3.1.1.6402": ("cooling.humidifying_state", ["off", "on"]),
        "1.2.3.1.1.6802": ("cooling.dehumidifying_state", ["off", "on"]),
        "1.2.4.1.1.6902": ("cooling.fan_state", ["off", "on"]),
    }
    for suffix, (metric, words_of) in words.items():
        for unit, code in column(values, f"{STULZ}.{suffix}").items():
            word = words_of[int(code)] if int(code) < len(words_of) else f"code-{code}"
            expected[(metric, (("unit", unit_label(unit)),))] = word
    stops = {1000: "pc-stop", 1001: "remote-stop", 1002: "local-stop", 1003: "timer-stop", 1004: "sequencing-stop",
             1005: "warm-up-stop"}  # fmt: skip
    for number, reason in stops.items():
        for unit, flag in column(values, f"{STULZ}.4.2.1.1.{number}").items():
            expected[("cooling.stopped", (("reason", reason), ("unit", unit_label(unit))))] = float(flag == 1)
    for unit, flag in column(values, f"{STULZ}.4.4.1.1.1014").items():
        expected[("cooling.maintenance_due", (("unit", unit_label(unit)),))] = float(flag == 1)
    return expected


EXPECTED = {"rittal-lcp-water": lcp_expected, "stulz-wib8000-states": stulz_expected}


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_discover_picks_the_profile(agent: SnmpsimAgent, name: str) -> None:
    result = await discover_walk(agent, name)
    assert result.profiles[0] == PROFILES[name]


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_every_decoded_value_is_what_the_raw_oids_say(agent: SnmpsimAgent, name: str) -> None:
    assert_decodes(await decoded(agent, name), EXPECTED[name](raw_typed(name)))


async def test_the_lcp_water_side_and_its_alarm(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "rittal-lcp-water")
    assert ours[("cooling.water_in_temp_c", (("sensor", "Water.Temperature.In"),))] == pytest.approx(15.2)
    assert ours[("cooling.water_out_temp_c", (("sensor", "Water.Temperature.Out"),))] == pytest.approx(20.8)
    assert ours[("cooling.water_flow_lpm", (("sensor", "Water.Waterflow.Value"),))] == pytest.approx(12.5)
    assert ours[("cooling.valve_opening_pct", (("sensor", "Water.Control-Valve.Value"),))] == 100
    assert ours[("cooling.power_w", (("sensor", "Water.Cooling-Capacity.Value"),))] == 4320
    assert ours[("env.status", (("sensor", "Water.Waterflow.Status"),))] == "low-alarm"
    assert ours[("env.sensor_alarm", (("sensor", "Water.Waterflow.Status"),))] == 1.0
    assert not [key for key in ours if key[0] == "env.temperature_c"]  # water is never the room's temperature
    assert not [key for key in ours if key[1] and "SetPt" in key[1][0][1]]  # setpoints are no reading


async def test_stulz_unit_states_in_words(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "stulz-wib8000-states")
    unit = {1: (("unit", "CRAC-A1"),), 2: (("unit", "CRAC-A2"),), 3: (("unit", "1.3.1"),)}  # no name: its index
    assert ours[("cooling.general_error", unit[1])] == "none"
    assert ours[("cooling.general_error", unit[2])] == "error"
    assert ours[("cooling.general_error", unit[3])] == "code-3"  # not 0: an error all the same
    assert ours[("cooling.bus_alarm", unit[3])] == "alarm"
    assert ours[("cooling.stopped", (("reason", "remote-stop"), ("unit", "CRAC-A2")))] == 1.0
    assert ours[("cooling.compressor", unit[1])] == "on"
    assert ("cooling.return_temp_c", unit[3]) not in ours  # 999: no probe


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_stanza_passes_check_in_the_shipped_room(agent: SnmpsimAgent, tmp_path: Path, name: str) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(agent, name)
    if name.startswith("stulz"):
        assert "found-stulz-wib8000-states-cooling-general-error" in rule_ids(stanza)
    room.assert_accepts(stanza)
