"""What `discover` picks for the walks written from the MIBs for issue 19's alarm words (tests/fixtures/snmprec-mib/):
a Junos QFX with 100G lanes, an H3C with transceiver errors and a Cisco with sensor thresholds each get their
vendor's profile (which now reads the alarm flags) ahead of the generic ones, with their ports; a Rittal LCP with
its water side and Stulz units with their states get theirs. BITS values are in the walks as hex (`4x`), which
the switch walks' reader does not know, so this reader adds it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from test_profiles_switch_detect import KINDS, RecordingTransport

from collectors.discover import _discover
from collectors.snmp.client import SnmpClient
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profiles import available_profile_names, load_profile
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.values import Kind, SnmpValue

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"


def recording(name: str) -> dict[Oid, SnmpValue]:
    values = {}
    for line in (RECORDINGS / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        if tag == "4x":
            values[parse_oid(oid)] = SnmpValue(Kind.OCTETS, bytes.fromhex(text))
            continue
        kind = KINDS[tag]
        payload = text.encode() if kind == Kind.OCTETS else text if kind == Kind.OID else int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


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
    client = SnmpClient(
        RecordingTransport(recording(name)), version="2c", timeout_s=1.0, retries=0, semaphore=asyncio.Semaphore(1)
    )
    spec = SnmpTargetSpec(name, "127.0.0.1", 161, community=name, timeout_s=1.0, retries=0, interval_s=30.0)
    result = asyncio.run(_discover(client, spec, [load_profile(each) for each in available_profile_names()]))
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
    client = SnmpClient(
        RecordingTransport(recording(name)), version="2c", timeout_s=1.0, retries=0, semaphore=asyncio.Semaphore(1)
    )
    spec = SnmpTargetSpec(name, "127.0.0.1", 161, community=name, timeout_s=1.0, retries=0, interval_s=30.0)
    result = asyncio.run(_discover(client, spec, [load_profile(each) for each in available_profile_names()]))
    assert result.profiles[0] == profile
