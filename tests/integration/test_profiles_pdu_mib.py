"""PDU profiles against recordings written from their MIBs (tests/fixtures/snmprec-mib/), served by snmpsim.

No device of these families was ever recorded for the repository, so each recording is written from the
MIB text (see the folder's README). Every sample a poll decodes is listed here with the raw OID it comes
from: its value is the raw integer over the MIB's scale, its word the MIB's enumeration; a sentinel
("not available") gives no sample, and nothing is decoded that is not listed. `discover`'s stanza for each
recording must pass `dutyroom check` pasted into the shipped room.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import ShippedRoom, discover_walk, raw_typed, serve_walks
from device_walks import decoded as decoded_with
from pdu_mib_readings import (
    GEIST,
    GEIST_CELSIUS,
    RARITAN,
    RARITAN_DIGITS,
    SENTRY3,
    SENTRY3_FAHRENHEIT,
    SENTRY4,
    From,
    Labels,
)

from dutyroom.model import MetricValue
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

PDU_RECORDINGS = {
    "servertech-sentry3": "servertech-sentry3",
    "servertech-sentry3-fahrenheit": "servertech-sentry3",
    "servertech-sentry4": "servertech-sentry4",
    "vertiv-geist-v5": "vertiv-geist-v5",
    "vertiv-geist-v5-celsius": "vertiv-geist-v5",
    "raritan-pdu2-outlets": "raritan-pdu2",
}


@pytest.fixture(scope="module")
def pdu_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """snmpsim serving this task's recordings (community = file stem)."""
    yield from serve_walks(tmp_path_factory, PDU_RECORDINGS)


async def decoded(agent: SnmpsimAgent, recording: str) -> dict[tuple[str, Labels], MetricValue]:
    return await decoded_with(agent, recording, PDU_RECORDINGS[recording])


def assert_every_sample(recording: str, ours: dict[tuple[str, Labels], MetricValue], expected: list[From]) -> None:
    raw = raw_typed(recording)
    for item in expected:
        assert raw[item.oid] == item.raw, item
        key = (item.metric, item.labels)
        if item.value is None:
            assert key not in ours, item
        elif isinstance(item.value, str):
            assert ours[key] == item.value, item
        else:
            assert ours[key] == pytest.approx(item.value), item
    assert set(ours) == {(item.metric, item.labels) for item in expected if item.value is not None}


def test_raritan_digits_are_the_mibs() -> None:
    """The outlet and protector readings above are over 10 ** the digits the recording gives for them."""
    raw = raw_typed("raritan-pdu2-outlets")
    assert {name: raw[oid] for name, (oid, _) in RARITAN_DIGITS.items()} == {
        name: digits for name, (_, digits) in RARITAN_DIGITS.items()
    }


@pytest.mark.parametrize(
    ("recording", "expected"),
    [
        ("servertech-sentry3", SENTRY3),
        ("servertech-sentry3-fahrenheit", SENTRY3_FAHRENHEIT),
        ("servertech-sentry4", SENTRY4),
        ("vertiv-geist-v5", GEIST),
        ("vertiv-geist-v5-celsius", GEIST_CELSIUS),
        ("raritan-pdu2-outlets", RARITAN),
    ],
)
async def test_every_decoded_value_comes_from_its_raw_oid(
    pdu_agent: SnmpsimAgent, recording: str, expected: list[From]
) -> None:
    assert_every_sample(recording, await decoded(pdu_agent, recording), expected)


@pytest.mark.parametrize("recording", sorted(PDU_RECORDINGS))
async def test_discover_picks_the_profile(pdu_agent: SnmpsimAgent, recording: str) -> None:
    result = await discover_walk(pdu_agent, recording)
    assert result.profiles[:1] == (PDU_RECORDINGS[recording],)


@pytest.mark.parametrize("recording", sorted(PDU_RECORDINGS))
async def test_the_stanza_passes_check_in_the_shipped_room(
    pdu_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(pdu_agent, recording)
    assert stanza["target"][0]["profile"] == PDU_RECORDINGS[recording]
    room.assert_accepts(stanza)
