"""TrapReceiver against net-snmp's snmptrap and snmpinform on loopback: v1, v2c, v3 traps and INFORMs.

The v3 keys reach net-snmp through a snmp.conf in a temporary SNMPCONFPATH, not through the command line.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from collectors.trap_spec import TrapReceiverSpec, TrapV3User
from collectors.traps import TrapReceiver
from dutyroom.model import PollResult

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("snmptrap") is None, reason="net-snmp snmptrap is not installed"),
]

COMMUNITY = "dutyroom-test"
USER, AUTH_KEY, PRIV_KEY = "ops", "authpass-test-1", "privpass-test-1"
SENDER_ENGINE_ID = "0x80001f8880a1b2c3d4e5f6"
ARRIVAL_BOUND_S = 5.0
"""Generous: the brief's "within a second" with room for a loaded 2-core machine."""


@dataclass
class Room:
    receiver: TrapReceiver
    results: asyncio.Queue[PollResult]
    port: int
    env: dict[str, str]

    async def send(self, *argv: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            *argv, env=self.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
        assert process.returncode is not None
        return process.returncode, stderr.decode(errors="replace")

    @property
    def agent(self) -> str:
        return f"udp:127.0.0.1:{self.port}"

    async def next_result(self) -> PollResult:
        return await asyncio.wait_for(self.results.get(), timeout=ARRIVAL_BOUND_S)


async def start_room(tmp_path: Path, targets_by_source: dict[str, str]) -> Room:
    (tmp_path / "snmp.conf").write_text(
        f"defSecurityName {USER}\ndefSecurityLevel authPriv\ndefAuthType SHA-256\n"
        f"defAuthPassphrase {AUTH_KEY}\ndefPrivType AES\ndefPrivPassphrase {PRIV_KEY}\n"
    )
    (tmp_path / "persist").mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SNMPCONFPATH": str(tmp_path),
        "SNMP_PERSISTENT_DIR": str(tmp_path / "persist"),
        "MIBS": "",
    }
    user = TrapV3User(USER, "SHA-256", AUTH_KEY, "AES-128", PRIV_KEY, sender_engine_ids=(SENDER_ENGINE_ID,))
    spec = TrapReceiverSpec(
        listen_host="127.0.0.1",
        listen_port=0,
        communities=("another-community", COMMUNITY),
        v3_users=(user,),
        targets_by_source=targets_by_source,
    )
    results: asyncio.Queue[PollResult] = asyncio.Queue()
    receiver = TrapReceiver(spec, results.put_nowait)
    _, port = await receiver.start()
    return Room(receiver, results, port, env)


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[Room]:
    started = await start_room(tmp_path, {"127.0.0.1": "ups-a"})
    yield started
    await started.receiver.aclose()


def metrics(result: PollResult) -> dict[str, float | str]:
    return {sample.metric: sample.value for sample in result.samples}


async def test_v2c_ups_mib_on_battery_trap(room: Room) -> None:
    code, err = await room.send(
        "snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", "1.3.6.1.2.1.33.2.0.1",
        "1.3.6.1.2.1.33.1.2.3.0", "i", "37",
    )  # fmt: skip
    assert code == 0, err
    result = await room.next_result()
    assert result.target == "ups-a"
    assert metrics(result) == {"ups.on_battery": 1.0, "ups.runtime_min": 37.0}
    assert result.events[0].message == "UPS on battery (upsTrapOnBattery)"


async def test_v1_apc_on_battery_trap(room: Room) -> None:
    code, err = await room.send(
        "snmptrap", "-v1", "-c", COMMUNITY, room.agent, "1.3.6.1.4.1.318", "127.0.0.1", "6", "5", "",
        "1.3.6.1.4.1.318.2.3.3.0", "s", "UPS: On battery power in response to an input power problem.",
    )  # fmt: skip
    assert code == 0, err
    result = await room.next_result()
    assert metrics(result) == {"ups.on_battery": 1.0}
    assert "On battery power" in result.events[0].message
    assert COMMUNITY not in result.events[0].message


async def test_v3_authpriv_trap_from_a_known_engine(room: Room) -> None:
    code, err = await room.send("snmptrap", "-v3", "-e", SENDER_ENGINE_ID, room.agent, "", "1.3.6.1.4.1.318.0.7")
    assert code == 0, err
    result = await room.next_result()
    assert metrics(result) == {"ups.battery_status": "low"}


@pytest.mark.parametrize("version", ["-v2c", "-v3"])
async def test_inform_is_acknowledged_and_decoded(room: Room, version: str) -> None:
    auth = ["-c", COMMUNITY] if version == "-v2c" else []
    code, err = await room.send(
        "snmpinform", version, *auth, "-r", "1", "-t", "3", room.agent, "", "1.3.6.1.2.1.33.2.0.3",
        "1.3.6.1.2.1.33.1.6.2.1.1.4", "i", "4",
        "1.3.6.1.2.1.33.1.6.2.1.2.4", "o", "1.3.6.1.2.1.33.1.6.3.3",
    )  # fmt: skip
    assert code == 0, err  # snmpinform exits 0 only once the receiver acknowledged
    result = await room.next_result()
    assert metrics(result) == {"ups.battery_status": "low"}
    assert result.events[0].message == "UPS alarm raised: lowBattery (upsTrapAlarmEntryAdded)"


