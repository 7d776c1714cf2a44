"""The UPS profiles written from vendor MIBs (issue 19: Huawei, Delta, APC Symmetra) against walks written from
the same MIBs (tests/fixtures/snmprec-mib/), served by a real snmpsim on loopback.

For each walk: `discover` proposes the profile, a poll with it decodes every value the raw OIDs imply and
nothing else (value x scale, the MIB's enum words, sentinels as no value), and the stanza `discover` writes
passes `dutyroom check` pasted into the shipped room. The words and scales below are the MIBs', written
here independently of the profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from device_walks import (
    MIB_WALKS,
    Key,
    ShippedRoom,
    assert_decodes,
    decoded,
    discover_walk,
    found_id,
    labels,
    raw_text,
    rule_ids,
    serve_walks,
)

from dutyroom.model import MetricValue
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

Raw = dict[str, str]


@pytest.fixture(scope="module")
def mib_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, RECORDINGS)


class Expect:
    """What the raw OIDs of one walk imply, built metric by metric."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.values: dict[Key, MetricValue] = {}

    def number(self, metric: str, oid: str, scale: float = 1.0, **label: str) -> None:
        self.values[(metric, labels(**label))] = round(int(self.raw[oid]) * scale, 6)

    def word(self, metric: str, oid: str, words: dict[int, str], **label: str) -> None:
        self.values[(metric, labels(**label))] = words[int(self.raw[oid])]

    def flag(self, metric: str, oid: str, codes: set[int], **label: str) -> None:
        self.values[(metric, labels(**label))] = 1.0 if int(self.raw[oid]) in codes else 0.0


HW = "1.3.6.1.4.1.2011.6.174.1"
HW_SUPPLY = {1: "none", 2: "bypass", 3: "normal", 4: "battery", 5: "battery", 6: "normal", 7: "battery"}
HW_SUPPLY_OWN = {
    1: "no-output",
    2: "bypass",
    3: "normal",
    4: "battery",
    5: "source-share",
    6: "normal-eco",
    7: "battery-eco",
}
HW_BATTERY = {1: "no-battery", 2: "idle", 3: "sleep", 4: "float-charging", 5: "equalization-charging", 6: "discharging"}
HW_MODE = {1: "normal", 2: "eco", 3: "self-load", 4: "converter"}
HW_LEVEL = {1: "critical", 2: "major", 3: "minor", 4: "warning"}
HW_UNAVAILABLE = 4294967295


def huawei_expected(raw: Raw) -> dict[Key, MetricValue]:
    e = Expect(raw)
    e.number("env.ambient_temperature_c", f"{HW}.1.1.6.0", 0.1)
    e.number("env.ambient_humidity_pct", f"{HW}.1.1.7.0", 0.1)
    e.number("ups.alarms", f"{HW}.12.2.0")
    for rack in ("1", "2"):
        e.word("ups.output_source", f"{HW}.2.101.1.1.{rack}", HW_SUPPLY, ups=rack)
        e.word("ups.huawei_supply_mode", f"{HW}.2.101.1.1.{rack}", HW_SUPPLY_OWN, ups=rack)
        e.flag("ups.on_battery", f"{HW}.2.101.1.1.{rack}", {4, 5, 7}, ups=rack)
        e.flag("ups.on_bypass", f"{HW}.2.101.1.1.{rack}", {2}, ups=rack)
        e.word("ups.battery_state", f"{HW}.2.101.1.3.{rack}", HW_BATTERY, ups=rack)
        e.number("ups.module_temp_c", f"{HW}.2.101.1.4.{rack}", 0.1, ups=rack)
        e.word("ups.work_mode", f"{HW}.2.101.1.9.{rack}", HW_MODE, ups=rack)
        e.number("ups.input_frequency_hz", f"{HW}.3.100.1.4.{rack}", 0.01, ups=rack)
        e.number("ups.output_frequency_hz", f"{HW}.4.100.1.7.{rack}", 0.01, ups=rack)
        e.number("ups.bypass_frequency_hz", f"{HW}.5.100.1.4.{rack}", 0.01, ups=rack)
        e.number("ups.bypass_voltage_v", f"{HW}.5.100.1.1.{rack}", 0.1, ups=rack, phase="A")
        for column, phase in ((1, "A"), (2, "B"), (3, "C")):
            e.number("ups.input_voltage_v", f"{HW}.3.100.1.{column}.{rack}", 0.1, ups=rack, phase=phase)
            e.number("ups.input_current_a", f"{HW}.3.100.1.{column + 4}.{rack}", 0.1, ups=rack, phase=phase)
            e.number("ups.output_voltage_v", f"{HW}.4.100.1.{column}.{rack}", 0.1, ups=rack, phase=phase)
            e.number("ups.output_current_a", f"{HW}.4.100.1.{column + 3}.{rack}", 0.1, ups=rack, phase=phase)
            e.number("ups.load_pct", f"{HW}.4.100.1.{column + 13}.{rack}", 0.1, ups=rack, phase=phase)
        e.number("ups.battery_voltage_v", f"{HW}.6.100.1.1.{rack}", 0.1, ups=rack)
        e.number("ups.battery_current_a", f"{HW}.6.100.1.2.{rack}", 0.1, ups=rack)
        e.number("ups.charge_pct", f"{HW}.6.100.1.3.{rack}", ups=rack)
        if int(raw[f"{HW}.6.100.1.4.{rack}"]) != HW_UNAVAILABLE:
            e.number("ups.runtime_min", f"{HW}.6.100.1.4.{rack}", 1 / 60, ups=rack)
        e.number("ups.battery_temp_c", f"{HW}.6.100.1.6.{rack}", 0.1, ups=rack)
    for alarm in ("2.17", "2.18"):
        e.word("ups.alarm_level", f"{HW}.13.1.1.7.{alarm}", HW_LEVEL, alarm=raw[f"{HW}.13.1.1.6.{alarm}"])
    return e.values


