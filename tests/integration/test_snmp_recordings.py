"""SnmpCollector against snmpsim serving the real device recordings: the values each file implies."""

from __future__ import annotations

import pytest
from snmp_agents import SNMPREC_DIR

from collectors.snmp.collector import SnmpCollector, TransportFactory, auto_transport, pysnmp_transport
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.model import PollResult, Sample
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration


def recorded(recording: str, oid: str) -> str:
    """The value of `oid` in `recording`.snmprec, as written in the file."""
    for line in (SNMPREC_DIR / f"{recording}.snmprec").read_text().splitlines():
        name, _type, value = line.split("|", 2)
        if name == oid:
            return value
    raise KeyError(oid)


async def poll(agent: SnmpsimAgent, recording: str, profile: str, **options: object) -> PollResult:
    spec = SnmpTargetSpec(
        recording, agent.host, agent.port, community=recording, profile=load_profile(profile),
        timeout_s=3.0, retries=1, interval_s=30.0, **options,  # type: ignore[arg-type]
    )  # fmt: skip
    collector = SnmpCollector(spec)
    try:
        return await collector.poll()
    finally:
        await collector.aclose()


def values(result: PollResult, metric: str) -> dict[tuple[tuple[str, str], ...], object]:
    return {sample.labels: sample.value for sample in result.samples if sample.metric == metric}


def one(result: PollResult, metric: str) -> Sample:
    found = [sample for sample in result.samples if sample.metric == metric and not sample.labels]
    assert len(found) == 1, f"{metric}: {found}"
    return found[0]


async def test_apc_runtime_is_timeticks_in_minutes(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "apc_smt750x-nmc2", "apc-ups")
    assert result.ok, result.reason
    ticks = int(recorded("apc_smt750x-nmc2", "1.3.6.1.4.1.318.1.1.1.2.2.3.0"))  # 10976200
    runtime = one(result, "ups.runtime_min")
    assert runtime.value == pytest.approx(ticks / 6000) == pytest.approx(1829.366667)
    assert runtime.unit == "min"
    assert one(result, "ups.charge_pct").value == 100.0  # upsHighPrecBatteryCapacity 1000 tenths
    assert one(result, "ups.battery_temp_c").value == 23.4  # upsHighPrecBatteryTemperature 234
    assert one(result, "ups.input_voltage_v").value == 119.1
    assert one(result, "ups.load_pct").value == 0.0
    assert one(result, "ups.on_battery").value == 0.0  # upsBasicOutputStatus 2 = onLine
    assert one(result, "ups.output_source").value == "normal"


async def test_eaton_load_per_output_line(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "eaton-mgeups_93ps", "ups-mib")
    assert result.ok, result.reason
    assert values(result, "ups.load_pct") == {(("line", "1"),): 7.0, (("line", "2"),): 19.0, (("line", "3"),): 29.0}
    assert values(result, "ups.input_voltage_v") == {
        (("line", "1"),): 238.0,
        (("line", "2"),): 239.0,
        (("line", "3"),): 240.0,
    }
    assert one(result, "ups.max_load_pct").value == 29.0
    assert one(result, "ups.runtime_min").value == 137.0
    assert one(result, "ups.charge_pct").value == 100.0
    assert one(result, "ups.battery_temp_c").value == 25.0
    assert one(result, "ups.battery_status").value == "normal"
    assert one(result, "ups.output_source").value == "normal"
    assert one(result, "ups.seconds_on_battery").value == 0.0
    assert one(result, "ups.battery_voltage_v").value == 417.0  # 4170 x 0.1 V
    assert not values(result, "ups.alarms")  # this card has no upsAlarmsPresent


async def test_netvision_runtime_sentinel_is_ignored(snmpsim_agent: SnmpsimAgent) -> None:
    assert recorded("netvision-rfc", "1.3.6.1.2.1.33.1.2.3.0") == "65535"
    result = await poll(snmpsim_agent, "netvision-rfc", "ups-mib")
    assert result.ok, result.reason
    assert not values(result, "ups.runtime_min")
    assert one(result, "ups.charge_pct").value == 100.0
    assert values(result, "ups.load_pct") == {(("line", "1"),): 7.0}
    assert one(result, "ups.battery_temp_c").value == 27.0


async def test_liebert_without_sysuptime_still_polls(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "liebert_apm", "ups-mib")
    assert result.ok, result.reason
    assert one(result, "ups.runtime_min").value == 72.0
    assert one(result, "ups.alarms").value == 0.0
    assert not values(result, "ups.charge_pct")  # the recording has no charge value
    assert values(result, "ups.output_current_a") == {
        (("line", "1"),): 35.0,
        (("line", "2"),): 30.0,
        (("line", "3"),): 28.0,
    }
    again = await poll(snmpsim_agent, "liebert_apm", "ups-mib")
    assert again.ok
    assert not again.events


