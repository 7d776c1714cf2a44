"""RELIABILITY R7 through the command line: acks and notes issued by `dutyroom ack/note` while the writers
(the CLI processes and a running `dutyroom serve`) are SIGKILLed at random, many times.

Afterwards the database passes `PRAGMA integrity_check`, every action the CLI confirmed is there with its
text, and the audit chain verifies.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

CONFIG = """
[site]
name = "kill room"
[defaults]
interval = "1s"
timeout = "200ms"
retries = 0
[[target]]
id = "console"
group = "servers"
kind = "host"
interval = "1s"
[[rule]]
id = "disk-used"
metric = "host.disk_used_pct"
warning = ">= 0"
"""
ROUNDS = 30
DEADLINE_S = 120.0


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli.main", *args]


def start_serve(config: Path, state: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cli("serve", "--config", str(config), "--state", str(state)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_alert(config: Path, state: Path) -> str:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        result = subprocess.run(
            cli("alerts", "--json", "--config", str(config), "--state", str(state)),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode == 0:
            alerts = json.loads(result.stdout)["alerts"]
            firing = [alert for alert in alerts if alert["phase"] == "firing"]
            if firing:
                return str(firing[0]["fingerprint"])
        time.sleep(0.3)
    raise AssertionError("no alert fired within 90 s")


def test_no_confirmed_action_is_lost_when_writers_are_killed(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    state = tmp_path / "state"
    serve = start_serve(config, state)
    rng = random.Random(7)
    confirmed: dict[int, str] = {}
    started = time.monotonic()
    try:
        fingerprint = wait_for_alert(config, state)
        for index in range(ROUNDS):
            assert time.monotonic() - started < DEADLINE_S, "R7 driver ran out of time"
            text = f"round {index} note"
            kind = "ack" if index % 3 == 0 else "note"
            flag = "--comment" if kind == "ack" else "--text"
            writer = subprocess.Popen(
                cli(kind, fingerprint, flag, text, "--config", str(config), "--state", str(state)),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(
                rng.uniform(0.3, 1.6)
            )  # a CLI start costs ~0.8 s: kills land before, during and after the commit
            writer.send_signal(signal.SIGKILL)
            output, _ = writer.communicate(timeout=30)
            for line in output.decode().splitlines():
                if "(action #" in line:
                    confirmed[int(line.rsplit("#", 1)[1].rstrip(")"))] = text
            if rng.random() < 0.5:
                serve.send_signal(signal.SIGKILL)
                serve.wait(timeout=30)
                serve = start_serve(config, state)
    finally:
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=30)
    assert len(confirmed) >= ROUNDS // 4, f"too few actions confirmed to prove anything: {len(confirmed)}"
    connection = sqlite3.connect(state / "dutyroom.db")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    from dutyroom.store.database import Store

    with Store.open(state) as store:
        stored = {action.id: action for action in store.actions_after(0, limit=100_000)}
        report = store.verify_audit()
    for action_id, text in confirmed.items():
        assert action_id in stored, f"confirmed action #{action_id} is missing"
        payload = stored[action_id].payload
        assert text in (payload.get("text"), payload.get("comment"))
    assert report.ok, report.problem
    assert not [path for path in state.iterdir() if path.name.endswith(".tmp")]
    assert os.path.exists(state / "dutyroom.db")