DU = "1.3.6.1.4.1.2254.2.4"
DU_SOURCE = {0: "normal", 1: "battery", 2: "bypass", 3: "reducer", 4: "booster", 5: "bypass", 6: "other", 7: "none"}
DU_SOURCE_OWN = {
    0: "normal",
    1: "battery",
    2: "bypass",
    3: "reducing",
    4: "boosting",
    5: "manual-bypass",
    6: "other",
    7: "none",
}
DU_ALARMS = {
    "ups.input_bad": 2, "ups.low_battery": 3, "ups.load_severe": 5, "ups.fault": 7, "ups.battery_test_failed": 10,
    "ups.fuse_failure": 11, "ups.overload": 12, "ups.inverter_fault": 14, "ups.rectifier_fault": 15,
    "ups.over_temperature": 18, "ups.bypass_bad": 20, "ups.charger_fault": 22, "ups.fan_fault": 23,
    "ups.emergency_power_off": 27,
}  # fmt: skip
DU_TEST = {
    0: "none", 1: "passed", 2: "in-progress", 3: "general-test-failed", 4: "battery-test-failed",
    5: "deep-battery-test-failed",
}  # fmt: skip


def delta_expected(raw: Raw) -> dict[Key, MetricValue]:
    """Only the objects the walk has; lines 2 and 3 only where dupsInput/OutputNumLines count them."""
    e = Expect(raw)
    have = raw.__contains__
    e.word("ups.output_source", f"{DU}.5.1.0", DU_SOURCE)
    e.word("ups.delta_output_source", f"{DU}.5.1.0", DU_SOURCE_OWN)
    e.flag("ups.on_battery", f"{DU}.5.1.0", {1})
    e.flag("ups.on_bypass", f"{DU}.5.1.0", {2, 5})
    for metric, oid, scale in (
        ("ups.output_frequency_hz", "5.2.0", 0.1), ("ups.bypass_frequency_hz", "6.1.0", 0.1),
        ("ups.bypass_voltage_v", "6.3.0", 0.1), ("ups.seconds_on_battery", "7.4.0", 1),
        ("ups.battery_voltage_v", "7.6.0", 0.1), ("ups.battery_current_a", "7.7.0", 0.1),
        ("ups.charge_pct", "7.8.0", 1), ("ups.battery_temp_c", "7.9.0", 1),
        ("env.ambient_temperature_c", "10.1.0", 1), ("env.ambient_humidity_pct", "10.2.0", 1),
        ("ups.input_frequency_hz", "4.2.0", 0.1),
    ):  # fmt: skip
        if have(f"{DU}.{oid}"):
            e.number(metric, f"{DU}.{oid}", scale)
    if have(f"{DU}.7.5.0") and int(raw[f"{DU}.7.5.0"]) >= 0:  # a negative estimate is no value
        e.number("ups.runtime_min", f"{DU}.7.5.0")
    if have(f"{DU}.7.1.0"):
        e.word("ups.battery_condition", f"{DU}.7.1.0", {0: "good", 1: "weak", 2: "replace"})
        e.flag("ups.battery_replace", f"{DU}.7.1.0", {2})
    if have(f"{DU}.7.2.0"):
        e.word("ups.battery_status", f"{DU}.7.2.0", {0: "normal", 1: "low", 2: "depleted"})
    if have(f"{DU}.7.3.0"):
        words = {0: "float-charging", 1: "charging", 2: "resting", 3: "discharging"}
        e.word("ups.battery_state", f"{DU}.7.3.0", words)
    if have(f"{DU}.8.2.0"):
        e.word("ups.test_result", f"{DU}.8.2.0", DU_TEST)
    for metric, number in DU_ALARMS.items():
        if have(f"{DU}.9.{number}.0"):
            e.flag(metric, f"{DU}.9.{number}.0", {1})
    input_lines, output_lines = int(raw[f"{DU}.4.1.0"]), int(raw[f"{DU}.5.3.0"])
    for line in range(1, input_lines + 1):
        first = 3 * line  # dupsInputVoltageN at 4.(3N), dupsInputCurrentN at 4.(3N+1)
        e.number("ups.input_voltage_v", f"{DU}.4.{first}.0", 0.1, line=str(line))
        e.number("ups.input_current_a", f"{DU}.4.{first + 1}.0", 0.1, line=str(line))
    for line in range(1, output_lines + 1):
        first = 4 * line  # dupsOutputVoltageN at 5.(4N), then current, watts, load
        e.number("ups.output_voltage_v", f"{DU}.5.{first}.0", 0.1, line=str(line))
        e.number("ups.output_current_a", f"{DU}.5.{first + 1}.0", 0.1, line=str(line))
        e.number("ups.output_power_w", f"{DU}.5.{first + 2}.0", line=str(line))
        e.number("ups.load_pct", f"{DU}.5.{first + 3}.0", line=str(line))
    return e.values


