"""What `discover` picks for the switch recordings written from the MIBs (tests/fixtures/snmprec-mib/): each
vendor's own profile first, ahead of the generic ones it would otherwise get (an Arista got entity-sensor,
sensors and no ports), and the IF-MIB ports of each. The agent is a fake transport answering GET, GETNEXT and
GETBULK from the recording (fake_snmp_agent), so this shows detection alone; the integration test serves the
same recordings with snmpsim."""

from __future__ import annotations

import pytest
from fake_snmp_agent import SYS_OBJECT_ID, discovered_among_all, walk

from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue


def discovered(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    result = discovered_among_all(walk(name))
    return result.profiles, result.interfaces_up


@pytest.mark.parametrize(
    ("name", "profile", "up"),
    [
        ("arista-eos", "arista", ("Ethernet1", "Ethernet3", "Management1")),
        ("cisco-dom", "cisco-envmon", ("Te1/0/1",)),
        ("h3c-comware-ext", "h3c-comware", ("HundredGigE1/0/49",)),
        ("huawei-vrp-optics", "huawei-vrp", ("XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2")),
        ("junos-dom", "juniper", ("fxp0", "xe-0/0/0", "xe-0/0/2", "et-0/0/48")),
    ],
)
def test_the_vendor_profile_comes_first_and_the_ports_are_found(name: str, profile: str, up: tuple[str, ...]) -> None:
    profiles, interfaces = discovered(name)
    assert profiles[0] == profile
    assert "if-mib" in profiles  # what the vendor profile extends
    assert interfaces == up


def test_an_arista_gets_ports_and_sensors_in_one_profile() -> None:
    """Both in the profile discover proposes: its stanza names one profile per target."""
    profiles, _ = discovered("arista-eos")
    assert profiles[:1] == ("arista",)
    assert "entity-sensor" in profiles
    names = set(load_profile("arista").metric_names)
    assert {"if.oper_status", "sensor.temperature_c", "optic.rx_dbm", "switch.psu_fault"} <= names


def test_detection_needs_the_vendor() -> None:
    """A plain ENTITY-SENSOR device is not taken for an Arista."""
    values = walk("arista-eos")
    values[SYS_OBJECT_ID] = SnmpValue(Kind.OID, "1.3.6.1.4.1.99999.1")
    result = discovered_among_all(values)
    assert result.profiles[0] == "entity-sensor"
    assert "arista" not in result.profiles
