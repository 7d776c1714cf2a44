"""Traps configured in checks.toml reach the engine: SNMPv3 users named in `[traps] credentials` (INFORMs
acknowledged, TRAPs from a listed engine id), and a v1 trap mapped by the agent address inside it.

Real net-snmp `snmpinform`/`snmptrap` on loopback into the real poller; the v3 keys reach net-snmp
through a snmp.conf in a temporary SNMPCONFPATH, never the command line.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from collectors.service.poller import Poller
from dutyroom.room import load_room
from dutyroom.store.database import Store
from tui.demo.snmpsim_agent import free_udp_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("snmpinform") is None, reason="net-snmp snmpinform is not installed"),
]

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
USER, AUTH_KEY, PRIV_KEY, COMMUNITY = "ops", "auth-key-trap-1", "priv-key-trap-1", "trap-community-1"
SENDER_ENGINE_ID = "0x80001f8880c0ffee0123"
CONFIG = """
[site]
name = "trap room"

[credentials.ops-v3]
version = "3"
user = "{user}"
auth = "SHA-256"
auth_key = {{ env = "DUTYROOM_TEST_TRAP_AUTH" }}
priv = "AES"
priv_key = {{ env = "DUTYROOM_TEST_TRAP_PRIV" }}

[traps]
listen = "udp://127.0.0.1:{port}"
communities = [{{ env = "DUTYROOM_TEST_TRAP_COMMUNITY" }}]
credentials = ["ops-v3"]
engine_ids = ["{engine_id}"]

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["{ups_a_source}"]

[[target]]
id = "ups-remote"
group = "power"
kind = "trap"
trap_sources = ["10.20.30.40"]          # behind a NAT: only the v1 agent address says who sent it

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"

[[rule]]                                 # traps nothing decodes, from a device the room knows
id = "unknown-trap"
metric = "trap.unknown"
warning = "== 1"
hold = "30m"

[[rule]]                                 # the other rules the mains-failure playbook applies to
id = "ups-output-off"
metric = "ups.output_source"
critical = "== none"
playbook = "mains-failure"

[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
warning = "< 20"
playbook = "mains-failure"
"""


@dataclass
class TrapRoom:
    poller: Poller
    port: int
    env: dict[str, str]

    async def send(self, *argv: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            *argv, env=self.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode is not None
        return process.returncode, stderr.decode(errors="replace")

    async def firing(self, target: str) -> bool:
        for _ in range(200):  # bounded: at most ~10 s
            if any(check.firing and check.target == target for check in self.poller.engine.checks.values()):
                return True
            await asyncio.sleep(0.05)
        return False


async def open_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ups_a_source: str) -> AsyncIterator[TrapRoom]:
    monkeypatch.setenv("DUTYROOM_TEST_TRAP_AUTH", AUTH_KEY)
    monkeypatch.setenv("DUTYROOM_TEST_TRAP_PRIV", PRIV_KEY)
    monkeypatch.setenv("DUTYROOM_TEST_TRAP_COMMUNITY", COMMUNITY)
    port = free_udp_port()
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG.format(user=USER, port=port, engine_id=SENDER_ENGINE_ID, ups_a_source=ups_a_source))
    for lang in ("en", "zh"):
        (tmp_path / "playbooks" / lang).mkdir(parents=True)
        shutil.copy(PLAYBOOKS / lang / "mains-failure.md", tmp_path / "playbooks" / lang)
    (tmp_path / "net-snmp").mkdir()
    (tmp_path / "net-snmp" / "snmp.conf").write_text(
        f"defSecurityName {USER}\ndefSecurityLevel authPriv\ndefAuthType SHA-256\n"
        f"defAuthPassphrase {AUTH_KEY}\ndefPrivType AES\ndefPrivPassphrase {PRIV_KEY}\n"
    )
    (tmp_path / "persist").mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SNMPCONFPATH": str(tmp_path / "net-snmp"),
        "SNMP_PERSISTENT_DIR": str(tmp_path / "persist"),
        "MIBS": "",
    }
    room = load_room(config)
    with Store.open(tmp_path / "state") as store:
        poller = Poller(room, store, watch_files=False)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        for _ in range(100):
            if poller.trap_address is not None:
                break
            await asyncio.sleep(0.05)
        assert poller.trap_address is not None, "the trap receiver never started"
        try:
            yield TrapRoom(poller, port, env)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


@pytest.fixture
async def room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[TrapRoom]:
    async for opened in open_room(tmp_path, monkeypatch, "127.0.0.1"):
        yield opened


async def test_a_v3_authpriv_inform_is_acknowledged_and_fires(room: TrapRoom) -> None:
    code, err = await room.send(
        "snmpinform", "-v3", "-r", "1", "-t", "5", f"udp:127.0.0.1:{room.port}", "", "1.3.6.1.2.1.33.2.0.1"
    )
    assert code == 0, err  # snmpinform exits 0 only once the receiver acknowledged
    assert await room.firing("ups-a")


async def test_a_v3_authpriv_trap_from_a_listed_engine_fires(room: TrapRoom) -> None:
    code, err = await room.send(
        "snmptrap", "-v3", "-e", SENDER_ENGINE_ID, f"udp:127.0.0.1:{room.port}", "", "1.3.6.1.2.1.33.2.0.1"
    )
    assert code == 0, err
    assert await room.firing("ups-a")


async def test_a_v3_user_the_room_does_not_know_is_refused(room: TrapRoom) -> None:
    code, _ = await room.send(
        "snmpinform", "-v3", "-u", "intruder", "-r", "0", "-t", "2", f"udp:127.0.0.1:{room.port}", "",
        "1.3.6.1.2.1.33.2.0.1",
    )  # fmt: skip
    assert code != 0  # never acknowledged
    assert not any(check.firing for check in room.poller.engine.checks.values())


async def test_a_v1_trap_maps_by_the_agent_address_inside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async for room in open_room(tmp_path, monkeypatch, "192.0.2.1"):  # loopback itself maps to nothing
        code, err = await room.send(
            "snmptrap", "-v1", "-c", COMMUNITY, f"udp:127.0.0.1:{room.port}", "1.3.6.1.4.1.318", "10.20.30.40",
            "6", "5", "", "1.3.6.1.4.1.318.2.3.3.0", "s", "UPS: On battery power.",
        )  # fmt: skip
        assert code == 0, err
        assert await room.firing("ups-remote")


async def test_an_unknown_trap_from_a_known_device_raises_an_alert_of_its_own(room: TrapRoom) -> None:
    code, err = await room.send(
        "snmpinform", "-v3", "-r", "1", "-t", "5", f"udp:127.0.0.1:{room.port}", "", "1.3.6.1.4.1.2011.2.6.7.0.1",
        "1.3.6.1.4.1.2011.2.6.7.1.1", "s", "door open",
    )  # fmt: skip
    assert code == 0, err
    assert await room.firing("ups-a")
    (check,) = [check for check in room.poller.engine.checks.values() if check.firing]
    assert check.rule == "unknown-trap"