async def test_wrong_community_is_dropped_and_the_receiver_keeps_going(room: Room) -> None:
    code, _ = await room.send("snmptrap", "-v2c", "-c", "wrong", room.agent, "", "1.3.6.1.4.1.318.0.5")
    assert code == 0
    code, err = await room.send("snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", "1.3.6.1.4.1.318.0.9")
    assert code == 0, err
    result = await room.next_result()
    assert metrics(result) == {"ups.on_battery": 0.0}  # the forged on-battery trap never arrived
    assert room.receiver.received_count == 1


async def test_unknown_trap_from_a_known_source_becomes_an_event_and_trap_unknown(room: Room) -> None:
    code, err = await room.send(
        "snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", "1.3.6.1.4.1.9999.0.1",
        "1.3.6.1.4.1.9999.1.1", "s", "door open",
    )  # fmt: skip
    assert code == 0, err
    result = await room.next_result()
    assert [(sample.metric, sample.labels) for sample in result.samples] == [
        ("trap.unknown", (("trap", "1.3.6.1.4.1.9999.0.1"),))
    ]
    assert result.events[0].message == "trap 1.3.6.1.4.1.9999.0.1: 1.3.6.1.4.1.9999.1.1=door open"


async def test_unmapped_source_reports_to_the_unmapped_target(tmp_path: Path) -> None:
    room = await start_room(tmp_path, {"127.0.0.2": "ups-b"})
    try:
        code, err = await room.send("snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", "1.3.6.1.4.1.318.0.5")
        assert code == 0, err
        result = await room.next_result()
        assert result.target == "snmp-traps"
        assert result.samples == ()
        assert "from 127.0.0.1 (no target configured)" in result.events[0].message
    finally:
        await room.receiver.aclose()


async def test_port_in_use_fails_at_start() -> None:
    first = TrapReceiver(TrapReceiverSpec("127.0.0.1", 0, communities=("x",)), lambda result: None)
    _, port = await first.start()
    try:
        second = TrapReceiver(TrapReceiverSpec("127.0.0.1", port, communities=("x",)), lambda result: None)
        with pytest.raises(OSError, match="in use"):
            await second.start()
    finally:
        await first.aclose()


async def test_v2c_eaton_on_bypass_then_back_on_inverter(room: Room) -> None:
    for trap, expected in (("11", (1.0, "bypass")), ("17", (0.0, "normal"))):
        code, err = await room.send(
            "snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", f"1.3.6.1.4.1.534.1.11.4.1.0.{trap}",
            "1.3.6.1.4.1.534.1.7.1.0", "s", "UPS on bypass",
        )  # fmt: skip
        assert code == 0, err
        result = await room.next_result()
        assert metrics(result) == {"ups.on_bypass": expected[0], "ups.output_source": expected[1]}


async def test_v1_eaton_basic_on_battery_and_low_battery(room: Room) -> None:
    """A v1 xupstb trap (enterprise xupsTrapBasic 534.1.0.0) arrives as 534.1.0.0.0.N (RFC 3584)."""
    for specific, expected in (("3", {"ups.on_battery": 1.0}), ("4", {"ups.battery_status": "low"})):
        code, err = await room.send(
            "snmptrap", "-v1", "-c", COMMUNITY, room.agent, "1.3.6.1.4.1.534.1.0.0", "127.0.0.1", "6", specific, "",
        )  # fmt: skip
        assert code == 0, err
        result = await room.next_result()
        assert metrics(result) == expected


async def test_v1_apc_hardware_failure_bypass(room: Room) -> None:
    code, err = await room.send(
        "snmptrap", "-v1", "-c", COMMUNITY, room.agent, "1.3.6.1.4.1.318", "127.0.0.1", "6", "20", "",
        "1.3.6.1.4.1.318.2.3.3.0", "s", "UPS: On bypass in response to an internal hardware fault.",
    )  # fmt: skip
    assert code == 0, err
    result = await room.next_result()
    assert metrics(result) == {"ups.on_bypass": 1.0, "ups.output_source": "bypass"}
    assert result.events[0].message.startswith("UPS on bypass after a hardware failure (hardwareFailureBypass)")


async def test_v2c_ups_mib_on_bypass_alarm(room: Room) -> None:
    code, err = await room.send(
        "snmptrap", "-v2c", "-c", COMMUNITY, room.agent, "", "1.3.6.1.2.1.33.2.0.3",
        "1.3.6.1.2.1.33.1.6.2.1.1.7", "i", "7",
        "1.3.6.1.2.1.33.1.6.2.1.2.7", "o", "1.3.6.1.2.1.33.1.6.3.9",
    )  # fmt: skip
    assert code == 0, err
    result = await room.next_result()
    assert metrics(result) == {"ups.on_bypass": 1.0, "ups.output_source": "bypass"}
    assert result.events[0].message == "UPS alarm raised: onBypass (upsTrapAlarmEntryAdded)"
