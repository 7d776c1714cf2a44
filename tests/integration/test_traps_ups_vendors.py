"""Vendor UPS traps sent by net-snmp's snmptrap to the real TrapReceiver on loopback, decoded as the MIBs say.

Delta (DeltaUPS-MIB) and MGE (MG-SNMP-UPS-MIB) define SMIv1 TRAP-TYPEs, so they are sent as v1 traps with
their enterprise and specific number (converted by RFC 3584 to enterprise.0.N); Liebert
(LIEBERT-GP-NOTIFICATIONS-MIB) and Huawei (HUAWEI-UPS-MIB) define NOTIFICATION-TYPEs, sent as v2c.
A bypass trap sets the word the shipped `ups-on-bypass` rule reads (ups.output_source = "bypass").
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from collectors.trap_spec import TrapReceiverSpec
from collectors.traps import TrapReceiver
from dutyroom.model import PollResult

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("snmptrap") is None, reason="net-snmp snmptrap is not installed"),
]

COMMUNITY = "dutyroom-ups-vendors"
ARRIVAL_BOUND_S = 5.0
BYPASS = {"ups.on_bypass": 1.0, "ups.output_source": "bypass"}
BACK = {"ups.on_bypass": 0.0, "ups.output_source": "normal"}


class Room:
    def __init__(self, receiver: TrapReceiver, results: asyncio.Queue[PollResult], port: int, home: Path) -> None:
        self.receiver, self.results, self.port = receiver, results, port
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "SNMPCONFPATH": str(home), "MIBS": ""}

    async def send(self, *argv: str) -> PollResult:
        process = await asyncio.create_subprocess_exec(
            "snmptrap", *argv, env=self.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
        assert process.returncode == 0, stderr.decode(errors="replace")
        return await asyncio.wait_for(self.results.get(), timeout=ARRIVAL_BOUND_S)

    async def v1(self, enterprise: str, specific: int, *varbinds: str) -> PollResult:
        agent = f"udp:127.0.0.1:{self.port}"
        generic = "6"  # enterpriseSpecific
        return await self.send(
            "-v1", "-c", COMMUNITY, agent, enterprise, "127.0.0.1", generic, str(specific), "", *varbinds
        )

    async def v2c(self, trap_oid: str, *varbinds: str) -> PollResult:
        return await self.send("-v2c", "-c", COMMUNITY, f"udp:127.0.0.1:{self.port}", "", trap_oid, *varbinds)


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[Room]:
    spec = TrapReceiverSpec(
        listen_host="127.0.0.1", listen_port=0, communities=(COMMUNITY,), targets_by_source={"127.0.0.1": "ups-a"}
    )
    results: asyncio.Queue[PollResult] = asyncio.Queue()
    receiver = TrapReceiver(spec, results.put_nowait)
    _, port = await receiver.start()
    try:
        yield Room(receiver, results, port, tmp_path)
    finally:
        await receiver.aclose()


def decoded(result: PollResult) -> tuple[dict[str, float | str], str]:
    assert result.target == "ups-a"
    return {sample.metric: sample.value for sample in result.samples}, result.events[0].message


@pytest.mark.parametrize(
    ("specific", "samples", "name"),
    [
        (3, {"ups.on_battery": 1.0}, "dupsPowerFail"),
        (4, {"ups.on_battery": 0.0}, "dupsPowerRestored"),
        (5, {"ups.battery_status": "low"}, "dupsLowBattery"),
        (11, BYPASS, "dupsLoadOnBypass"),
        (12, BACK, "dupsNoLongerLoadOnBypass"),
        (21, {}, "dupsOutputOverload"),
    ],
)
async def test_delta_v1_traps(room: Room, specific: int, samples: dict[str, float | str], name: str) -> None:
    got, message = decoded(await room.v1("1.3.6.1.4.1.2254.2.4.20", specific))
    assert got == samples
    assert f"({name})" in message


@pytest.mark.parametrize(
    ("specific", "samples", "name"),
    [
        (11, {"ups.on_battery": 1.0}, "upsmgOnBattery"),
        (12, {"ups.on_battery": 0.0}, "upsmgReturnFromBattery"),
        (5, {"ups.battery_status": "low"}, "upsmgAtLowBattery"),
        (13, BYPASS, "upsmgOnByPass"),
        (14, BACK, "upsmgReturnFromByPass"),
        (21, {}, "upsmgOverLoad"),
    ],
)
async def test_mge_v1_traps(room: Room, specific: int, samples: dict[str, float | str], name: str) -> None:
    got, message = decoded(await room.v1("1.3.6.1.4.1.705.1.11", specific))
    assert got == samples
    assert f"({name})" in message


@pytest.mark.parametrize(
    ("number", "samples", "name"),
    [
        (3, {"ups.battery_status": "low"}, "lgpEventLowBatteryWarning"),
        (4, BYPASS, "lgpEventLoadTransferedToBypass"),
        (7, {}, "lgpEventOutputOverload"),
        (10, {}, "lgpEventPowerModuleFailure"),
    ],
)
async def test_liebert_v2c_notifications(room: Room, number: int, samples: dict[str, float | str], name: str) -> None:
    got, message = decoded(await room.v2c(f"1.3.6.1.4.1.476.1.42.3.3.0.{number}", "1.3.6.1.2.1.1.3.0", "t", "100"))
    assert got == samples
    assert f"({name})" in message


async def test_huawei_notifications_carry_the_units_own_text(room: Room) -> None:
    text = "1.3.6.1.4.1.2011.6.174.2.1.6"
    got, message = decoded(await room.v2c("1.3.6.1.4.1.2011.6.174.2.2.0.23", text, "s", "Battery not connected"))
    assert got == {}
    assert message == "UPS battery disconnected (hwUpsBattDetachWarnTrap): Battery not connected"
    got, message = decoded(await room.v2c("1.3.6.1.4.1.2011.6.174.2.3.0.4", f"{text}.0", "s", "Bypass unit OK"))
    assert message == "UPS bypass unit abnormal: resumed (hwUpsBypassUnitAlarmResumeTrap): Bypass unit OK"
