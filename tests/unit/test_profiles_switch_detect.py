"""What `discover` picks for the switch recordings written from the MIBs (tests/fixtures/snmprec-mib/): each
vendor's own profile first, ahead of the generic ones it would otherwise get (an Arista got entity-sensor,
sensors and no ports), and the IF-MIB ports of each. The agent is a fake transport answering GET, GETNEXT and
GETBULK from the recording, so this shows detection alone; the integration test serves the same recordings
with snmpsim."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Sequence
from pathlib import Path

import pytest

from collectors.discover import _discover
from collectors.snmp.client import SnmpClient
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profiles import available_profile_names, load_profile
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response
from collectors.snmp.values import Kind, SnmpValue

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
KINDS = {"2": Kind.INTEGER, "4": Kind.OCTETS, "6": Kind.OID, "65": Kind.COUNTER32, "66": Kind.GAUGE32,
         "67": Kind.TIMETICKS, "70": Kind.COUNTER64}  # fmt: skip


def recording(name: str) -> dict[Oid, SnmpValue]:
    values = {}
    for line in (RECORDINGS / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        kind = KINDS[tag]
        payload = text.encode() if kind == Kind.OCTETS else text if kind == Kind.OID else int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


class RecordingTransport:
    """An agent that answers from one recording, as snmpsim would (no errors, endOfMibView at the end)."""

    def __init__(self, values: dict[Oid, SnmpValue]) -> None:
        self.values = values
        self.names = sorted(values)

    def _next(self, oid: Oid) -> tuple[Oid, SnmpValue]:
        position = bisect.bisect_right(self.names, oid)
        if position == len(self.names):
            return oid, SnmpValue(Kind.END_OF_MIB_VIEW)
        return self.names[position], self.values[self.names[position]]

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        if kind == PduKind.GET:
            return Response(0, 0, tuple((oid, self.values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT))) for oid in oids))
        cursors, varbinds = list(oids), []
        for _repetition in range(max(1, max_repetitions) if kind == PduKind.GETBULK else 1):
            for position, cursor in enumerate(cursors):
                name, value = self._next(cursor)
                varbinds.append((name, value))
                cursors[position] = name
        return Response(0, 0, tuple(varbinds))

    async def aclose(self) -> None:
        return None


def discovered(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    client = SnmpClient(
        RecordingTransport(recording(name)), version="2c", timeout_s=1.0, retries=0, semaphore=asyncio.Semaphore(1)
    )
    spec = SnmpTargetSpec(name, "127.0.0.1", 161, community=name, timeout_s=1.0, retries=0, interval_s=30.0)
    profiles = [load_profile(profile) for profile in available_profile_names()]
    result = asyncio.run(_discover(client, spec, profiles))
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
    values = recording("arista-eos")
    values[parse_oid("1.3.6.1.2.1.1.2.0")] = SnmpValue(Kind.OID, "1.3.6.1.4.1.99999.1")
    client = SnmpClient(RecordingTransport(values), version="2c", timeout_s=1.0, retries=0,
                        semaphore=asyncio.Semaphore(1))  # fmt: skip
    spec = SnmpTargetSpec("x", "127.0.0.1", 161, community="x", timeout_s=1.0, retries=0, interval_s=30.0)
    result = asyncio.run(_discover(client, spec, [load_profile(name) for name in available_profile_names()]))
    assert result.profiles[0] == "entity-sensor"
    assert "arista" not in result.profiles
