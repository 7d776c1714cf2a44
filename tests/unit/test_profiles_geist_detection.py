"""Which Geist profile `discover` picks (issue 19): GEIST-MIB-V3 units (21239.2) get vertiv-geist-v3, Watchdog 100
generation units (GEIST-V4-MIB, 21239.5.1) vertiv-geist-v4, V5 units (21239.5.2) keep vertiv-geist-v5.

`discover` runs over the in-memory walk agent of fake_snmp_agent (a fake; the real
agent, snmpsim, is in tests/integration/test_profiles_geist_mib.py).
"""

from __future__ import annotations

import pytest
from fake_snmp_agent import profiles_found, walk

NET_SNMP_LINUX = "1.3.6.1.4.1.8072.3.2.10"
GEIST = (1, 3, 6, 1, 4, 1, 21239)


@pytest.mark.parametrize("recording", ["vertiv-geist-v3", "vertiv-geist-v3-rcm"])
async def test_a_v3_unit_gets_vertiv_geist_v3(monkeypatch: pytest.MonkeyPatch, recording: str) -> None:
    profiles = await profiles_found(monkeypatch, walk(recording))
    assert profiles[0] == "vertiv-geist-v3"
    assert "vertiv-geist-v5" not in profiles


@pytest.mark.parametrize("recording", ["vertiv-geist-v3", "vertiv-geist-v3-rcm"])
async def test_its_tables_alone_find_it(monkeypatch: pytest.MonkeyPatch, recording: str) -> None:
    """Behind a gateway with a generic sysObjectID, the GEIST-MIB-V3 tables still name the profile."""
    assert (await profiles_found(monkeypatch, walk(recording, NET_SNMP_LINUX)))[0] == "vertiv-geist-v3"


async def test_the_v3_sysobjectid_alone_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreNMS's geist-pdu recording holds only sysDescr RCM-O and sysObjectID 21239.2."""
    values = {oid: value for oid, value in walk("vertiv-geist-v3-rcm").items() if oid[:7] != (1, 3, 6, 1, 4, 1, 21239)}
    assert (await profiles_found(monkeypatch, values))[0] == "vertiv-geist-v3"


@pytest.mark.parametrize("recording", ["vertiv-geist-v5", "vertiv-geist-v5-celsius"])
async def test_a_v5_unit_keeps_v5(monkeypatch: pytest.MonkeyPatch, recording: str) -> None:
    profiles = await profiles_found(monkeypatch, walk(recording))
    assert profiles[0] == "vertiv-geist-v5"
    assert not {"vertiv-geist-v3", "vertiv-geist-v4"} & set(profiles)


@pytest.mark.parametrize("recording", ["vertiv-geist-v4", "vertiv-geist-v4-celsius"])
async def test_a_watchdog_100_gets_vertiv_geist_v4(monkeypatch: pytest.MonkeyPatch, recording: str) -> None:
    profiles = await profiles_found(monkeypatch, walk(recording))
    assert profiles[0] == "vertiv-geist-v4"
    assert not {"vertiv-geist-v3", "vertiv-geist-v5"} & set(profiles)
    assert (await profiles_found(monkeypatch, walk(recording, NET_SNMP_LINUX)))[0] == "vertiv-geist-v4"


async def test_the_v4_sysobjectid_alone_finds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreNMS's geist-watchdog recording holds only sysDescr "Watchdog 100" and sysObjectID 21239.5.1."""
    values = {oid: value for oid, value in walk("vertiv-geist-v4").items() if oid[:7] != GEIST}
    assert (await profiles_found(monkeypatch, values))[0] == "vertiv-geist-v4"


async def test_a_v5_unit_that_also_answers_v3_tables_keeps_v5(monkeypatch: pytest.MonkeyPatch) -> None:
    values = walk("vertiv-geist-v3") | walk("vertiv-geist-v5-celsius")
    assert (await profiles_found(monkeypatch, values))[0] == "vertiv-geist-v5"
