"""`discover` on every recording writes a stanza that `dutyroom check` accepts pasted into the shipped room.

The shipped checks.toml requires a playbook on every rule, so this also shows that the rules a profile
proposes name playbooks the room has (or are left out), and that a device no profile knows still gets
a valid target.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import tomli_w
from snmp_agents import SNMPREC_DIR

from collectors.discover import checks_stanza, discover
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.playbooks.library import read_playbooks
from tui.cli.check import validate_all
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

SHIPPED = Path(__file__).resolve().parents[2] / "tui" / "demo" / "shipped_room"
RECORDINGS = sorted(path.stem for path in SNMPREC_DIR.glob("*.snmprec"))


def shipped_copy(tmp_path: Path) -> Path:
    room = tmp_path / "room"
    shutil.copytree(SHIPPED, room, symlinks=False)
    return room / "checks.toml"


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_the_stanza_passes_check_in_the_shipped_room(
    snmpsim_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    spec = SnmpTargetSpec(
        recording, snmpsim_agent.host, snmpsim_agent.port, community=recording, timeout_s=3.0, retries=1,
        interval_s=30.0,
    )  # fmt: skip
    result = await discover(spec)
    assert result.ok, result.reason
    config = shipped_copy(tmp_path)
    library, _ = read_playbooks(config.parent / "playbooks")
    stanza = checks_stanza(
        result,
        target_id="found-" + re.sub(r"[^a-z0-9-]", "-", recording.lower()),
        credentials="ups-a",
        known_playbooks=library.ids(),
        require_playbook=True,
    )
    stanza["target"][0].setdefault("group", "servers")  # what `dutyroom discover` writes for a profile without one
    with config.open("a", encoding="utf-8") as pasted:
        pasted.write("\n" + tomli_w.dumps(stanza))
    report = validate_all(config, now=time.time())
    assert not report.problems, "\n".join(map(str, report.problems))