async def test_akcp_switches_temperatures_and_humidity(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "akcp_serverprobe8", "akcp-sensorprobe")
    assert result.ok, result.reason
    contacts = values(result, "env.contact")
    online_switches = [
        "USV Carrier 230V ausgefallen",
        "USV Carrier Stoerung",
        "48V Gleichrichter 230V ausgefallen",
        "48V Gleichrichter Stoerung",
        "USV Koax Stoerung",
    ]
    assert contacts == {(("sensor", name),): "normal" for name in online_switches}
    assert set(values(result, "env.contact_alarm").values()) == {0.0}
    assert not values(result, "env.water_leak")  # no switch on this probe is named for water or a leak
    assert values(result, "env.temperature_c") == {
        (("sensor", "Temp.Sensor Carrier"),): 19.9,  # sensorProbeTempDegreeRaw 199
        (("sensor", "Temp.Sensor 2"),): 20.0,
        (("sensor", "Temp.Sensor 1"),): 22.1,
    }
    assert values(result, "env.humidity_pct") == {
        (("sensor", "Custom Descr 1"),): 42.0,
        (("sensor", "Custom Descr 2"),): 41.0,
        (("sensor", "Custom Descr 3"),): 39.0,
    }


async def test_inrow_values_use_their_scale(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "apc_inrow-dx", "apc-cooling")
    assert result.ok, result.reason
    assert one(result, "cooling.supply_temp_c").value == 19.4  # 194 / scale 10
    assert one(result, "cooling.return_temp_c").value == 28.0  # 280 / 10
    assert one(result, "cooling.rack_inlet_max_c").value == 20.9
    assert one(result, "cooling.humidity_pct").value == 30.6
    by_sensor = values(result, "cooling.value")
    assert by_sensor[(("sensor", "Supply Temperature"), ("unit", "F"))] == 67.1
    assert by_sensor[(("sensor", "Fan Power Supply 1"), ("unit", "A"))] == 2.472  # 2472 / 1000
    assert by_sensor[(("sensor", "Air Filter Pressure"), ("unit", "\\WC"))] == 0.02  # 2 / 100
    assert (("sensor", "Rack Inlet Temperature 1"), ("unit", "C")) not in by_sensor  # no value recorded
    units = {sample.labels: sample.unit for sample in result.samples if sample.metric == "cooling.value"}
    assert units[(("sensor", "Compressor Speed"), ("unit", "Hz"))] == "Hz"


@pytest.mark.parametrize(
    ("recording", "expected"),
    [
        ("iosxe_asr920", {"Gi0/0/0": "down", "Gi0/0/1": "up", "Te0/0/25": "up", "Vi4001": "down", "Lo0": "up"}),
        (
            "vrp_ar169sfp",
            {"GigabitEthernet0/0/1": "up", "GigabitEthernet0/0/2": "down", "Vlanif600": "up", "Vlanif1": "down"},
        ),
    ],
)
async def test_interface_oper_status_by_ifname(
    snmpsim_agent: SnmpsimAgent, recording: str, expected: dict[str, str]
) -> None:
    result = await poll(snmpsim_agent, recording, "if-mib")
    assert result.ok, result.reason
    status = {dict(labels)["ifname"]: value for labels, value in values(result, "if.oper_status").items()}
    for name, word in expected.items():
        assert status[name] == word
    assert not values(result, "if.in_bps")  # the first poll gives no rate


async def test_duplicate_ifnames_get_their_index(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "iosxe_asr920", "if-mib")
    names = {dict(labels)["ifname"] for labels in values(result, "if.oper_status")}
    assert {"Te0/0/26", "Te0/0/26#37", "Te0/0/25#64", "Te0/0/27#65"} <= names
    assert values(result, "if.speed_mbps")[(("ifname", "Te0/0/26"),)] == 10000.0


async def test_interface_filter_fetches_only_named_rows(snmpsim_agent: SnmpsimAgent) -> None:
    wanted = ("GigabitEthernet0/0/1", "GigabitEthernet0/0/4")
    result = await poll(snmpsim_agent, "vrp_ar169sfp", "if-mib", interfaces=wanted)
    assert result.ok, result.reason
    assert {dict(labels)["ifname"] for labels in values(result, "if.oper_status")} == set(wanted)
    missing = await poll(snmpsim_agent, "vrp_ar169sfp", "if-mib", interfaces=("XGE9/9/9",))
    assert missing.failure is not None
    assert "XGE9/9/9" in missing.reason


async def test_linux_cpu_and_storage(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "linux_powermon", "host-resources")
    assert result.ok, result.reason
    loads = [3, 3, 100, 10, 100, 1, 1, 2, 100, 2, 100, 97, 100, 100, 1, 100, 7, 100, 100, 100, 1, 100, 1, 8]
    per_cpu = values(result, "host.cpu_pct")
    assert per_cpu.pop(()) == pytest.approx(sum(loads) / len(loads))
    assert len(per_cpu) == 24
    assert per_cpu[(("cpu", "196610"),)] == 100.0
    storage = values(result, "host.storage_used_pct")
    assert storage[(("storage", "/"),)] == pytest.approx(100 * 3307213 / 18341120)
    assert storage[(("storage", "/boot"),)] == pytest.approx(100 * 64428 / 259584)
    assert storage[(("storage", "/media/iso"),)] == 100.0
    assert (("storage", "Physical memory"),) not in storage
    assert one(result, "host.mem_used_pct").value == pytest.approx(100 * 27274104 / 49225180)
    assert one(result, "host.swap_used_pct").value == 0.0


