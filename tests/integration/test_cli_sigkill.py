"""RELIABILITY R7 through the command line: acks and notes issued by `dutyroom ack/note` while the writers
(the CLI processes and a running `dutyroom serve`) are SIGKILLed at random, many times.

Afterwards the database passes `PRAGMA integrity_check`, every action the CLI confirmed is there with its
text, and the audit chain verifies.

Kills are timed against the machine as it is now, not against a fixed sleep: every fifth writer runs to its
end unkilled, and the others are killed at a random fraction (0.1 to 1.6) of how long those took. So kills
land before, during and after the commit on an idle laptop and on a loaded CI core alike, and the test
checks that both kinds happened.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from waiting import state_not_made_yet

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=30)]

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
CALIBRATE_EVERY = 5
"""Every fifth writer (the first included) is left to finish: its run time is what the kills are timed by."""
KILL_AT = (0.1, 1.6)
"""A writer is killed at this fraction of the calibrated run time: before, during or after its commit."""
ALERT_WAIT_S = 90.0
WRITER_WAIT_S = 60.0


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli.main", *args]


def start_serve(config: Path, state: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cli("serve", "--config", str(config), "--state", str(state)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_alert(config: Path, state: Path) -> str:
    """The readiness signal: `serve` has committed a firing alert (bounded by ALERT_WAIT_S)."""
    deadline = time.monotonic() + ALERT_WAIT_S
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
        elif not state_not_made_yet(result.stderr):  # anything but serve still making its state is a failure
            raise AssertionError(f"alerts --json exited {result.returncode}: {result.stderr}")
        time.sleep(0.3)
    raise AssertionError(f"no alert fired within {ALERT_WAIT_S:g} s")


@dataclass(frozen=True)
class WriterOutcome:
    text: str
    action_id: int | None
    """The id the CLI printed once the action was durable; None when it was killed before saying so."""
    seconds: float


def run_writer(config: Path, state: Path, fingerprint: str, index: int, kill_after_s: float | None) -> WriterOutcome:
    """One `dutyroom ack` or `note`; SIGKILLed after `kill_after_s`, or left to finish when that is None."""
    text = f"round {index} note"
    kind, flag = ("ack", "--comment") if index % 3 == 0 else ("note", "--text")
    started = time.monotonic()
    writer = subprocess.Popen(
        cli(kind, fingerprint, flag, text, "--config", str(config), "--state", str(state)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    if kill_after_s is not None:
        time.sleep(kill_after_s)
        writer.send_signal(signal.SIGKILL)  # a no-op when it already finished
    output, _ = writer.communicate(timeout=WRITER_WAIT_S)
    seconds = time.monotonic() - started
    action_id = None
    for line in output.decode().splitlines():
        if "(action #" in line:
            action_id = int(line.rsplit("#", 1)[1].rstrip(")"))
    return WriterOutcome(text, action_id, seconds)


def test_no_confirmed_action_is_lost_when_writers_are_killed(tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    state = tmp_path / "state"
    serve = start_serve(config, state)
    rng = random.Random(7)
    confirmed: dict[int, str] = {}
    calibration: list[float] = []
    killed_unconfirmed = 0
    try:
        fingerprint = wait_for_alert(config, state)
        for index in range(ROUNDS):
            calibrating = index % CALIBRATE_EVERY == 0
            fraction = rng.uniform(*KILL_AT)
            kill_after_s = None if calibrating else fraction * statistics.median(calibration)
            outcome = run_writer(config, state, fingerprint, index, kill_after_s)
            if calibrating:
                assert outcome.action_id is not None, f"an unkilled writer confirmed nothing (round {index})"
                calibration.append(outcome.seconds)
            if outcome.action_id is not None:
                confirmed[outcome.action_id] = outcome.text
            elif not calibrating:
                killed_unconfirmed += 1
            if rng.random() < 0.5:
                serve.send_signal(signal.SIGKILL)
                serve.wait(timeout=30)
                serve = start_serve(config, state)
    finally:
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=30)
    assert len(confirmed) >= ROUNDS // 4, f"too few actions confirmed to prove anything: {len(confirmed)}"
    killed_rounds = ROUNDS - len(calibration)
    assert killed_unconfirmed >= killed_rounds // 4, f"too few kills landed before a commit: {killed_unconfirmed}"
    assert len(confirmed) > len(calibration), "no killed writer had confirmed its action first"
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
