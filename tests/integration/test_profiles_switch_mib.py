"""Switch health and optics (issue 19) on recordings written from the MIB text (tests/fixtures/snmprec-mib/),
served by snmpsim: `discover` picks the vendor's profile, a poll with it decodes every value the raw OIDs
imply (value x scale, enum words, sentinels -> no value, never a made-up reading), and the stanza discover
writes passes `dutyroom check` pasted into the shipped room.

The expected values are worked out here from the raw recording by each MIB's own rules, independently of
the profile's expressions; a decoded sample the MIB does not imply, or a missing one, fails the test.
"""

from __future__ import annotations

import asyncio
import math
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from collectors.discover import checks_stanza, discover
from collectors.snmp.collector import SnmpCollector
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.playbooks.library import read_playbooks
from tui.cli.check import validate_all
from tui.demo.snmpsim_agent import SnmpsimAgent, start_snmpsim

pytestmark = pytest.mark.integration

RECORDINGS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
SHIPPED = Path(__file__).resolve().parents[2] / "tui" / "demo" / "shipped_room"
PROFILES = {
    "arista-eos": "arista",
    "cisco-dom": "cisco-envmon",
    "h3c-comware-ext": "h3c-comware",
    "huawei-vrp-optics": "huawei-vrp",
    "junos-dom": "juniper",
}
UNDERFLOW, OVERFLOW = -1000000000, 1000000000
"""ENTITY-SENSOR-MIB's EntitySensorValue out of range: no reading."""
Labels = tuple[tuple[str, str], ...]
Expected = dict[tuple[str, Labels], float | str]


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    devices = tmp_path_factory.mktemp("switch-devices")
    for name in PROFILES:
        shutil.copyfile(RECORDINGS_DIR / f"{name}.snmprec", devices / f"{name}.snmprec")
    running = asyncio.run(start_snmpsim(devices, tmp_path_factory.mktemp("switch-snmpsim"), {n: n for n in PROFILES}))
    try:
        yield running
    finally:
        running.stop()


def raw(name: str) -> dict[str, str]:
    """The recording as numeric OID (no leading dot) -> value text."""
    values = {}
    for line in (RECORDINGS_DIR / f"{name}.snmprec").read_text().splitlines():
        oid, _tag, text = line.split("|", 2)
        values[oid] = text
    return values


def column(values: dict[str, str], prefix: str) -> dict[str, str]:
    """One column: row index -> value text."""
    return {oid[len(prefix) + 1 :]: text for oid, text in values.items() if oid.startswith(prefix + ".")}


def spec(agent: SnmpsimAgent, name: str, profile: str = "") -> SnmpTargetSpec:
    options: dict[str, Any] = {"profile": load_profile(profile)} if profile else {}
    return SnmpTargetSpec(
        name, agent.host, agent.port, community=name, timeout_s=3.0, retries=1, interval_s=30.0, **options
    )


async def decoded(agent: SnmpsimAgent, name: str) -> Expected:
    """What a poll with the profile discover proposes reports, without the IF-MIB ports (test_snmp_* cover them)."""
    collector = SnmpCollector(spec(agent, name, PROFILES[name]))
    try:
        result = await collector.poll()
    finally:
        await collector.aclose()
    assert result.failure is None, result.reason
    return {(s.metric, s.labels): s.value for s in result.samples if not s.metric.startswith("if.")}


def assert_same(ours: Expected, expected: Expected) -> None:
    assert sorted(ours) == sorted(expected)
    for key, value in expected.items():  # a sample keeps 6 decimals
        assert ours[key] == (value if isinstance(value, str) else pytest.approx(value, abs=1e-6)), key