async def test_linux_ucd_load(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "linux_powermon", "ucd")
    assert result.ok, result.reason
    assert (one(result, "host.load1").value, one(result, "host.load5").value) == (12.5, 12.77)
    assert one(result, "host.load15").value == 12.8
    assert one(result, "host.cpu_idle_pct").value == 48.0


async def test_rpdu2_phase_current(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "apc_ap8959eu3", "apc-rpdu2")
    assert result.ok, result.reason
    assert values(result, "pdu.current_a") == {(("phase", "1"),): 1.3}  # rPDU2PhaseStatusCurrent 13 tenths
    assert values(result, "pdu.power_kw") == {(("phase", "1"),): 0.25}
    assert values(result, "pdu.load_state") == {(("phase", "1"),): "normal"}
    assert values(result, "pdu.device_power_kw") == {(("pdu", "SCP"),): 0.27}


async def test_entity_sensor_values_scaled(snmpsim_agent: SnmpsimAgent) -> None:
    result = await poll(snmpsim_agent, "test_entity_sensor", "entity-sensor")
    assert result.ok, result.reason
    assert values(result, "sensor.value") == {
        (("sensor", "Inlet"), ("type", "celsius")): 41.5,
        (("sensor", "12V rail"), ("type", "volts-dc")): 12.05,  # no entPhysicalName: the description
        (("sensor", "FanTray Current"), ("type", "amperes")): 0.012,
        (("sensor", "Te1/1 Rx"), ("type", "dbm")): -2.3,
    }
    assert values(result, "sensor.temperature_c") == {(("sensor", "Inlet"), ("type", "celsius")): 41.5}
    assert values(result, "sensor.status")[(("sensor", "Fan 2"), ("type", "rpm"))] == "unavailable"


async def test_wrong_community_is_unreachable(snmpsim_agent: SnmpsimAgent) -> None:
    spec = SnmpTargetSpec(
        "nobody", snmpsim_agent.host, snmpsim_agent.port, community="no-such-recording",
        profile=load_profile("ups-mib"), timeout_s=0.5, retries=1, interval_s=5.0,
    )  # fmt: skip
    collector = SnmpCollector(spec)
    result = await collector.poll()
    await collector.aclose()
    assert result.failure is not None
    assert result.failure.value == "unreachable"
    assert result.reason == "no reply after 0.5 s x 2 attempts"


CASES = [
    ("apc_smt750x-nmc2", "apc-ups"),
    ("eaton-mgeups_93ps", "ups-mib"),
    ("netvision-rfc", "ups-mib"),
    ("liebert_apm", "ups-mib"),
    ("apc_ap8959eu3", "apc-rpdu2"),
    ("apc_inrow-dx", "apc-cooling"),
    ("akcp_serverprobe8", "akcp-sensorprobe"),
    ("iosxe_asr920", "if-mib"),
    ("vrp_ar169sfp", "if-mib"),
    ("linux_powermon", "host-resources"),
    ("linux_powermon", "ucd"),
    ("test_entity_sensor", "entity-sensor"),
]


def sample_set(result: PollResult) -> set[tuple[object, ...]]:
    return {(s.metric, s.labels, s.value, s.unit) for s in result.samples}


@pytest.mark.parametrize(("recording", "profile"), CASES)
async def test_ber_transport_decodes_exactly_like_pysnmp(
    snmpsim_agent: SnmpsimAgent, recording: str, profile: str
) -> None:
    spec = SnmpTargetSpec(
        recording, snmpsim_agent.host, snmpsim_agent.port, community=recording, profile=load_profile(profile),
        timeout_s=3.0, retries=1, interval_s=30.0,
    )  # fmt: skip
    results = []
    for factory in (pysnmp_transport, auto_transport):
        collector = SnmpCollector(spec, transport_factory=factory)
        try:
            results.append(await collector.poll())
        finally:
            await collector.aclose()
    assert results[0].ok, results[0].reason
    assert results[1].ok, results[1].reason
    assert sample_set(results[0]) == sample_set(results[1])


@pytest.mark.parametrize("factory", [pysnmp_transport, auto_transport])
async def test_snmpv1_gives_the_same_ups_values(snmpsim_agent: SnmpsimAgent, factory: TransportFactory) -> None:
    v2c = await poll(snmpsim_agent, "eaton-mgeups_93ps", "ups-mib")
    spec = SnmpTargetSpec(
        "v1", snmpsim_agent.host, snmpsim_agent.port, version="1", community="eaton-mgeups_93ps",
        profile=load_profile("ups-mib"), timeout_s=3.0, retries=1, interval_s=30.0,
    )  # fmt: skip
    collector = SnmpCollector(spec, transport_factory=factory)
    try:
        v1 = await collector.poll()
    finally:
        await collector.aclose()
    assert v1.ok, v1.reason
    assert sample_set(v1) == sample_set(v2c)
