"""`discover` on a router or switch whose vendor profile extends if-mib lists the interfaces that are up, as it
does for plain if-mib, and the stanza passes `dutyroom check` pasted into the shipped room.

The expected names are read from the recording itself (ifName of every row whose ifOperStatus is up(1)), so the
test does not take discover's word for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from device_walks import ShippedRoom, discover_walk, raw_text
from snmp_agents import SNMPREC_DIR

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

IF_NAME = "1.3.6.1.2.1.31.1.1.1.1."
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8."


def interfaces_up_in(recording: str) -> list[str]:
    """ifNames whose ifOperStatus is up, in ifIndex order, each once (the ASR920 names Te0/0/26 twice), as the
    .snmprec file records them."""
    names: dict[int, str] = {}
    up: set[int] = set()
    for oid, value in raw_text(recording, SNMPREC_DIR).items():
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
    result = await discover_walk(snmpsim_agent, recording)
    assert result.profiles[0] == profile
    expected = interfaces_up_in(recording)
    assert expected, "the recording has interfaces that are up"

    room = ShippedRoom(tmp_path)
    stanza = room.stanza(result, "found-router", credentials="")
    target = stanza["target"][0]
    assert target["profile"] == profile
    assert target["interfaces"] == expected
    room.assert_accepts(stanza)
