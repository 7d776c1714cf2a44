"""APC Galaxy / three-phase PowerNet UPSes (issue 19) against walks written from PowerNet-MIB
(tests/fixtures/snmprec-mib/apc-galaxy*.snmprec), served by a real snmpsim on loopback.

For each walk: `discover` proposes apc-galaxy, a poll decodes every value the raw OIDs imply and nothing
else (value x scale, the MIB's enum words, -1 as no value, the state strings' flags by position), and the
stanza `discover` writes passes `dutyroom check` pasted into the shipped room. The words and scales below
are the MIB's, written here independently of the profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import (
    MIB_WALKS,
    Key,
    ShippedRoom,
    assert_decodes,
    discover_walk,
    found_id,
    labels,
    raw_text,
    rule_ids,
    serve_walks,
)
from device_walks import decoded as decoded_with

from dutyroom.model import MetricValue
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

RECORDINGS = ("apc-galaxy", "apc-galaxy-maintenance")
Raw = dict[str, str]

A = "1.3.6.1.4.1.318.1.1.1"
OUTPUT_STATUS = {2: "online", 9: "switched-bypass"}
SOURCE = {2: "normal", 9: "bypass"}
SWITCH = {1: "unknown", 2: "not-installed", 3: "open", 4: "closed"}
SWITCHGEAR = {1: "unknown", 2: "not-installed", 3: "ok", 4: "fail", 5: "lost-comm", 6: "overtemp"}
ORIENTATION = {
    1: "unknown", 2: "single-phase", 3: "split-phase", 4: "three-phase-to-neutral", 5: "three-phase-to-phase",
}  # fmt: skip
OUTPUT_STATE_FLAGS = {
    "ups.abnormal_condition": 1, "ups.overload": 9, "ups.maintenance_bypass": 12, "ups.fan_fault": 41,
    "ups.over_temperature": 45, "ups.fault": 50, "ups.emergency_power_off": 53,
}  # fmt: skip
"""upsBasicStateOutputState: flag number (1 = leftmost character) per metric."""
ABNORMAL_FLAGS = {"ups.redundancy_lost": 6, "ups.bypass_bad": 8, "ups.input_breaker_tripped": 14}
"""upsAdvStateAbnormalConditions, likewise."""


@pytest.fixture(scope="module")
def galaxy_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, RECORDINGS)


async def decoded(agent: SnmpsimAgent, recording: str) -> dict[Key, MetricValue]:
    return await decoded_with(agent, recording, "apc-galaxy")


class Expect:
    """What the raw OIDs of one walk imply, metric by metric; an absent OID or -1 gives no sample."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.values: dict[Key, MetricValue] = {}

    def number(self, metric: str, oid: str, scale: float = 1.0, **label: str) -> None:
        if oid in self.raw and int(self.raw[oid]) != -1:
            self.values[(metric, labels(**label))] = round(int(self.raw[oid]) * scale, 6)

    def word(self, metric: str, oid: str, words: dict[int, str], **label: str) -> None:
        if oid in self.raw:
            self.values[(metric, labels(**label))] = words[int(self.raw[oid])]

    def flag(self, metric: str, oid: str, codes: set[int], **label: str) -> None:
        if oid in self.raw:
            self.values[(metric, labels(**label))] = 1.0 if int(self.raw[oid]) in codes else 0.0

    def position(self, metric: str, oid: str, flag: int, width: int) -> None:
        text = self.raw.get(oid, "")
        if re.fullmatch(f"[01]{{{width}}}", text):  # "UNKNOWN" / "NOT SUPPORTED": no flags at all
            self.values[(metric, ())] = 1.0 if text[flag - 1] == "1" else 0.0


