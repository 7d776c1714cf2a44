"""The live path end to end: a trap from net-snmp's snmptrap reaches the engine at once, the store keeps the
engine's transitions as they are, the firing alert starts its playbook run in the store, and the run (with a
step ticked through the console source) survives a restart of the poller."""

from __future__ import annotations

import asyncio
import shutil
import socket
import time
from pathlib import Path

import pytest

from collectors.service.poller import Poller
from dutyroom.actions_model import StepTick
from dutyroom.model import AlertPhase, Identity, Transition
from dutyroom.operators.desk import StoreDesk
from dutyroom.playbooks.runs import RunBook
from dutyroom.room import load_room
from dutyroom.store.database import Store

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("snmptrap") is None, reason="net-snmp snmptrap is not installed"),
]
PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
CONFIG = """
[site]
name = "trap room"

[defaults]
interval = "30s"

[traps]
listen = "udp://127.0.0.1:{port}"
communities = [{{ env = "DUTYROOM_TEST_TRAP_COMMUNITY" }}]

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.1"]

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"

[[rule]]
id = "ups-output-off"
metric = "ups.output_source"
critical = "== none"
marks_down = true
playbook = "mains-failure"

[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
warning = "< 20"
playbook = "mains-failure"
"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def send_on_battery_trap(port: int) -> None:
    process = await asyncio.create_subprocess_exec(
        "snmptrap",
        "-v2c",
        "-c",
        "trap-secret",
        f"udp:127.0.0.1:{port}",
        "",
        "1.3.6.1.2.1.33.2.0.1",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err


async def test_trap_fires_alert_and_starts_a_persistent_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYROOM_TEST_TRAP_COMMUNITY", "trap-secret")
    port = free_udp_port()
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG.format(port=port))
    playbooks = tmp_path / "playbooks"
    for lang in ("en", "zh"):
        (playbooks / lang).mkdir(parents=True)
        shutil.copy(PLAYBOOKS / lang / "mains-failure.md", playbooks / lang)
    room = load_room(config)
    state = tmp_path / "state"
    with Store.open(state) as store:
        poller = Poller(room, store, watch_files=False)
        emitted: list[Transition] = []
        poller.on_evaluated = lambda evaluation: emitted.extend(evaluation.transitions)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        for _ in range(100):
            if poller.trap_address is not None:
                break
            await asyncio.sleep(0.05)
        sent_at = time.monotonic()
        await send_on_battery_trap(port)
        for _ in range(200):
            if any(check.firing for check in poller.engine.checks.values()):
                break
            await asyncio.sleep(0.05)
        reached_after = time.monotonic() - sent_at
        stop.set()
        await asyncio.wait_for(task, 30)
        (check,) = poller.engine.checks.values()
        assert check.firing
        assert check.rule == "ups-on-battery"
        assert reached_after < 10, "the trap never reached the engine"  # a bound on a hang, not a timing claim
        assert any(item.after is AlertPhase.FIRING and item.notify for item in emitted)
        assert store.transitions_between(0.0, time.time() + 60) == emitted, "kept whole, as the engine made them"
        (run,) = poller.runs.open_runs()
        assert run.playbook_id == "mains-failure"
        assert check.fingerprint in run.incident_keys

        desk = StoreDesk(store, room.config, Identity("alice"), room.playbooks)
        desk.submit(StepTick(run=run.run_id, step=1), check.fingerprint, time.time())

    with Store.open(state) as store:
        restarted = RunBook.replay(store.actions_after(0, limit=100_000))
        again = Poller(room, store, watch_files=False)
    (run_after,) = restarted.open_runs()
    assert run_after.run_id == run.run_id
    step_one = run_after.step(1)
    assert step_one is not None
    assert step_one.done
    assert [identity.user for identity in step_one.done_by] == ["alice"]
    assert again.engine.checks[check.fingerprint].firing
