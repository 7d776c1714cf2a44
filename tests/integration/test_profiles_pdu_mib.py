"""PDU profiles against recordings written from their MIBs (tests/fixtures/snmprec-mib/), served by snmpsim.

No device of these families was ever recorded for the repository, so each recording is written from the
MIB text (see the folder's README). Every sample a poll decodes is listed here with the raw OID it comes
from: its value is the raw integer over the MIB's scale, its word the MIB's enumeration; a sentinel
("not available") gives no sample, and nothing is decoded that is not listed. `discover`'s stanza for each
recording must pass `dutyroom check` pasted into the shipped room.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
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

from collectors.discover import checks_stanza, discover
from collectors.snmp.collector import SnmpCollector
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.playbooks.library import read_playbooks
from tui.cli.check import validate_all
from tui.demo.snmpsim_agent import SnmpsimAgent, start_snmpsim

pytestmark = pytest.mark.integration

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "snmprec-mib"
SHIPPED = Path(__file__).resolve().parents[2] / "tui" / "demo" / "shipped_room"
PDU_RECORDINGS = {
    "servertech-sentry3": "servertech-sentry3",
    "servertech-sentry3-fahrenheit": "servertech-sentry3",
    "servertech-sentry4": "servertech-sentry4",
    "vertiv-geist-v5": "vertiv-geist-v5",
    "vertiv-geist-v5-celsius": "vertiv-geist-v5",
    "raritan-pdu2-outlets": "raritan-pdu2",
}
NUMERIC_TAGS = {"2", "65", "66", "67"}  # snmprec: Integer32, Counter32, Gauge32, TimeTicks


@pytest.fixture(scope="module")
def pdu_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """snmpsim serving this task's recordings (community = file stem)."""
    pytest.importorskip("snmpsim")
    communities = {name: name for name in PDU_RECORDINGS}
    agent = asyncio.run(start_snmpsim(RECORDINGS, tmp_path_factory.mktemp("snmpsim-pdu"), communities))
    try:
        yield agent
    finally:
        agent.stop()


def raw_values(recording: str) -> dict[str, int | str]:
    values: dict[str, int | str] = {}
    for line in (RECORDINGS / f"{recording}.snmprec").read_text().splitlines():
        oid, tag, text = line.split("|", 2)
        values[oid] = int(text) if tag in NUMERIC_TAGS else text
    return values


def target(agent: SnmpsimAgent, recording: str, profile: str = "") -> SnmpTargetSpec:
    options = {"profile": load_profile(profile)} if profile else {}
    return SnmpTargetSpec(
        recording, agent.host, agent.port, community=recording, timeout_s=3.0, retries=1, interval_s=30.0, **options
    )


async def decoded(agent: SnmpsimAgent, recording: str) -> dict[tuple[str, Labels], float | str]:
    collector = SnmpCollector(target(agent, recording, PDU_RECORDINGS[recording]))
    try:
        result = await collector.poll()
    finally:
        await collector.aclose()
    assert result.ok, result.reason
    return {(sample.metric, sample.labels): sample.value for sample in result.samples}


def assert_every_sample(recording: str, ours: dict[tuple[str, Labels], float | str], expected: list[From]) -> None:
    raw = raw_values(recording)
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
    raw = raw_values("raritan-pdu2-outlets")
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
    result = await discover(target(pdu_agent, recording))
    assert result.ok, result.reason
    assert result.profiles[:1] == (PDU_RECORDINGS[recording],)


@pytest.mark.parametrize("recording", sorted(PDU_RECORDINGS))
async def test_the_stanza_passes_check_in_the_shipped_room(
    pdu_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    result = await discover(target(pdu_agent, recording))
    assert result.ok, result.reason
    room = tmp_path / "room"
    shutil.copytree(SHIPPED, room, symlinks=False)
    config = room / "checks.toml"
    library, _ = read_playbooks(room / "playbooks")
    stanza = checks_stanza(
        result,
        target_id="found-" + re.sub(r"[^a-z0-9-]", "-", recording),
        credentials="ups-a",
        known_playbooks=library.ids(),
        require_playbook=True,
    )
    assert stanza["target"][0]["profile"] == PDU_RECORDINGS[recording]
    with config.open("a", encoding="utf-8") as pasted:
        pasted.write("\n" + tomli_w.dumps(stanza))
    report = validate_all(config, now=time.time())
    assert not report.problems, "\n".join(map(str, report.problems))
