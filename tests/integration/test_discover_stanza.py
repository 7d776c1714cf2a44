"""`discover` on every recording writes a stanza that `dutyroom check` accepts pasted into the shipped room.

The shipped checks.toml requires a playbook on every rule, so this also shows that the rules a profile
proposes name playbooks the room has (or are left out), and that a device no profile knows still gets
a valid target.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from device_walks import ShippedRoom
from snmp_agents import SNMPREC_DIR

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

RECORDINGS = sorted(path.stem for path in SNMPREC_DIR.glob("*.snmprec"))


@pytest.mark.parametrize("recording", RECORDINGS)
async def test_the_stanza_passes_check_in_the_shipped_room(
    snmpsim_agent: SnmpsimAgent, tmp_path: Path, recording: str
) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(snmpsim_agent, recording)
    stanza["target"][0].setdefault("group", "servers")  # what `dutyroom discover` writes for a profile without one
    room.assert_accepts(stanza)
