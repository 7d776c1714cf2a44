"""Vertiv/Geist units before V5 (issue 19): GEIST-MIB-V3 PDUs and RCMs (21239.2) and GEIST-V4-MIB Watchdogs
(21239.5.1), against walks written from each MIB (tests/fixtures/snmprec-mib/vertiv-geist-v3*, -v4*), served
by a real snmpsim on loopback.

For each walk: `discover` proposes the generation's profile (and a V5 unit still gets vertiv-geist-v5), a
poll decodes every value the raw OIDs imply and nothing else (value x scale, temperaturePrecision or
temperatureUnits, an unplugged device's readings left out, the MIB's words), and the stanza `discover` writes
passes `dutyroom check` pasted into the shipped room. The scales and words below are the MIBs', written
independently of the profiles.
"""

from __future__ import annotations

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

PROFILE_OF = {
    "vertiv-geist-v3": "vertiv-geist-v3",
    "vertiv-geist-v3-rcm": "vertiv-geist-v3",
    "vertiv-geist-v4": "vertiv-geist-v4",
    "vertiv-geist-v4-celsius": "vertiv-geist-v4",
}
RECORDINGS = tuple(PROFILE_OF)
V5_RECORDINGS = ("vertiv-geist-v5", "vertiv-geist-v5-celsius")
Raw = dict[str, str]

G = "1.3.6.1.4.1.21239.2"
AVAIL = {0: "unavailable", 1: "available"}
V4 = "1.3.6.1.4.1.21239.5.1"
V4_AVAIL = {0: "unavailable", 1: "available", 2: "partially-unavailable"}
V4_CLIMATE_COLUMNS = {2: (5, 6, 7), 4: (5, 0, 0), 5: (5, 7, 8), 6: (5, 6, 7), 9: (5, 6, 7)}
"""GEIST-V4-MIB internal, temperature, airflow, dewpoint and THD tables: their temperature, humidity and
dewpoint columns (0: the table has none)."""
PHASES = {"A": 0, "B": 1, "C": 2}


@pytest.fixture(scope="module")
def geist_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, RECORDINGS + V5_RECORDINGS)


async def decoded(agent: SnmpsimAgent, recording: str) -> dict[Key, MetricValue]:
    return await decoded_with(agent, recording, PROFILE_OF[recording])


class Table:
    """One table of a walk (GEIST-MIB-V3 unless `branch` says): its rows by index, each column by number."""

    def __init__(self, raw: Raw, number: int, branch: str = G) -> None:
        prefix = f"{branch}.{number}.1."
        self.rows: dict[str, dict[int, str]] = {}
        for oid, value in raw.items():
            if oid.startswith(prefix):
                column, index = oid.removeprefix(prefix).split(".", 1)
                self.rows.setdefault(index, {})[int(column)] = value


class Expect:
    """What the raw values imply, sample by sample; absent columns give no sample."""

    def __init__(self, raw: Raw) -> None:
        self.values: dict[Key, MetricValue] = {}
        self.precision = int(raw.get(f"{G}.1.9.0", "0"))  # absent: an agent from before deci-degrees

    def number(self, metric: str, row: dict[int, str], column: int, scale: float = 1.0, **label: str) -> None:
        if column in row:
            self.values[(metric, labels(**label))] = round(int(row[column]) * scale, 6)

    def temperature(self, metric: str, row: dict[int, str], column: int, **label: str) -> None:
        if column in row and -50 <= (celsius := int(row[column]) / 10**self.precision) <= 100:
            self.values[(metric, labels(**label))] = celsius

    def word(self, metric: str, row: dict[int, str], column: int, words: dict[int, str], **label: str) -> None:
        if column in row:
            self.values[(metric, labels(**label))] = words[int(row[column])]


def plugged(row: dict[int, str]) -> bool:
    return row.get(4) == "1"


