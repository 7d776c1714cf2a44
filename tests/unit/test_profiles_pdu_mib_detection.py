"""What `discover` picks for the PDU recordings written from their MIBs (tests/fixtures/snmprec-mib/), issue 19.

`discover` runs as it does against a device, its transport swapped for one that answers GET, GETNEXT and
GETBULK from the recording in memory (fake_snmp_agent): the profile must be chosen by the recording's
sysObjectID and OIDs, and by the OIDs alone when a unit reports a generic sysObjectID (Sentry3 firmware
behind a gateway, a Geist unit with a net-snmp agent).
"""

from __future__ import annotations

import pytest
from fake_snmp_agent import discovered, walk


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
    assert (await discovered(monkeypatch, walk(recording))).profiles[:1] == (profile,)


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
    values = walk(recording, sys_object_id="1.3.6.1.4.1.8072.3.2.10")
    assert (await discovered(monkeypatch, values)).profiles[:1] == (profile,)


@pytest.mark.parametrize(
    ("recording", "other"), [("servertech-sentry3", "servertech-sentry4"), ("servertech-sentry4", "servertech-sentry3")]
)
async def test_sentry3_and_sentry4_are_told_apart(monkeypatch: pytest.MonkeyPatch, recording: str, other: str) -> None:
    """Both MIBs live under enterprise 1718: 1718.3 is Sentry3, 1718.4 Sentry4, each detected by its own branch."""
    assert other not in (await discovered(monkeypatch, walk(recording))).profiles