def arista_expected(values: dict[str, str]) -> Expected:
    """RFC 3433: value x 10^(3 x (scale - 9) - precision) in the unit of its type; DOM power in W -> dBm."""
    sensor = "1.3.6.1.2.1.99.1.1.1"
    kinds, scales, precisions, readings, statuses = (column(values, f"{sensor}.{n}") for n in range(1, 6))
    descrs, classes = column(values, "1.3.6.1.2.1.47.1.1.1.1.2"), column(values, "1.3.6.1.2.1.47.1.1.1.1.5")
    names, opers = column(values, "1.3.6.1.2.1.47.1.1.1.1.7"), column(values, "1.3.6.1.2.1.131.1.1.1.3")
    low_critical = column(values, "1.3.6.1.4.1.30065.3.12.1.1.1.2")
    high_warning = column(values, "1.3.6.1.4.1.30065.3.12.1.1.1.3")
    expected: Expected = {}
    for index, kind_text in kinds.items():
        kind, value, status = int(kind_text), int(readings[index]), int(statuses[index])
        descr = descrs[index]
        labels = (("sensor", names.get(index) or descr),)
        expected[("sensor.status", labels)] = {1: "ok", 2: "unavailable", 3: "nonoperational"}[status]
        if descr.startswith("DOM RX Power"):
            expected[("optic.no_light", labels)] = 1.0 if value == UNDERFLOW else 0.0
        if status != 1 or value in (UNDERFLOW, OVERFLOW):
            continue
        factor = 10 ** (3 * (int(scales[index]) - 9) - int(precisions[index]))
        reading = value * factor
        if descr.startswith("DOM "):
            part = descr.split(" Sensor")[0].removeprefix("DOM ")
            metric, shown = {
                "RX Power": ("optic.rx_dbm", 10 * math.log10(reading * 1000)),
                "TX Power": ("optic.tx_dbm", 10 * math.log10(reading * 1000)),
                "TX Bias": ("optic.bias_ma", reading * 1000),
                "Temperature": ("optic.temperature_c", reading),
                "Voltage": ("optic.voltage_v", reading),
            }[part]
            expected[(metric, labels)] = shown
            if part == "RX Power" and int(low_critical[index]) not in (UNDERFLOW, OVERFLOW):
                expected[("optic.rx_margin_db", labels)] = 10 * math.log10(value / int(low_critical[index]))
            continue
        metric = {8: "sensor.temperature_c", 3: "sensor.voltage_v", 4: "sensor.voltage_v", 5: "sensor.current_a",
                  6: "sensor.power_w", 10: "sensor.fan_rpm"}[kind]  # fmt: skip
        expected[(metric, labels)] = reading
        if kind == 8 and int(high_warning[index]) not in (UNDERFLOW, OVERFLOW):
            expected[("sensor.temperature_headroom_c", labels)] = (int(high_warning[index]) - value) * factor
    words = {1: "unknown", 2: "disabled", 3: "enabled", 4: "testing"}  # ENTITY-STATE-TC-MIB EntityOperState
    for index, oper in opers.items():
        part = {"6": "psu", "7": "fan"}[classes[index]]
        labels = ((part, names[index]),)
        expected[(f"switch.{part}_status", labels)] = words[int(oper)]
        expected[(f"switch.{part}_fault", labels)] = 1.0 if oper == "2" else 0.0
    return expected


def h3c_expected(values: dict[str, str]) -> Expected:
    """HH3C-LswDEVM fan/PSU states; HH3C-ENTITY-EXT usage in %, temperature in C (0/65535: no sensor);
    HH3C-TRANSCEIVER-INFO levels in hundredths (dBm, V, mA)."""
    expected: Expected = {}
    words = {1: "active", 2: "inactive", 3: "absent", 4: "unsupported"}  # active, deactive, not-install, unsupport
    for part, table in (("fan", "1.1"), ("psu", "2.1")):
        for index, state in column(values, f"1.3.6.1.4.1.25506.8.35.9.1.{table}.2").items():
            expected[(f"switch.{part}_status", ((part, index),))] = words[int(state)]
            expected[(f"switch.{part}_fault", ((part, index),))] = 1.0 if state == "2" else 0.0
    ext = "1.3.6.1.4.1.25506.2.6.1.1.1.1"
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    cpu, cpu_limit, memory, memory_limit, temperature, temperature_limit = (
        column(values, f"{ext}.{n}") for n in (6, 7, 8, 9, 12, 13)
    )
    for index, name in names.items():
        labels = (("entity", name),)
        if int(cpu_limit[index]):
            expected[("switch.cpu_pct", labels)] = float(cpu[index])
        if int(memory_limit[index]):
            expected[("switch.memory_pct", labels)] = float(memory[index])
        if temperature[index] not in ("0", "65535"):
            expected[("sensor.temperature_c", labels)] = float(temperature[index])
            if temperature_limit[index] not in ("0", "65535"):
                headroom = int(temperature_limit[index]) - int(temperature[index])
                expected[("sensor.temperature_headroom_c", labels)] = float(headroom)
    transceiver = "1.3.6.1.4.1.25506.2.70.1.1.1"  # HH3C-TRANSCEIVER-INFO-MIB; 2147483647 = not available
    ports = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, diagnostic in column(values, f"{transceiver}.8").items():
        if diagnostic != "1":  # truthValue false: no diagnostics
            continue
        for metric, number, divisor in (("optic.tx_dbm", 9, 100), ("optic.rx_dbm", 12, 100),
                                        ("optic.temperature_c", 15, 1), ("optic.voltage_v", 16, 100),
                                        ("optic.bias_ma", 17, 100)):  # fmt: skip
            if (raw_value := int(values[f"{transceiver}.{number}.{index}"])) != 2147483647:
                expected[(metric, (("port", ports[index]),))] = raw_value / divisor
    return expected


