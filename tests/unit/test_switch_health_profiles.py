"""Switch health profiles against hand-made walks (tests/unit/snmprec/) built from each MIB's OIDs, for the
parts no recorded device answers: states as words, divisors, and an optic with no light reported as such,
never as -100 dBm (a value a threshold would read as a real, very low, reading)."""

from __future__ import annotations

from pathlib import Path

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched, Index
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profile_model import Profile
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue

WALKS = Path(__file__).parent / "snmprec"
KINDS = {"2": Kind.INTEGER, "4": Kind.OCTETS, "6": Kind.OID, "66": Kind.GAUGE32}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float | str]


def walk(name: str) -> dict[Oid, SnmpValue]:
    values = {}
    for line in (WALKS / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        kind = KINDS[tag]
        payload: int | bytes | str = text.encode() if kind == Kind.OCTETS else text if kind == Kind.OID else int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


def fetched(profile: Profile, values: dict[Oid, SnmpValue]) -> Fetched:
    """What a poll fetches from an agent serving `values`: the scalars by GET, each column by a walk."""
    scalars = {name: values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT)) for name, oid in profile.scalars.items()}
    tables: dict[str, dict[Index, dict[str, SnmpValue]]] = {}
    for table in profile.tables:
        rows: dict[Index, dict[str, SnmpValue]] = {}
        for column, prefix in table.columns.items():
            for oid, value in values.items():
                if oid[: len(prefix)] == prefix and len(oid) > len(prefix):
                    rows.setdefault(oid[len(prefix) :], {})[column] = value
        tables[table.name] = rows
    return Fetched(scalars, tables)


def decoded(walk_name: str, profile_name: str) -> Samples:
    profile = load_profile(profile_name)
    result = decode(profile, fetched(profile, walk(walk_name)), target="t", at=0.0)
    assert not result.problem, result.problem
    return {(sample.metric, sample.labels): sample.value for sample in result.samples}


def test_ruijie_health() -> None:
    ours = decoded("ruijie-health", "ruijie")
    assert ours[("switch.fan_status", (("fan", "1.1"),))] == "normal"
    assert ours[("switch.fan_status", (("fan", "1.2"),))] == "abnormal"
    assert ours[("switch.fan_fault", (("fan", "1.2"),))] == 1.0
    assert ours[("sensor.fan_rpm", (("fan", "1.1"),))] == 6120
    assert ("sensor.fan_rpm", (("fan", "1.2"),)) not in ours  # a failed fan's 0 rpm is its status's job
    assert ours[("switch.psu_status", (("psu", "1.2"),))] == "no-power"
    assert ours[("switch.psu_fault", (("psu", "1.2"),))] == 1.0
    assert ours[("sensor.voltage_v", (("psu", "1.1"),))] == 220
    assert ours[("sensor.power_w", (("psu", "1.1"),))] == 87
    assert ours[("sensor.temperature_c", (("sensor", "1.1"),))] == 41
    assert ours[("switch.cpu_pct", (("cpu", "1"),))] == 7
    assert ours[("if.oper_status", (("ifname", "Te0/1"),))] == "up"  # the ports, through if-mib


def test_ruijie_optic_without_light_is_no_light_not_minus_100_dbm() -> None:
    ours = decoded("ruijie-health", "ruijie")
    assert ours[("optic.rx_dbm", (("port", "1"),))] == -3.12
    assert ours[("optic.tx_dbm", (("port", "1"),))] == -2.45
    assert ours[("optic.no_light", (("port", "1"),))] == 0.0
    assert ours[("optic.no_light", (("port", "2"),))] == 1.0
    assert ("optic.rx_dbm", (("port", "2"),)) not in ours
    assert ours[("optic.tx_dbm", (("port", "2"),))] == -2.41  # still sending
    assert ours[("optic.temperature_c", (("port", "1"),))] == 35
    assert ("optic.temperature_c", (("port", "2"),)) not in ours


def test_huawei_vrp_no_light_and_empty_cage() -> None:
    """Rx -4000 (-40 dBm) is no light; a cage without a module (mode 1, notSupported) reports nothing."""
    ours = decoded("huawei-vrp-no-light", "huawei-vrp")
    dark, lit, empty = ((("port", f"XGigabitEthernet0/0/{n}"),) for n in (1, 2, 3))
    assert ours[("optic.no_light", dark)] == 1.0
    assert ("optic.rx_dbm", dark) not in ours
    assert ours[("optic.tx_dbm", dark)] == -2.21
    assert ours[("optic.no_light", lit)] == 0.0
    assert ours[("optic.rx_dbm", lit)] == -5.12
    assert not [metric for metric, labels in ours if labels == empty]
    assert ours[("switch.cpu_pct", (("entity", "MPU Board 0"),))] == 31


def test_cisco_envmon_states_and_readings() -> None:
    ours = decoded("cisco-envmon", "cisco-envmon")
    inlet, outlet = (("sensor", "Switch 1 - Inlet Temp Sensor"),), (("sensor", "Switch 1 - Outlet Temp Sensor"),)
    assert ours[("sensor.temperature_c", inlet)] == 27
    assert ("sensor.temperature_c", outlet) not in ours  # notPresent: its 0 is no reading
    assert ours[("switch.temperature_state", outlet)] == "absent"
    assert ours[("switch.fan_status", (("fan", "Switch 1 - FAN - T1 2"),))] == "not-functioning"
    assert ours[("switch.fan_fault", (("fan", "Switch 1 - FAN - T1 2"),))] == 1.0
    assert ours[("switch.fan_fault", (("fan", "Switch 1 - FAN - T1 1"),))] == 0.0
    assert ours[("switch.psu_status", (("psu", "Sw1, PS2 Critical, RPS NotExist"),))] == "critical"
    assert ours[("switch.psu_fault", (("psu", "Sw1, PS1 Normal, RPS NotExist"),))] == 0.0
    assert ours[("switch.cpu_pct", (("cpu", "1"),))] == 12


def test_juniper_components() -> None:
    ours = decoded("juniper-operating", "juniper")
    names = ("Routing Engine 0", "Power Supply 1 @ 0/1/*", "FAN 0 @ 0/0/0")
    engine, psu, fan = ((("component", name),) for name in names)
    assert ours[("switch.component_state", psu)] == "down"
    assert ours[("switch.component_down", psu)] == 1.0
    assert ours[("switch.component_down", engine)] == 0.0
    assert ours[("sensor.temperature_c", engine)] == 38
    assert ("sensor.temperature_c", fan) not in ours  # 0 C: not measured
    assert ours[("switch.cpu_pct", engine)] == 17
    assert ours[("switch.memory_pct", engine)] == 61
    assert ours[("switch.cpu_pct", (("component", "FPC: EX4300-48T @ 0/*/*"),))] == 21
    assert ("switch.cpu_pct", fan) not in ours


def test_h3c_fans_and_power_supplies() -> None:
    ours = decoded("h3c-devm", "h3c-comware")
    assert ours[("switch.fan_status", (("fan", "2"),))] == "inactive"
    assert ours[("switch.fan_fault", (("fan", "2"),))] == 1.0
    assert ours[("switch.fan_fault", (("fan", "1"),))] == 0.0
    assert ours[("switch.psu_status", (("psu", "2"),))] == "absent"
    assert ours[("switch.psu_fault", (("psu", "2"),))] == 0.0  # not installed is no fault