APC = "1.3.6.1.4.1.318.1.1.1"
APC_PM = {1: "unknown", 2: "not-installed", 3: "off-ok", 4: "on-ok", 5: "off-fail", 6: "on-fail", 7: "lost-comm"}
APC_BATTERY = {
    1: "unknown", 2: "not-installed", 3: "ok", 4: "failed", 5: "high-temperature", 6: "replace-immediately",
    7: "low-capacity",
}  # fmt: skip


def symmetra_expected(raw: Raw) -> dict[Key, MetricValue]:
    """apc-ups's metrics (checked against real walks in test_device_oracle.py) and the Symmetra's own."""
    e = Expect(raw)
    e.word("ups.output_source", f"{APC}.4.1.1.0", {2: "normal"})
    e.word("ups.apc_output_status", f"{APC}.4.1.1.0", {2: "online"})
    e.flag("ups.on_battery", f"{APC}.4.1.1.0", {3})
    e.flag("ups.on_bypass", f"{APC}.4.1.1.0", {6, 9, 10, 16, 17})
    e.word("ups.battery_status", f"{APC}.2.1.1.0", {2: "normal"})
    e.flag("ups.battery_replace", f"{APC}.2.2.4.0", {2})
    e.number("ups.seconds_on_battery", f"{APC}.2.1.2.0", 0.01)
    e.number("ups.runtime_min", f"{APC}.2.2.3.0", 1 / 6000)
    e.number("ups.charge_pct", f"{APC}.2.3.1.0", 0.1)
    e.number("ups.load_pct", f"{APC}.4.3.3.0", 0.1)
    e.number("ups.battery_temp_c", f"{APC}.2.3.2.0", 0.1)
    e.number("ups.battery_voltage_v", f"{APC}.2.3.4.0", 0.1)
    e.number("ups.input_voltage_v", f"{APC}.3.3.1.0", 0.1)
    e.number("ups.input_frequency_hz", f"{APC}.3.3.4.0", 0.1)
    e.number("ups.output_voltage_v", f"{APC}.4.3.1.0", 0.1)
    e.number("ups.output_frequency_hz", f"{APC}.4.3.2.0", 0.1)
    e.number("ups.output_current_a", f"{APC}.4.3.4.0", 0.1)
    e.number("ups.battery_packs", f"{APC}.2.2.5.0")
    e.number("ups.bad_battery_packs", f"{APC}.2.2.6.0")
    e.number("ups.battery_current_a", f"{APC}.2.3.5.0", 0.1)  # high precision first, not upsAdvBatteryCurrent
    e.number("ups.redundancy", f"{APC}.4.2.5.0")
    for oid in [oid for oid in raw if oid.startswith(f"{APC}.13.2.2.1.2.")]:
        module = oid.removeprefix(f"{APC}.13.2.2.1.2.")
        e.word("ups.power_module_status", oid, APC_PM, module=module)
        e.flag("ups.power_module_fault", oid, {5, 6, 7}, module=module)
    for oid in [oid for oid in raw if oid.startswith(f"{APC}.13.3.2.1.3.")]:
        module = oid.removeprefix(f"{APC}.13.3.2.1.3.")
        e.word("ups.battery_module_status", oid, APC_BATTERY, module=module)
        e.flag("ups.battery_module_fault", oid, {4, 5, 6, 7}, module=module)
    return e.values