def junos_expected(values: dict[str, str]) -> Expected:
    """jnxOperatingTable (words, C, %) and JUNIPER-DOM-MIB (0.01 dBm, 0.001 mA; -40.00 dBm = no light, 0 = per lane)."""
    expected: Expected = {}
    operating = "1.3.6.1.4.1.2636.3.1.13.1"
    states = {1: "unknown", 2: "running", 3: "ready", 4: "reset", 5: "full-speed", 6: "down", 7: "standby"}
    descrs = column(values, f"{operating}.5")
    for index, state in column(values, f"{operating}.6").items():
        labels = (("component", descrs[index]),)
        expected[("switch.component_state", labels)] = states[int(state)]
        expected[("switch.component_down", labels)] = 1.0 if state == "6" else 0.0
        if (temperature := int(values[f"{operating}.7.{index}"])) != 0:
            expected[("sensor.temperature_c", labels)] = float(temperature)
        if re.search("(?i)routing engine|fpc", descrs[index]):
            expected[("switch.cpu_pct", labels)] = float(values[f"{operating}.8.{index}"])
            expected[("switch.memory_pct", labels)] = float(values[f"{operating}.11.{index}"])
    dom = "1.3.6.1.4.1.2636.3.60.1.1.1.1"
    names = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, rx_text in column(values, f"{dom}.5").items():
        labels = (("port", names[index]),)
        rx, tx = int(rx_text), int(values[f"{dom}.7.{index}"])
        if rx != 0:  # 0: the module reports per lane (QSFP), not here
            expected[("optic.no_light", labels)] = 1.0 if rx == -4000 else 0.0
        if rx not in (-4000, 0):
            expected[("optic.rx_dbm", labels)] = rx / 100
            expected[("optic.rx_margin_db", labels)] = (rx - int(values[f"{dom}.10.{index}"])) / 100
        if tx not in (-4000, 0):
            expected[("optic.tx_dbm", labels)] = tx / 100
        expected[("optic.bias_ma", labels)] = int(values[f"{dom}.6.{index}"]) / 1000
        expected[("optic.temperature_c", labels)] = float(values[f"{dom}.8.{index}"])
    return expected


def cisco_expected(values: dict[str, str]) -> Expected:
    """CISCO-ENVMON states as words, CISCO-PROCESS CPU, CISCO-ENTITY-SENSOR optic Rx/Tx in dBm (ok sensors only)."""
    expected: Expected = {}
    words = {1: "normal", 2: "warning", 3: "critical", 4: "shutdown", 5: "absent", 6: "not-functioning"}
    envmon = "1.3.6.1.4.1.9.9.13.1"
    for index, descr in column(values, f"{envmon}.3.1.2").items():
        labels, state = (("sensor", descr),), int(values[f"{envmon}.3.1.6.{index}"])
        expected[("switch.temperature_state", labels)] = words[state]
        if state in (1, 2, 3, 4):
            expected[("sensor.temperature_c", labels)] = float(values[f"{envmon}.3.1.3.{index}"])
    for index, descr in column(values, f"{envmon}.4.1.2").items():
        state = int(values[f"{envmon}.4.1.3.{index}"])
        expected[("switch.fan_status", (("fan", descr),))] = words[state]
        expected[("switch.fan_fault", (("fan", descr),))] = 1.0 if state in (3, 4, 6) else 0.0
    for index, load in column(values, "1.3.6.1.4.1.9.9.109.1.1.1.1.8").items():
        expected[("switch.cpu_pct", (("cpu", index),))] = float(load)
    sensor = "1.3.6.1.4.1.9.9.91.1.1.1.1"
    for index, name in column(values, "1.3.6.1.2.1.47.1.1.1.1.7").items():
        kind, scale, precision, value, status = (int(values[f"{sensor}.{n}.{index}"]) for n in range(1, 6))
        if status != 1 or kind not in (1, 14) or value in (UNDERFLOW, OVERFLOW):
            continue
        for metric, pattern in (
            ("optic.rx_dbm", "(?i)(receive|rx) power"),
            ("optic.tx_dbm", "(?i)(transmit|tx) power"),
        ):
            if re.search(pattern, name):
                expected[(metric, (("sensor", name),))] = value * 10 ** (3 * (scale - 9) - precision)
    return expected