def geist_expected(raw: Raw) -> dict[Key, MetricValue]:
    e = Expect(raw)
    for row in Table(raw, 2).rows.values():  # climateTable
        sensor = row[3]
        e.word("env.sensor_availability", row, 4, AVAIL, sensor=sensor)
        if plugged(row):
            e.temperature("env.temperature_c", row, 5, sensor=sensor)
            e.number("env.humidity_pct", row, 7, sensor=sensor)
            e.temperature("env.dewpoint_c", row, 31, sensor=sensor)
            e.number("pdu.voltage_v", row, 14, pdu=sensor)
            for phase, at in PHASES.items():
                e.number("pdu.current_a", row, 16 + 5 * at, 0.1, pdu=sensor, phase=phase)
                e.number("pdu.power_kw", row, 18 + 5 * at, 0.001, pdu=sensor, phase=phase)
    for row in Table(raw, 25).rows.values():  # ctrl3ChIECTable: 8 columns a phase from 5
        pdu = row[3]
        e.word("pdu.availability", row, 4, AVAIL, pdu=pdu)
        if plugged(row):
            e.number("pdu.energy_kwh", row, 29, pdu=pdu)
            e.number("pdu.device_power_kw", row, 30, 0.001, pdu=pdu)
            for phase, at in PHASES.items():
                first = 5 + 8 * at
                e.number("pdu.energy_kwh", row, first, pdu=pdu, phase=phase)
                e.number("pdu.voltage_v", row, first + 1, pdu=pdu, phase=phase)
                e.number("pdu.current_a", row, first + 3, 0.1, pdu=pdu, phase=phase)
                e.number("pdu.power_kw", row, first + 5, 0.001, pdu=pdu, phase=phase)
                e.number("pdu.apparent_power_kva", row, first + 6, 0.001, pdu=pdu, phase=phase)
                e.number("pdu.power_factor", row, first + 7, 0.01, pdu=pdu, phase=phase)
    for row in Table(raw, 15).rows.values():  # ctrlGrpAmpsTable: A-H at 5-12, I-P at 21-28
        if plugged(row):
            for at, group in enumerate("ABCDEFGH"):
                e.number("pdu.branch_current_a", row, 5 + at, 0.1, pdu=row[3], branch=group)
            for at, group in enumerate("IJKLMNOP"):
                e.number("pdu.branch_current_a", row, 21 + at, 0.1, pdu=row[3], branch=group)
    for index, row in Table(raw, 16).rows.items():  # ctrlOutletTable
        outlet = row.get(2) or index
        e.word("pdu.outlet_state", row, 3, {0: "off", 1: "on"}, outlet=outlet)
        e.number("pdu.outlet_current_a", row, 6, 0.1, outlet=outlet)
        e.number("pdu.energy_kwh", row, 14, outlet=outlet)
        e.number("pdu.outlet_power_kw", row, 15, 0.001, outlet=outlet)
    for number, humidity, dewpoint in ((4, 0, 0), (32, 7, 8)):  # tempSensorTable, thdSensorTable
        for row in Table(raw, number).rows.values():
            e.word("env.sensor_availability", row, 4, AVAIL, sensor=row[3])
            if plugged(row):
                e.temperature("env.temperature_c", row, 5, sensor=row[3])
                if humidity:
                    e.number("env.humidity_pct", row, humidity, sensor=row[3])
                    e.temperature("env.dewpoint_c", row, dewpoint, sensor=row[3])
    for row in Table(raw, 31).rows.values():  # t3hdSensorTable
        e.word("env.sensor_availability", row, 4, AVAIL, sensor=row[3])
        if plugged(row):
            e.temperature("env.temperature_c", row, 6, sensor=row[5])
            e.number("env.humidity_pct", row, 8, sensor=row[5])
            e.temperature("env.dewpoint_c", row, 9, sensor=row[5])
        for status, name, temperature in ((11, 12, 13), (15, 16, 17)):
            probe = {0: "unplugged", 1: "normal", 2: "device-error"}
            e.word("env.sensor_status", row, status, probe, sensor=row[name])
            if row[status] == "1":
                e.temperature("env.temperature_c", row, temperature, sensor=row[name])
    return e.values


def v4_expected(raw: Raw) -> dict[Key, MetricValue]:
    """GEIST-V4-MIB: tenths of a degree of temperatureUnits (0 Fahrenheit, 1 Celsius), reported in Celsius."""
    e = Expect(raw)
    celsius_unit = raw[f"{V4}.1.7.0"] == "1"

    def temperature(metric: str, row: dict[int, str], column: int, sensor: str) -> None:
        degrees = int(row[column]) / 10
        e.values[(metric, labels(sensor=sensor))] = degrees if celsius_unit else (degrees - 32) / 1.8

    def readable(row: dict[int, str]) -> bool:
        return row[4] in ("1", "2")  # available, partially unavailable

    for number, (temp, humidity, dewpoint) in V4_CLIMATE_COLUMNS.items():
        for row in Table(raw, number, V4).rows.values():
            e.word("env.sensor_availability", row, 4, V4_AVAIL, sensor=row[3])
            if readable(row):
                temperature("env.temperature_c", row, temp, row[3])
                if humidity:
                    e.number("env.humidity_pct", row, humidity, sensor=row[3])
                    temperature("env.dewpoint_c", row, dewpoint, row[3])
                if number == 5:
                    e.number("env.airflow", row, 6, sensor=row[3])
    for row in Table(raw, 8, V4).rows.values():  # t3hdSensorTable
        e.word("env.sensor_availability", row, 4, V4_AVAIL, sensor=row[3])
        if readable(row):
            temperature("env.temperature_c", row, 6, row[5])
            e.number("env.humidity_pct", row, 7, sensor=row[5])
            temperature("env.dewpoint_c", row, 8, row[5])
        for status, name, temp in ((9, 10, 11), (12, 13, 14)):
            if row[status] == "1":
                temperature("env.temperature_c", row, temp, row[name])
    for row in Table(raw, 10, V4).rows.values():  # rpmSensorTable
        pdu = row[3]
        e.word("pdu.availability", row, 4, V4_AVAIL, pdu=pdu)
        if readable(row):
            for metric, column, scale in (
                ("pdu.energy_kwh", 5, 1), ("pdu.voltage_v", 6, 1), ("pdu.current_a", 10, 0.1),
                ("pdu.power_kw", 11, 0.001), ("pdu.apparent_power_kva", 12, 0.001), ("pdu.power_factor", 13, 0.01),
            ):  # fmt: skip
                e.number(metric, row, column, scale, pdu=pdu)
            for outlet, column in (("1", 14), ("2", 15)):
                e.word("pdu.outlet_state", row, column, {0: "off", 1: "on"}, pdu=pdu, outlet=outlet)
    return e.values