WALK_PROFILES: dict[str, tuple[str, Callable[[Raw], dict[Key, MetricValue]]]] = {
    "huawei-ups5000": ("huawei-ups", huawei_expected),
    "delta-ups": ("delta-ups", delta_expected),
    "delta-ups-3phase": ("delta-ups", delta_expected),
    "apc-symmetra": ("apc-symmetra", symmetra_expected),
}


RECORDINGS = sorted(WALK_PROFILES)
"""The UPS walks of the folder (the other device families' walks beside them have test files of their own)."""


def test_every_walk_is_covered() -> None:
    assert {path.stem for path in MIB_WALKS.glob("*.snmprec")} >= set(RECORDINGS)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_discover_proposes_the_profile(mib_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(mib_agent, recording)
    assert result.profiles[:1] == (WALK_PROFILES[recording][0],)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_every_value_is_what_the_raw_oids_say(mib_agent: SnmpsimAgent, recording: str) -> None:
    profile, expected = WALK_PROFILES[recording]
    assert_decodes(await decoded(mib_agent, recording, profile), expected(raw_text(recording)))


async def test_huawei_unavailable_runtime_is_no_value_and_bypass_is_the_word(mib_agent: SnmpsimAgent) -> None:
    raw = raw_text("huawei-ups5000")
    samples = await decoded(mib_agent, "huawei-ups5000", "huawei-ups")
    assert int(raw[f"{HW}.6.100.1.4.1"]) == HW_UNAVAILABLE
    assert ("ups.runtime_min", labels(ups="1")) not in samples
    assert samples[("ups.runtime_min", labels(ups="2"))] == pytest.approx(30.5)
    assert samples[("ups.output_source", labels(ups="2"))] == "bypass"  # what the shipped ups-on-bypass reads


async def test_delta_lines_the_unit_does_not_have_are_not_reported(mib_agent: SnmpsimAgent) -> None:
    single = await decoded(mib_agent, "delta-ups", "delta-ups")
    assert {labels for metric, labels in single if metric == "ups.output_voltage_v"} == {(("line", "1"),)}
    assert single[("ups.output_source", ())] == "bypass"  # manualBypass(5)
    three = await decoded(mib_agent, "delta-ups-3phase", "delta-ups")
    assert {labels for metric, labels in three if metric == "ups.load_pct"} == {labels(line=n) for n in "123"}
    assert ("ups.runtime_min", ()) not in three  # dupsBatteryEstimatedTime -1


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_the_stanza_passes_check_in_the_shipped_room(
    mib_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(mib_agent, recording)
    target_id = found_id(recording)
    assert stanza["target"][0]["profile"] == WALK_PROFILES[recording][0]
    assert f"{target_id}-ups-on-bypass" in rule_ids(stanza)
    room.assert_accepts(stanza)