def vrp_expected(values: dict[str, str]) -> Expected:
    """HUAWEI-ENTITY-EXTENT-MIB: boards (enabled, with a threshold) in % and C; transceivers with a module
    (mode 2-4): Rx/Tx in 0.01 dBm when 0 or below (-4000 = no light, 0 = ambiguous), in uW when above."""
    expected: Expected = {}
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    board = "1.3.6.1.4.1.2011.5.25.31.1.1.1.1"
    for index, oper in column(values, f"{board}.2").items():
        labels = (("entity", names[index]),)
        for metric, number, limit in (("switch.cpu_pct", 5, 6), ("switch.memory_pct", 7, 8)):
            if oper == "3" and int(values[f"{board}.{limit}.{index}"]) > 0:
                expected[(metric, labels)] = float(values[f"{board}.{number}.{index}"])
        if (temperature := int(values[f"{board}.11.{index}"])) != 0:
            expected[("sensor.temperature_c", labels)] = float(temperature)
    optic = "1.3.6.1.4.1.2011.5.25.31.1.1.3.1"
    for index, mode in column(values, f"{optic}.1").items():
        if mode not in ("2", "3", "4"):
            continue
        labels = (("port", names[index]),)
        rx = int(values[f"{optic}.8.{index}"])
        expected[("optic.no_light", labels)] = 1.0 if rx == -4000 else 0.0
        for metric, number in (("optic.rx_dbm", 8), ("optic.tx_dbm", 9)):
            power = int(values[f"{optic}.{number}.{index}"])
            if power > 0:
                expected[(metric, labels)] = 10 * math.log10(power / 1000)
            elif power not in (0, -4000):
                expected[(metric, labels)] = power / 100
        expected[("optic.temperature_c", labels)] = float(values[f"{optic}.5.{index}"])
        expected[("optic.voltage_v", labels)] = int(values[f"{optic}.6.{index}"]) / 1000
        expected[("optic.bias_ma", labels)] = int(values[f"{optic}.7.{index}"]) / 1000
    return expected


EXPECTED = {
    "arista-eos": arista_expected,
    "cisco-dom": cisco_expected,
    "h3c-comware-ext": h3c_expected,
    "huawei-vrp-optics": vrp_expected,
    "junos-dom": junos_expected,
}


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_discover_picks_the_vendor_profile_and_the_ports(agent: SnmpsimAgent, name: str) -> None:
    result = await discover(spec(agent, name))
    assert result.ok, result.reason
    assert result.profiles[0] == PROFILES[name]
    assert result.interfaces_up  # the ports too: the profile extends if-mib


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_every_decoded_value_is_what_the_raw_oids_say(agent: SnmpsimAgent, name: str) -> None:
    assert_same(await decoded(agent, name), EXPECTED[name](raw(name)))


async def test_arista_optics_in_dbm_and_no_light_is_no_value(agent: SnmpsimAgent) -> None:
    """The issue's -100 W: an optic without light reads the underflow; it is no light, never a number."""
    ours = await decoded(agent, "arista-eos")
    lit, dark, faint = ((("sensor", f"DOM RX Power Sensor for Ethernet{n}"),) for n in (1, 2, 3))
    assert ours[("optic.rx_dbm", lit)] == pytest.approx(-5.9500, abs=1e-4)  # 0.2541 mW
    assert ours[("optic.tx_dbm", (("sensor", "DOM TX Power Sensor for Ethernet1"),))] == pytest.approx(-3.0, abs=1e-3)
    assert ours[("optic.no_light", dark)] == 1.0
    assert ("optic.rx_dbm", dark) not in ours
    assert ours[("optic.rx_dbm", faint)] == pytest.approx(-40.0)  # 0.1 uW is a reading, below its alarm
    assert ours[("optic.rx_margin_db", faint)] < 0 < ours[("optic.rx_margin_db", lit)]
    assert not [value for (metric, _), value in ours.items() if metric == "sensor.power_w" and value < 0]
    assert ours[("switch.psu_status", (("psu", "PowerSupply2"),))] == "disabled"
    assert ours[("sensor.temperature_headroom_c", (("sensor", "Cpu temp sensor"),))] == pytest.approx(44.8)


