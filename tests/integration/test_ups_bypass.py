"""A UPS on bypass raises the shipped `ups-on-bypass` alert: a real UPS recording served by snmpsim with its
upsOutputSource set to bypass, polled by the poller, judged by the rule exactly as checks.toml ships it."""

from __future__ import annotations

import asyncio
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from collectors.service.poller import Poller
from dutyroom.room import load_room
from dutyroom.store.database import Store
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tui" / "demo" / "shipped_room"


def shipped_rule(rule_id: str) -> dict[str, object]:
    document = tomllib.loads((SHIPPED / "checks.toml").read_text(encoding="utf-8"))
    (rule,) = [rule for rule in document["rule"] if rule["id"] == rule_id]
    return dict(rule)


def room_config(agent: SnmpsimAgent, community_env: str) -> dict[str, object]:
    return {
        "site": {"name": "bypass room"},
        "defaults": {"interval": "5s"},
        "credentials": {"ups": {"version": "2c", "community": {"env": community_env}}},
        "target": [
            {
                "id": "ups-a",
                "group": "power",
                "kind": "snmp",
                "address": f"udp://{agent.host}:{agent.port}",
                "credentials": "ups",
                "profile": "ups-mib",
            }
        ],
        "rule": [shipped_rule("ups-on-bypass")],
    }


async def test_a_ups_on_bypass_raises_the_shipped_alert(
    snmpsim_agent: SnmpsimAgent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUTYROOM_TEST_UPS_COMMUNITY", "test_ups_bypass")
    config = tmp_path / "checks.toml"
    config.write_text(tomli_w.dumps(room_config(snmpsim_agent, "DUTYROOM_TEST_UPS_COMMUNITY")), encoding="utf-8")
    for lang in ("en", "zh"):
        (tmp_path / "playbooks" / lang).mkdir(parents=True)
        shutil.copy(SHIPPED / "playbooks" / lang / "ups-bypass.md", tmp_path / "playbooks" / lang)
    room = load_room(config)
    with Store.open(tmp_path / "state") as store:
        poller = Poller(room, store, watch_files=False)
        stop = asyncio.Event()
        task = asyncio.create_task(poller.run(stop))
        for _ in range(400):  # bounded: at most ~20 s for the first poll
            if any(check.firing for check in poller.engine.checks.values()):
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 30)
    (check,) = [check for check in poller.engine.checks.values() if check.firing]
    assert check.rule == "ups-on-bypass"
    assert check.target == "ups-a"
    (run,) = poller.runs.open_runs()
    assert run.playbook_id == "ups-bypass"