def galaxy_expected(raw: Raw) -> dict[Key, MetricValue]:
    e = Expect(raw)
    # apc-ups (checked against real walks in test_device_oracle.py), only what these walks hold
    e.word("ups.output_source", f"{A}.4.1.1.0", SOURCE)
    e.word("ups.apc_output_status", f"{A}.4.1.1.0", OUTPUT_STATUS)
    e.flag("ups.on_battery", f"{A}.4.1.1.0", {3})
    e.flag("ups.on_bypass", f"{A}.4.1.1.0", {6, 9, 10, 16, 17})
    e.word("ups.battery_status", f"{A}.2.1.1.0", {2: "normal"})
    e.flag("ups.battery_replace", f"{A}.2.2.4.0", {2})
    e.number("ups.seconds_on_battery", f"{A}.2.1.2.0", 0.01)
    e.number("ups.runtime_min", f"{A}.2.2.3.0", 1 / 6000)
    if f"{A}.2.3.1.0" in raw:
        e.number("ups.charge_pct", f"{A}.2.3.1.0", 0.1)
    else:
        e.number("ups.charge_pct", f"{A}.2.2.1.0")
    if f"{A}.4.3.3.0" in raw:
        e.number("ups.load_pct", f"{A}.4.3.3.0", 0.1)
    else:
        e.number("ups.load_pct", f"{A}.4.2.3.0")
    e.number("ups.battery_temp_c", f"{A}.2.3.2.0", 0.1)
    e.number("ups.battery_voltage_v", f"{A}.2.3.4.0", 0.1)
    e.number("ups.input_voltage_v", f"{A}.3.3.1.0", 0.1)
    e.number("ups.input_frequency_hz", f"{A}.3.3.4.0", 0.1)
    e.number("ups.output_voltage_v", f"{A}.4.3.1.0", 0.1)
    e.number("ups.output_frequency_hz", f"{A}.4.3.2.0", 0.1)
    # the Galaxy's own
    e.word("ups.alarm_level", f"{A}.11.1.2.0", {1: "none", 2: "info", 3: "warning", 4: "critical"})
    e.word("ups.switchgear_status", f"{A}.13.5.1.1.0", SWITCHGEAR)
    e.flag("ups.switchgear_fault", f"{A}.13.5.1.1.0", {4, 5, 6})
    for metric, column in (("ups.input_switch", 2), ("ups.output_switch", 3), ("ups.bypass_switch", 4)):
        e.word(metric, f"{A}.13.5.1.{column}.0", SWITCH)
    e.word("ups.bypass_input_switch", f"{A}.13.5.1.5.0", SWITCH)
    for metric, flag in OUTPUT_STATE_FLAGS.items():
        e.position(metric, f"{A}.11.1.1.0", flag, 64)
    for metric, flag in ABNORMAL_FLAGS.items():
        e.position(metric, f"{A}.11.2.1.0", flag, 32)
    for oid in [oid for oid in raw if oid.startswith(f"{A}.9.2.2.1.2.")]:
        feed = oid.rsplit(".", 1)[1]
        e.number("ups.input_phases", oid, input=feed)
        e.word("ups.input_type", f"{A}.9.2.2.1.5.{feed}", {1: "unknown", 2: "main", 3: "bypass"}, input=feed)
        e.word("ups.input_orientation", f"{A}.9.2.2.1.3.{feed}", ORIENTATION, input=feed)
        bypass = int(raw[f"{A}.9.2.2.1.5.{feed}"]) == 3
        frequency = "ups.bypass_frequency_hz" if bypass else "ups.input_frequency_hz"
        e.number(frequency, f"{A}.9.2.2.1.4.{feed}", 0.1, input=feed)
    for oid in [oid for oid in raw if oid.startswith(f"{A}.9.2.3.1.3.")]:
        index = oid.removeprefix(f"{A}.9.2.3.1.3.")
        at = {"input": raw[f"{A}.9.2.3.1.1.{index}"], "phase": raw[f"{A}.9.2.3.1.2.{index}"]}
        e.number("ups.input_voltage_v", oid, **at)
        e.number("ups.input_current_a", f"{A}.9.2.3.1.6.{index}", 0.1, **at)
        e.number("ups.input_power_w", f"{A}.9.2.3.1.9.{index}", **at)
    for oid in [oid for oid in raw if oid.startswith(f"{A}.9.3.2.1.2.")]:
        feed = oid.rsplit(".", 1)[1]
        e.number("ups.output_phases", oid, output=feed)
        e.word("ups.output_orientation", f"{A}.9.3.2.1.3.{feed}", ORIENTATION, output=feed)
        e.number("ups.output_frequency_hz", f"{A}.9.3.2.1.4.{feed}", 0.1, output=feed)
    for oid in [oid for oid in raw if oid.startswith(f"{A}.9.3.3.1.3.")]:
        index = oid.removeprefix(f"{A}.9.3.3.1.3.")
        at = {"output": raw[f"{A}.9.3.3.1.1.{index}"], "phase": raw[f"{A}.9.3.3.1.2.{index}"]}
        e.number("ups.output_voltage_v", oid, **at)
        e.number("ups.output_current_a", f"{A}.9.3.3.1.4.{index}", 0.1, **at)
        e.number("ups.output_apparent_power_va", f"{A}.9.3.3.1.7.{index}", **at)
        e.number("ups.load_pct", f"{A}.9.3.3.1.10.{index}", **at)
        e.number("ups.output_power_w", f"{A}.9.3.3.1.13.{index}", **at)
        e.number("ups.power_load_pct", f"{A}.9.3.3.1.16.{index}", **at)
    return e.values