async def test_cisco_optics_only_what_the_sensor_measured(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "cisco-dom")
    optics = {labels[0][1]: value for (metric, labels), value in ours.items() if metric.startswith("optic.")}
    assert optics == {
        "Te1/0/1 Transmit Power Sensor": pytest.approx(-2.3),
        "Te1/0/1 Receive Power Sensor": pytest.approx(-5.1),
        "subslot 0/0 transceiver 1 Rx Power Sensor": pytest.approx(-7.6),  # typed other(1) by IOS-XE 15.5(2)S
    }  # Te1/0/2: Tx underflow and an unavailable Rx give nothing; the PSU's watts and the module's C are no optic


async def test_h3c_boards_and_transceivers(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "h3c-comware-ext")
    hot, lit, unread = (("entity", "Board 2"),), (("port", "HundredGigE1/0/49"),), (("port", "HundredGigE1/0/51"),)
    assert ours[("sensor.temperature_headroom_c", hot)] == -3  # 83 C against its own 80 C threshold
    assert ours[("switch.cpu_pct", hot)] == 96
    assert ("switch.cpu_pct", (("entity", "Slot 1"),)) not in ours  # threshold 0: not a CPU
    assert ours[("optic.rx_dbm", lit)] == pytest.approx(-10.05)
    assert ours[("optic.bias_ma", lit)] == pytest.approx(9.99)
    assert ("optic.rx_dbm", unread) not in ours  # 2147483647: not available
    assert ours[("optic.tx_dbm", unread)] == pytest.approx(-5.6)
    assert not [labels for _, labels in ours if labels == (("port", "HundredGigE1/0/50"),)]  # no diagnostics


async def test_vrp_microwatts_and_dark_optics(agent: SnmpsimAgent) -> None:
    """Older VRP firmware reports microwatts (positive), newer hundredths of dBm; neither gives a made-up value."""
    ours = await decoded(agent, "huawei-vrp-optics")
    port = {n: (("port", f"XGigabitEthernet0/0/{n}"),) for n in range(1, 6)}
    assert ours[("optic.rx_dbm", port[1])] == pytest.approx(-5.12)
    assert ours[("optic.rx_dbm", port[2])] == pytest.approx(-5.003, abs=1e-3)  # 316 uW
    assert ours[("optic.tx_dbm", port[2])] == pytest.approx(-3.002, abs=1e-3)  # 501 uW
    assert ours[("optic.no_light", port[3])] == 1.0
    assert ("optic.rx_dbm", port[3]) not in ours
    assert ("optic.rx_dbm", port[4]) not in ours  # 0: 0 dBm or no light, the agent does not say
    assert not [labels for _, labels in ours if labels == port[5]]  # an empty cage


async def test_the_generic_entity_sensor_profile_no_longer_reads_minus_100_w(agent: SnmpsimAgent) -> None:
    collector = SnmpCollector(spec(agent, "arista-eos", "entity-sensor"))
    try:
        result = await collector.poll()
    finally:
        await collector.aclose()
    assert result.failure is None, result.reason
    dark = (("sensor", "DOM RX Power Sensor for Ethernet2"), ("type", "watts"))
    assert not [s for s in result.samples if s.labels == dark and s.metric != "sensor.status"]
    assert all(s.value != -100 for s in result.samples)


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_stanza_passes_check_in_the_shipped_room(agent: SnmpsimAgent, tmp_path: Path, name: str) -> None:
    result = await discover(spec(agent, name))
    assert result.ok, result.reason
    room = tmp_path / "room"
    shutil.copytree(SHIPPED, room, symlinks=False)
    config = room / "checks.toml"
    library, _ = read_playbooks(room / "playbooks")
    stanza = checks_stanza(
        result, target_id=f"found-{name}", credentials="ups-a", known_playbooks=library.ids(), require_playbook=True
    )
    proposed = {rule["id"] for rule in stanza.get("rule", [])}
    assert {f"found-{name}-optic-no-light", f"found-{name}-switch-cpu-high"} & proposed  # the profile's own rules
    with config.open("a", encoding="utf-8") as pasted:
        pasted.write("\n" + tomli_w.dumps(stanza))
    report = validate_all(config, now=time.time())
    assert not report.problems, "\n".join(map(str, report.problems))
