"""What `discover` picks for the PDU recordings written from their MIBs (tests/fixtures/snmprec-mib/), issue 19.

`discover` runs as it does against a device, its transport swapped for one that answers GET, GETNEXT and
GETBULK from the recording in memory: the profile must be chosen by the recording's sysObjectID and OIDs,
and by the OIDs alone when a unit reports a generic sysObjectID (Sentry3 firmware behind a gateway, a Geist
unit with a net-snmp agent).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path

import pytest

import collectors.discover as discover_module
from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response
from collectors.snmp.values import Kind, SnmpValue

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
KINDS = {"2": Kind.INTEGER, "4": Kind.OCTETS, "6": Kind.OID, "65": Kind.COUNTER32, "66": Kind.GAUGE32}
KINDS["67"] = Kind.TIMETICKS


def recorded(name: str, sys_object_id: str = "") -> dict[Oid, SnmpValue]:
    """The recording's objects; `sys_object_id` replaces its sysObjectID (to detect by OIDs alone)."""
    values = {}
    for line in (RECORDINGS / f"{name}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        if oid == SYS_OBJECT_ID and sys_object_id:
            text = sys_object_id
        kind = KINDS[tag]
        payload: int | bytes | str = text.encode() if kind == Kind.OCTETS else text if kind == Kind.OID else int(text)
        values[parse_oid(oid)] = SnmpValue(kind, payload)
    return values


class RecordingTransport:
    """Answers from a recording in memory, as an agent would (one attempt, no errors)."""

    def __init__(self, values: dict[Oid, SnmpValue]) -> None:
        self._values = values
        self._order = sorted(values)

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        if kind == PduKind.GET:
            return Response(0, 0, tuple((oid, self._values.get(oid, SnmpValue(Kind.NO_SUCH_OBJECT))) for oid in oids))
        repetitions = max(1, max_repetitions) if kind == PduKind.GETBULK else 1
        varbinds = []
        for oid in oids:
            position = bisect.bisect_right(self._order, oid)
            for step in range(repetitions):
                if position + step >= len(self._order):
                    varbinds.append((oid, SnmpValue(Kind.END_OF_MIB_VIEW)))
                    break
                following = self._order[position + step]
                varbinds.append((following, self._values[following]))
        return Response(0, 0, tuple(varbinds))

    async def aclose(self) -> None:
        return None


async def discovered(monkeypatch: pytest.MonkeyPatch, values: dict[Oid, SnmpValue]) -> tuple[str, ...]:
    monkeypatch.setattr(discover_module, "pysnmp_transport", lambda spec, runtime: RecordingTransport(values))
    result = await discover_module.discover(SnmpTargetSpec("pdu", "127.0.0.1", 161, community="public"))
    assert result.ok, result.reason
    return result.profiles


@pytest.mark.parametrize(
    ("recording", "profile"),
    [
        ("servertech-sentry3", "servertech-sentry3"),
        ("servertech-sentry3-fahrenheit", "servertech-sentry3"),
        ("servertech-sentry4", "servertech-sentry4"),
        ("vertiv-geist-v5", "vertiv-geist-v5"),
        ("vertiv-geist-v5-celsius", "vertiv-geist-v5"),
        ("raritan-pdu2-outlets", "raritan-pdu2"),
    ],
)
async def test_discover_picks_the_profile(monkeypatch: pytest.MonkeyPatch, recording: str, profile: str) -> None:
    assert (await discovered(monkeypatch, recorded(recording)))[:1] == (profile,)


@pytest.mark.parametrize(
    ("recording", "profile"),
    [
        ("servertech-sentry3", "servertech-sentry3"),
        ("servertech-sentry4", "servertech-sentry4"),
        ("vertiv-geist-v5-celsius", "vertiv-geist-v5"),
    ],
)
async def test_the_profile_is_found_by_its_oids_alone(
    monkeypatch: pytest.MonkeyPatch, recording: str, profile: str
) -> None:
    """A generic sysObjectID (net-snmp's Linux agent): the MIB's objects still name the profile."""
    values = recorded(recording, sys_object_id="1.3.6.1.4.1.8072.3.2.10")
    assert (await discovered(monkeypatch, values))[:1] == (profile,)


@pytest.mark.parametrize(
    ("recording", "other"), [("servertech-sentry3", "servertech-sentry4"), ("servertech-sentry4", "servertech-sentry3")]
)
async def test_sentry3_and_sentry4_are_told_apart(monkeypatch: pytest.MonkeyPatch, recording: str, other: str) -> None:
    """Both MIBs live under enterprise 1718: 1718.3 is Sentry3, 1718.4 Sentry4, each detected by its own branch."""
    assert other not in await discovered(monkeypatch, recorded(recording))
