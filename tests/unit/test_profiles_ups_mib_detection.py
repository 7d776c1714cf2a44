"""Which profile `discover` picks for the UPS walks written from vendor MIBs (tests/fixtures/snmprec-mib/).

`discover` runs as it does for a real device, over an in-memory agent that answers GET and GETNEXT from a
walk (tests/unit/fake_snmp_agent.py; the real agent, snmpsim, is in tests/integration/test_profiles_ups_mib.py).
"""

from __future__ import annotations

import pytest
from fake_snmp_agent import discovered, walk, walk_lines, walk_values


@pytest.mark.parametrize(
    ("recording", "first", "also"),
    [
        ("huawei-ups5000", "huawei-ups", {"ups-mib"}),  # the card speaks UPS-MIB too: the vendor MIB wins
        ("delta-ups", "delta-ups", set()),
        ("delta-ups-3phase", "delta-ups", set()),
        ("apc-symmetra", "apc-symmetra", {"apc-ups"}),  # a Symmetra is an APC UPS with modules
    ],
)
async def test_discover_picks_the_vendor_profile(
    recording: str, first: str, also: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profiles = (await discovered(monkeypatch, walk(recording))).profiles
    assert profiles[0] == first
    assert also <= set(profiles)


async def test_a_delta_sysobjectid_without_the_delta_objects_stays_with_ups_mib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OEM card with Delta's sysObjectID that answers only dupsIdent and UPS-MIB (as LibreNMS's deltaups
    recording does) must not get delta-ups, whose required dupsOutputSource it would never answer."""
    values = walk_values(
        [
            "1.3.6.1.2.1.1.1.0|4|UPS SNMP Agent",
            "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2254.2.4",
            "1.3.6.1.2.1.33.1.2.1.0|2|2",
            "1.3.6.1.2.1.33.1.4.1.0|2|3",
            "1.3.6.1.4.1.2254.2.4.1.1.0|4|OEM",
        ]
    )
    profiles = (await discovered(monkeypatch, values)).profiles
    assert profiles[0] == "ups-mib"
    assert "delta-ups" not in profiles


async def test_a_single_box_smart_ups_is_not_a_symmetra(monkeypatch: pytest.MonkeyPatch) -> None:
    values = walk_values(
        [line for line in walk_lines("apc-symmetra") if not line.startswith("1.3.6.1.4.1.318.1.1.1.13.")]
    )
    profiles = (await discovered(monkeypatch, values)).profiles
    assert profiles[0] == "apc-ups"
    assert "apc-symmetra" not in profiles