EXPECTED_BY_PROFILE = {"vertiv-geist-v3": geist_expected, "vertiv-geist-v4": v4_expected}


def test_the_walks_are_in_the_folder() -> None:
    assert {path.stem for path in MIB_WALKS.glob("vertiv-geist-*.snmprec")} == set(RECORDINGS + V5_RECORDINGS)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_discover_proposes_the_generations_profile(geist_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(geist_agent, recording)
    assert result.profiles[:1] == (PROFILE_OF[recording],)
    other_generations = {"vertiv-geist-v3", "vertiv-geist-v4", "vertiv-geist-v5"} - {PROFILE_OF[recording]}
    assert not other_generations & set(result.profiles)


@pytest.mark.parametrize("recording", V5_RECORDINGS)
async def test_a_v5_unit_still_gets_v5(geist_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(geist_agent, recording)
    assert result.profiles[:1] == ("vertiv-geist-v5",)
    assert not {"vertiv-geist-v3", "vertiv-geist-v4"} & set(result.profiles)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_every_value_is_what_the_raw_oids_say(geist_agent: SnmpsimAgent, recording: str) -> None:
    expected = EXPECTED_BY_PROFILE[PROFILE_OF[recording]](raw_text(recording))
    assert_decodes(await decoded(geist_agent, recording), expected)


async def test_precision_phases_and_unplugged_sensors_read_as_the_mib_says(geist_agent: SnmpsimAgent) -> None:
    """Spot readings a reader can check against the walks by eye (the test above checks them all)."""
    pdu = await decoded(geist_agent, "vertiv-geist-v3")
    assert pdu[("env.temperature_c", labels(sensor="Cold aisle top"))] == pytest.approx(22.1)  # deciDegree
    assert ("env.temperature_c", labels(sensor="Hot aisle")) not in pdu  # unplugged
    assert pdu[("env.sensor_availability", labels(sensor="Hot aisle"))] == "unavailable"
    assert pdu[("pdu.current_a", labels(pdu="PDU-A", phase="B"))] == pytest.approx(13.9)
    assert pdu[("pdu.branch_current_a", labels(pdu="PDU-A", branch="F"))] == pytest.approx(7.6)
    assert pdu[("pdu.outlet_state", labels(outlet="spare"))] == "off"
    assert pdu[("pdu.outlet_current_a", labels(outlet="4"))] == pytest.approx(1.7)  # no name: its index
    assert pdu[("env.sensor_status", labels(sensor="Rack 14 bottom"))] == "unplugged"
    rcm = await decoded(geist_agent, "vertiv-geist-v3-rcm")
    assert rcm[("env.temperature_c", labels(sensor="RCM feed B"))] == pytest.approx(24)  # no precision: whole
    assert rcm[("pdu.current_a", labels(pdu="RCM feed B", phase="C"))] == pytest.approx(13.1)
    watchdog = await decoded(geist_agent, "vertiv-geist-v4")
    assert watchdog[("env.temperature_c", labels(sensor="Rack 3 top"))] == pytest.approx(25.0)  # 77.0 F
    assert ("env.temperature_c", labels(sensor="Rack 3 bottom")) not in watchdog
    assert ("env.temperature_c", labels(sensor="Row 4 bottom")) not in watchdog  # ExtBAvail 0
    assert watchdog[("pdu.current_a", labels(pdu="RPM feed A"))] == pytest.approx(5.2)
    celsius = await decoded(geist_agent, "vertiv-geist-v4-celsius")
    assert celsius[("env.temperature_c", labels(sensor="WD100 cage"))] == pytest.approx(23.1)


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_the_stanza_passes_check_in_the_shipped_room(
    geist_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(geist_agent, recording)
    target_id = found_id(recording)
    assert stanza["target"][0]["profile"] == PROFILE_OF[recording]
    assert f"{target_id}-env-temperature-high" in rule_ids(stanza)
    room.assert_accepts(stanza)
