"""What `discover` picks for the walks written from the MIBs for issue 19's alarm words (tests/fixtures/snmprec-mib/):
a Junos QFX with 100G lanes, an H3C with transceiver errors and a Cisco with sensor thresholds each get their
vendor's profile (which now reads the alarm flags) ahead of the generic ones, with their ports; a Rittal LCP with
its water side and Stulz units with their states get theirs. BITS values are in the walks as hex (`4x`)."""

from __future__ import annotations

import pytest
from fake_snmp_agent import discovered_among_all, walk

from collectors.snmp.profiles import load_profile


@pytest.mark.parametrize(
    ("name", "profile", "up"),
    [
        ("junos-dom-lanes", "juniper", ("xe-0/0/0", "et-0/0/48")),
        ("h3c-transceiver-errors", "h3c-comware", ("HundredGigE1/0/49",)),
        ("cisco-dom-thresholds", "cisco-envmon", ("Te1/0/1",)),
        ("huawei-vrp-alarms", "huawei-vrp", ("XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2")),
    ],
)
def test_the_vendor_profile_comes_first_with_its_ports(name: str, profile: str, up: tuple[str, ...]) -> None:
    result = discovered_among_all(walk(name))
    assert result.profiles[0] == profile
    assert "if-mib" in result.profiles
    assert result.interfaces_up == up


@pytest.mark.parametrize(
    ("profile", "metrics"),
    [
        ("juniper", {"optic.alarms", "optic.warnings", "optic.rx_dbm", "optic.no_light"}),
        ("h3c-comware", {"optic.alarms"}),
        ("cisco-envmon", {"optic.threshold"}),
        ("huawei-vrp", {"optic.alarms"}),
    ],
)
def test_the_profiles_name_the_alarm_metrics(profile: str, metrics: set[str]) -> None:
    assert metrics <= set(load_profile(profile).metric_names)


@pytest.mark.parametrize(
    ("name", "profile"), [("rittal-lcp-water", "rittal-cmc3"), ("stulz-wib8000-states", "stulz-wib8000")]
)
def test_the_cooling_walks_get_their_profile(name: str, profile: str) -> None:
    result = discovered_among_all(walk(name))
    assert result.profiles[0] == profile
