"""Environment units with no recorded device (issue 19): NetBotz and APC EMU profiles against walks written
from their MIBs (tests/fixtures/snmprec-mib/, see its README), served by snmpsim on loopback.

For each walk: `discover` proposes the profile, a poll with it decodes every reading the walk holds as
the raw OIDs imply (value x scale, the MIB's words, sentinels as no value), and the stanza `discover`
writes passes `dutyroom check` pasted into the shipped checks.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import ShippedRoom, column, discover_walk, poll_once, raw_text, raw_typed, serve_walks
from snmp_agents import SNMPREC_DIR

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

PROFILE_OF = {
    "apc-netbotz": "apc-netbotz",
    "apc-emu": "apc-emu",
    "apc-emu2-mem": "apc-emu",
    "rittal-lcp": "rittal-cmc3",
    "stulz-wib8000": "stulz-wib8000",
}
ENVIRONMENT_PLAYBOOKS = {"fire-alarm", "water-leak", "cooling-failure", "humidity"}
PLAYBOOKS_OF = {"rittal-lcp": {"fire-alarm", "cooling-failure"}, "stulz-wib8000": {"cooling-failure"}}
"""The playbooks of the rules each stanza proposes (the environment set unless said)."""
NETBOTZ = "1.3.6.1.4.1.5528.100.4"
MEM = "1.3.6.1.4.1.318.1.1.10.4"
EMS = "1.3.6.1.4.1.318.1.1.10.3"
Readings = dict[tuple[str, str], object]


@pytest.fixture(scope="module")
def mib_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """snmpsim serving the environment walks, one community per file stem."""
    yield from serve_walks(tmp_path_factory, PROFILE_OF)


async def readings(agent: SnmpsimAgent, recording: str) -> Readings:
    """(metric, the row's one label: its sensor or output name, "" for the unit's own) -> value, for one poll."""
    result = await poll_once(agent, recording, PROFILE_OF[recording])
    assert result.ok, result.reason
    found: Readings = {}
    for sample in result.samples:
        assert len(sample.labels) <= 1, sample
        key = (sample.metric, sample.labels[0][1] if sample.labels else "")
        assert key not in found, f"two samples for {key}"
        found[key] = sample.value
    return found


@pytest.mark.parametrize("recording", sorted(PROFILE_OF))
async def test_discover_proposes_the_profile(mib_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(mib_agent, recording)
    assert result.profiles[:1] == (PROFILE_OF[recording],)


@pytest.mark.parametrize("recording", sorted(PROFILE_OF))
async def test_the_stanza_passes_check_in_the_shipped_room(
    mib_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(mib_agent, recording)
    proposed = {rule["playbook"] for rule in stanza["rule"]}
    assert proposed == PLAYBOOKS_OF.get(recording, ENVIRONMENT_PLAYBOOKS)
    room.assert_accepts(stanza)


ERROR_STATUS = {0: "normal", 1: "info", 2: "warning", 3: "error", 4: "critical", 5: "failure"}
"""NETBOTZV2-MIB ErrorStatus."""


async def test_netbotz_reads_every_sensor_as_its_raw_oids(mib_agent: SnmpsimAgent) -> None:
    raw = raw_typed("apc-netbotz")
    ours = await readings(mib_agent, "apc-netbotz")
    checked = 0
    numeric = {"1.1.1": "temperature", "1.2.1": "humidity", "1.3.1": "dewpoint"}
    units = {"temperature": "env.temperature_c", "humidity": "env.humidity_pct", "dewpoint": "env.dewpoint_c"}
    for table, kind in numeric.items():
        labels = column(raw, f"{NETBOTZ}.{table}.4")
        for index, tenths in column(raw, f"{NETBOTZ}.{table}.2").items():
            label = str(labels[index])
            assert ours[(units[kind], label)] == pytest.approx(int(tenths) / 10), label
            status = ERROR_STATUS[int(raw[f"{NETBOTZ}.{table}.3.{index}"])]
            assert ours[(f"env.{kind}_status", label)] == status, label
            checked += 1
    states = {"2.1.1": ("env.contact", "env.contact_status"), "2.2.1": ("env.door", "env.door_status")}
    for table, (metric, status_metric) in states.items():
        labels = column(raw, f"{NETBOTZ}.{table}.4")
        for index, value in column(raw, f"{NETBOTZ}.{table}.2").items():
            label = str(labels[index])
            expected = {-1: None, 0: "open", 1: "closed"}[int(value)]  # null(-1): no reading
            assert ours.get((metric, label)) == expected, label
            error = int(raw[f"{NETBOTZ}.{table}.3.{index}"])
            assert ours[(status_metric, label)] == ERROR_STATUS[error], label
            if metric == "env.contact":
                assert ours[("env.contact_alarm", label)] == float(error >= 3), label
            else:
                assert ours.get(("env.door_open", label)) == (None if value == -1 else float(value == 0)), label
            checked += 1
    labels = column(raw, f"{NETBOTZ}.2.10.1.4")
    for index, error in column(raw, f"{NETBOTZ}.2.10.1.3").items():
        assert ours[("env.sensor_status", str(labels[index]))] == ERROR_STATUS[int(error)]
        checked += 1
    assert checked == 13  # 5 numeric sensors, 3 contacts, 3 doors, 2 other states
    # The unit's verdict decides the alarm; the label says what kind of detector it is.
    assert ours[("env.fire_alarm", "Smoke detector row A")] == 1.0  # closed, critical
    assert ours[("env.fire_alarm", "Smoke sensor aisle 3")] == 0.0
    assert ours[("env.water_leak", "Leak rope under CRAC 2")] == 0.0  # open, normal
    assert ours[("env.water_leak", "水浸 CRAC 2")] == 1.0
    assert ("env.fire_alarm", "Spare input") not in ours
    assert sum(1 for metric, _ in ours if metric in ("env.fire_alarm", "env.water_leak")) == 4


MEM_ALARM = {1: "normal", 2: "warning", 3: "critical"}
"""PowerNet-MIB memNormal(1), memWarning(2), memCritical(3)."""


async def test_emu2_mem_reads_every_sensor_input_and_output_as_its_raw_oids(mib_agent: SnmpsimAgent) -> None:
    raw = raw_typed("apc-emu2-mem")
    ours = await readings(mib_agent, "apc-emu2-mem")
    assert raw[f"{MEM}.2.1.0"] == 1  # memSensorsStatusSysTempUnits: Celsius
    names = column(raw, f"{MEM}.2.3.1.3")
    for index, comm in column(raw, f"{MEM}.2.3.1.7").items():
        name = str(names[index])
        assert ours[("env.sensor_comm", name)] == {1: "not-installed", 2: "ok", 3: "lost"}[int(comm)], name
        alarm = int(raw[f"{MEM}.2.3.1.8.{index}"])
        assert ours[("env.sensor_status", name)] == MEM_ALARM[alarm], name
        assert ours[("env.sensor_alarm", name)] == float(alarm == 3), name
        if comm != 2:  # comms lost: its last readings are not readings
            assert ("env.temperature_c", name) not in ours
            assert ("env.humidity_pct", name) not in ours
            continue
        tenths = int(raw[f"{MEM}.2.3.1.9.{index}"])  # memSensorsTemperatureHighPrec
        assert ours[("env.temperature_c", name)] == pytest.approx(tenths / 10), name
        humidity = int(raw[f"{MEM}.2.3.1.6.{index}"])
        assert ours.get(("env.humidity_pct", name)) == (humidity if humidity >= 0 else None), name
    names = column(raw, f"{MEM}.3.2.1.3")
    for index, state in column(raw, f"{MEM}.3.2.1.5").items():
        name = str(names[index])
        words = {1: "closed", 2: "open", 3: "disabled", 4: "not-applicable"}
        assert ours[("env.contact", name)] == words[int(state)], name
        alarm = int(raw[f"{MEM}.3.2.1.7.{index}"])
        assert ours[("env.contact_status", name)] == MEM_ALARM[alarm], name
        assert ours[("env.contact_alarm", name)] == float(alarm == 3), name
    assert ours[("env.fire_alarm", "Fire panel alarm")] == 1.0  # the fire input reads Critical
    assert ours[("env.water_leak", "Leak rope CRAC 1")] == 0.0

    names = column(raw, f"{MEM}.4.2.1.3")
    for index, state in column(raw, f"{MEM}.4.2.1.5").items():
        name = str(names[index])
        assert ours[("env.output", name)] == {1: "closed", 2: "open"}[int(state)], name
        assert ours[("env.output_abnormal", name)] == float(raw[f"{MEM}.4.2.1.6.{index}"] == 2), name


async def test_emu_reads_probes_in_fahrenheit_and_contacts_against_their_normal_state(
    mib_agent: SnmpsimAgent,
) -> None:
    raw = raw_typed("apc-emu")
    ours = await readings(mib_agent, "apc-emu")
    assert raw[f"{EMS}.12.11.0"] == 2  # emsStatusSysTempUnits: Fahrenheit
    names = column(raw, f"{EMS}.13.1.1.2")
    for index, fahrenheit in column(raw, f"{EMS}.13.1.1.3").items():
        name = str(names[index])
        comm = int(raw[f"{EMS}.13.1.1.10.{index}"])
        assert ours[("env.sensor_comm", name)] == {1: "never-discovered", 2: "ok", 3: "lost"}[comm], name
        if comm != 2:  # no comms: its zeros are no readings (no 0 %RH for a humidity rule to fire on)
            assert ("env.temperature_c", name) not in ours
            assert ("env.humidity_pct", name) not in ours
            continue
        assert ours[("env.temperature_c", name)] == pytest.approx((int(fahrenheit) - 32) * 5 / 9), name
        assert ours[("env.humidity_pct", name)] == raw[f"{EMS}.13.1.1.6.{index}"], name
    assert ours[("env.temperature_c", "Battery room")] == pytest.approx(25.0)  # 77 F
    assert ours[("env.sensor_comm", "Probe 3")] == "never-discovered"
    names = column(raw, f"{EMS}.14.1.1.2")
    for index, state in column(raw, f"{EMS}.14.1.1.3").items():
        name = str(names[index])
        assert ours[("env.contact", name)] == {1: "closed", 2: "open"}[int(state)], name
        in_alarm = state != raw[f"{EMS}.14.1.1.4.{index}"]
        assert ours[("env.contact_alarm", name)] == float(in_alarm), name
    assert ours[("env.fire_alarm", "Smoke detector battery room")] == 1.0  # normally closed, open
    assert ours[("env.fire_alarm", "烟感 发电机房")] == 0.0
    assert ours[("env.water_leak", "Water under floor")] == 1.0  # normally open, closed

    names = column(raw, f"{EMS}.15.1.1.2")
    for index, state in column(raw, f"{EMS}.15.1.1.3").items():
        name = str(names[index])
        assert ours[("env.output", name)] == {1: "closed", 2: "open"}[int(state)], name
        assert ours[("env.output_abnormal", name)] == float(state != raw[f"{EMS}.15.1.1.4.{index}"]), name


CMC_VARS = "1.3.6.1.4.1.2606.7.4.2.2.1"
LCP_AIR = {
    r"Air\.Temperature\.In-": "cooling.air_in_temp_c",
    r"Air\.Temperature\.Out-": "cooling.air_out_temp_c",
    r"Air\.Server-In\.Average$": "cooling.server_in_temp_c",
    r"Air\.Server-Out\.Average$": "cooling.server_out_temp_c",
    r"Air\.Fans\.Fan\d+\.Rpm$": "cooling.fan_speed_pct",
}


async def test_lcp_fan_unit_reads_as_cooling_never_as_room_temperature(mib_agent: SnmpsimAgent) -> None:
    """The LCP's air temperatures and fans from RITTAL-CMC-III-MIB's variable table: value over the row's
    scale (-10: tenths), each Status row as its word, and none of them a room temperature."""
    raw = raw_typed("rittal-lcp")
    ours = await readings(mib_agent, "rittal-lcp")
    assert ours[("env.unit_type", "")] == "lcp"  # cmcIIIUnitType 4
    assert ours[("env.unit_status", "")] == "ok"
    names = column(raw, f"{CMC_VARS}.3")
    read = 0
    for index, name in names.items():
        kind, scale, value = (int(raw[f"{CMC_VARS}.{n}.{index}"]) for n in (4, 7, 11))
        metric = next((metric for pattern, metric in LCP_AIR.items() if re.match(pattern, str(name))), "")
        if kind == 2 and metric:
            expected = value / -scale if scale < 0 else value * scale
            assert ours[(metric, str(name))] == pytest.approx(expected), name
            read += 1
        if kind == 7:
            assert ours[("env.status", str(name))] == {4: "ok", 5: "alarm"}[value], name
            assert ours[("env.sensor_alarm", str(name))] == float(value == 5), name
    assert read == 11  # 6 air temperatures, 2 server averages, 3 fans (a setpoint, type 17, is no reading)
    assert ours[("cooling.air_in_temp_c", "Air.Temperature.In-Top")] == pytest.approx(31.2)
    assert ("cooling.server_in_temp_c", "Air.Server-In.Setpoint") not in ours
    assert not [key for key in ours if key[0] == "env.temperature_c"]
    assert ours[("env.sensor_alarm", "Air.Fans.Fan2.Status")] == 1.0


COOL = "1.3.6.1.4.1.318.1.1.27.1"


async def test_uniflair_room_temperature_counters_and_inputs_as_the_recording_has_them(
    snmpsim_agent: SnmpsimAgent,
) -> None:
    """What apc-cooling reads of the recorded Uniflair SP beyond the InRow's rows: the room temperature it
    controls on, its maintenance counters (coolingUnitExtendedAnalogTable) and the inputs a duty
    operator acts on, each against the raw OIDs of apc_uniflair-sp."""
    raw = raw_text("apc_uniflair-sp", SNMPREC_DIR)
    result = await poll_once(snmpsim_agent, "apc_uniflair-sp", "apc-cooling")
    assert result.ok, result.reason
    ours = {(sample.metric, sample.labels): sample.value for sample in result.samples}
    analog = f"{COOL}.4.1.2.1"
    (room,) = [
        index
        for oid, name in raw.items()
        if oid.startswith(f"{analog}.2.") and name == "Room Temperature"
        for index in [oid.removeprefix(f"{analog}.2.")]
        if raw[f"{analog}.4.{index}"] == "C"
    ]
    expected = int(raw[f"{analog}.3.{room}"]) / int(raw[f"{analog}.5.{room}"])
    assert ours[("cooling.room_temp_c", ())] == pytest.approx(expected) == pytest.approx(21.4)
    extended = f"{COOL}.6.1.2.1"
    counters = [oid.removeprefix(f"{extended}.2.") for oid in raw if oid.startswith(f"{extended}.2.")]
    assert len(counters) == 9
    for index in counters:
        unit = raw[f"{extended}.4.{index}"] or index  # a count has no unit: the label falls back to the index
        labels = (("sensor", raw[f"{extended}.2.{index}"]), ("unit", unit))
        expected = int(raw[f"{extended}.3.{index}"]) / int(raw[f"{extended}.5.{index}"])
        assert ours[("cooling.counter", labels)] == pytest.approx(expected), labels
    assert ours[("cooling.counter", (("sensor", "System Run Hours"), ("unit", "hr")))] == 1762
    discrete = f"{COOL}.6.2.2.1"
    inputs = {raw[oid]: int(raw[f"{discrete}.4.{oid.removeprefix(f'{discrete}.2.')}"]) for oid in raw
              if oid.startswith(f"{discrete}.2.")}  # fmt: skip
    for metric, name in (
        ("cooling.filter_clogged", "Air Filter Clogged"),
        ("cooling.low_suction_pressure", "Low Suction Pressure"),
        ("cooling.remote_shutdown", "Remote Shutdown Active"),
    ):
        assert ours[(metric, ())] == float(inputs[name] == 1), metric  # the MIB's No(0)/Yes(1)


STULZ_TEMPERATURE = "1.3.6.1.4.1.29462.10.2.1.1.1.1.1.1.1"
STULZ_HUMIDITY = "1.3.6.1.4.1.29462.10.2.1.1.1.1.2.1.1"


async def test_stulz_reads_each_unit_as_its_raw_oids(mib_agent: SnmpsimAgent) -> None:
    """Per unit (index bus.unit.module): temperatures and humidity in tenths, 999 (no probe) as no value,
    on/off and the alarm as words."""
    raw = raw_typed("stulz-wib8000")
    ours = await readings(mib_agent, "stulz-wib8000")
    temperatures = {1170: "cooling.room_temp_c", 1192: "cooling.return_temp_c", 1193: "cooling.supply_temp_c",
                    1196: "cooling.outside_temp_c"}  # fmt: skip
    humidity = {1171: "cooling.humidity_pct", 1194: "cooling.return_humidity_pct", 1195: "cooling.supply_humidity_pct"}
    read = 0
    for prefix, metrics in ((STULZ_TEMPERATURE, temperatures), (STULZ_HUMIDITY, humidity)):
        for object_id, metric in metrics.items():
            for unit, tenths in column(raw, f"{prefix}.{object_id}").items():
                expected = None if tenths == 999 else int(tenths) / 10
                assert ours.get((metric, unit)) == (None if expected is None else pytest.approx(expected)), metric
                read += 1
    assert read == 14
    assert ("cooling.outside_temp_c", "1.1.1") not in ours  # 999: no outside probe fitted
    assert ours[("cooling.outside_temp_c", "1.2.1")] == pytest.approx(8.3)
    for unit, state in column(raw, "1.3.6.1.4.1.29462.10.2.1.4.1.1.1.1013").items():
        assert ours[("cooling.system_state", unit)] == {0: "off", 1: "on"}[int(state)]
    for unit, code in column(raw, "1.3.6.1.4.1.29462.10.2.1.4.4.1.1.1.1010").items():
        assert ours[("cooling.alarm", unit)] == ("none" if code == 0 else f"code-{code}")
    assert ours[("cooling.alarm", "1.2.1")] == "code-2"
