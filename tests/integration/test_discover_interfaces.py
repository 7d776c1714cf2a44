"""`discover` on a router or switch whose vendor profile extends if-mib lists the interfaces that are up, as it
does for plain if-mib, and the stanza passes `dutyroom check` pasted into the shipped room.

The expected names are read from the recording itself (ifName of every row whose ifOperStatus is up(1)), so the
test does not take discover's word for them.
"""

from __future__ import annotations

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
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1."
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8."


def interfaces_up_in(recording: str) -> list[str]:
    """ifNames whose ifOperStatus is up, in ifIndex order, each once (the ASR920 names Te0/0/26 twice), as the
    .snmprec file records them."""
    names: dict[int, str] = {}
    up: set[int] = set()
    for line in (SNMPREC_DIR / f"{recording}.snmprec").read_text(encoding="utf-8").splitlines():
        oid, _, value = line.split("|", 2)
        if oid.startswith(IF_NAME):
            names[int(oid.removeprefix(IF_NAME))] = value
        elif oid.startswith(IF_OPER_STATUS) and value == "1":
            up.add(int(oid.removeprefix(IF_OPER_STATUS)))
    return list(dict.fromkeys(names[index] for index in sorted(names) if index in up))


@pytest.mark.parametrize(
    ("recording", "profile"),
    [("vrp_ar169sfp", "huawei-vrp"), ("ruijie", "ruijie"), ("iosxe_asr920", "if-mib")],
)
async def test_a_vendor_profile_that_extends_if_mib_gets_the_interfaces_that_are_up(
    snmpsim_agent: SnmpsimAgent, tmp_path: Path, recording: str, profile: str
) -> None:
    spec = SnmpTargetSpec(
        recording, snmpsim_agent.host, snmpsim_agent.port, community=recording, timeout_s=3.0, retries=1,
        interval_s=30.0,
    )  # fmt: skip
    result = await discover(spec)
    assert result.ok, result.reason
    assert result.profiles[0] == profile
    expected = interfaces_up_in(recording)
    assert expected, "the recording has interfaces that are up"

    room = tmp_path / "room"
    shutil.copytree(SHIPPED, room, symlinks=False)
    library, _ = read_playbooks(room / "playbooks")
    stanza = checks_stanza(result, target_id="found-router", known_playbooks=library.ids(), require_playbook=True)
    target = stanza["target"][0]
    assert target["profile"] == profile
    assert target["interfaces"] == expected

    with (room / "checks.toml").open("a", encoding="utf-8") as pasted:
        pasted.write("\n" + tomli_w.dumps(stanza))
    report = validate_all(room / "checks.toml", now=time.time())
    assert not report.problems, "\n".join(map(str, report.problems))