def test_the_walks_are_in_the_folder() -> None:
    assert {path.stem for path in MIB_WALKS.glob("apc-galaxy*.snmprec")} == set(RECORDINGS)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_discover_proposes_apc_galaxy(galaxy_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(galaxy_agent, recording)
    assert result.profiles[:1] == ("apc-galaxy",)
    assert {"apc-ups"} <= set(result.profiles)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_every_value_is_what_the_raw_oids_say(galaxy_agent: SnmpsimAgent, recording: str) -> None:
    assert_decodes(await decoded(galaxy_agent, recording), galaxy_expected(raw_text(recording)))


async def test_phases_sentinels_and_flags_read_as_the_mib_says(galaxy_agent: SnmpsimAgent) -> None:
    """Spot readings a reader can check against the walk by eye (the test above checks them all)."""
    samples = await decoded(galaxy_agent, "apc-galaxy")
    assert samples[("ups.load_pct", labels(output="1", phase="3"))] == pytest.approx(35)
    assert samples[("ups.output_current_a", labels(output="1", phase="1"))] == pytest.approx(115.0)
    assert ("ups.output_power_w", labels(output="1", phase="3")) not in samples  # -1: unsupported
    assert ("ups.input_current_a", labels(input="2", phase="1")) not in samples
    assert samples[("ups.bypass_frequency_hz", labels(input="2"))] == pytest.approx(49.9)
    assert samples[("ups.abnormal_condition", ())] == 1.0
    assert samples[("ups.bypass_bad", ())] == 1.0  # AbnormalConditions flag 8
    assert samples[("ups.maintenance_bypass", ())] == 0.0
    assert samples[("ups.bypass_input_switch", ())] == "not-installed"


async def test_a_galaxy_on_maintenance_bypass_reads_bypass(galaxy_agent: SnmpsimAgent) -> None:
    samples = await decoded(galaxy_agent, "apc-galaxy-maintenance")
    assert samples[("ups.output_source", ())] == "bypass"  # what the shipped ups-on-bypass reads
    assert samples[("ups.maintenance_bypass", ())] == 1.0
    assert samples[("ups.bypass_switch", ())] == "closed"
    assert not [key for key in samples if key[0] in ABNORMAL_FLAGS]  # "NOT SUPPORTED": no flags
    # indexed 1.1.N (three parts, as other tools read a Galaxy): labelled by the index columns all the same
    assert samples[("ups.load_pct", labels(output="1", phase="2"))] == pytest.approx(42)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_the_stanza_passes_check_in_the_shipped_room(
    galaxy_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(galaxy_agent, recording)
    target_id = found_id(recording)
    assert stanza["target"][0]["profile"] == "apc-galaxy"
    assert f"{target_id}-ups-on-bypass" in rule_ids(stanza)
    room.assert_accepts(stanza)
