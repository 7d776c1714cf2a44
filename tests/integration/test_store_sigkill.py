"""R7: SIGKILL while acks, notes and playbook steps are written, many times over.

Pass: `PRAGMA integrity_check` = ok, every action a writer confirmed is stored with its content, the audit
chain verifies, and the atomically rewritten handover file is complete. The action writer is a command
(ACTION_WRITER_COMMAND) that prints one JSON line per confirmed action, `{"id", "kind", "alert", "payload"}`,
only after the action is durable; pointing it at the `dutyroom ack/note` CLI is a one-line change.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from dutyroom.model import make_labels
from dutyroom.store.database import DB_NAME, Store, verify_audit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WRITERS = Path(__file__).with_name("store_sigkill_writers.py")
ACTION_WRITER_COMMAND = [sys.executable, str(WRITERS), "actions", "{state_dir}"]
HISTORY_WRITER_COMMAND = [sys.executable, str(WRITERS), "history", "{state_dir}"]
ROUNDS = 30
MIN_ROUNDS = 10
TOTAL_BUDGET_S = 120.0
FIRST_CONFIRMATION_WAIT_S = 15.0
MAX_RUN_BEFORE_KILL_S = 0.3


class KilledWriter:
    """A writer subprocess whose complete stdout lines are collected until it is killed."""

    def __init__(self, command: list[str], state_dir: Path, stderr_path: Path) -> None:
        self._stderr_path = stderr_path
        self._stderr: IO[str] = stderr_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [part.format(state_dir=state_dir) for part in command],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self.first_line = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never confirmed
                self.lines.append(line)
                self.first_line.set()

    def kill(self) -> None:
        """SIGKILL it; fail if it had already died by itself (a writer error, shown from its stderr)."""
        exited_by_itself = self.process.poll() is not None
        self.process.kill()
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        self._stderr.close()
        if exited_by_itself or self.process.returncode != -signal.SIGKILL:
            pytest.fail(f"writer exited with {self.process.returncode}:\n{self._stderr_path.read_text()}")


def run_kill_rounds(state_dir: Path, logs: Path, rng: random.Random) -> tuple[list[str], int]:
    """Start the writers, let them run a random moment, SIGKILL them; returns confirmed lines and rounds."""
    deadline = time.monotonic() + TOTAL_BUDGET_S
    confirmed: list[str] = []
    history: KilledWriter | None = None
    rounds = 0
    try:
        while rounds < ROUNDS and time.monotonic() < deadline:
            rounds += 1
            if history is None:
                history = KilledWriter(HISTORY_WRITER_COMMAND, state_dir, logs / f"history-{rounds}.err")
            actions = KilledWriter(ACTION_WRITER_COMMAND, state_dir, logs / f"actions-{rounds}.err")
            actions.first_line.wait(timeout=FIRST_CONFIRMATION_WAIT_S)
            time.sleep(rng.uniform(0.0, MAX_RUN_BEFORE_KILL_S))
            actions.kill()
            confirmed.extend(actions.lines)
            if rng.random() < 0.5:
                history.kill()
                history = None
    finally:
        if history is not None:
            history.kill()
    return confirmed, rounds


def assert_handover_is_complete(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    body, _, last_line = text.rstrip("\n").rpartition("\n")
    assert last_line == f"END {hashlib.sha256((body + chr(10)).encode()).hexdigest()}", "partial handover.md"


@pytest.mark.integration
def test_sigkill_while_writing_loses_no_confirmed_action(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    state_dir, logs = tmp_path / "state", tmp_path / "logs"
    logs.mkdir()
    Store.open(state_dir).close()

    confirmed, rounds = run_kill_rounds(state_dir, logs, random.Random(seed))

    assert rounds >= MIN_ROUNDS, f"only {rounds} rounds within {TOTAL_BUDGET_S} s (seed {seed})"
    assert confirmed, f"no writer confirmed any action (seed {seed})"
    with sqlite3.connect(state_dir / DB_NAME) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Store.open(state_dir) as store:
        stored = {action.id: action for action in store.actions_after(0, limit=1_000_000)}
        assert store.read_heartbeat() is not None
        assert store.load_alert_states()
        assert store.raw_series("host-1", "cpu.util_pct", make_labels({"core": "0"}), 0)
    confirmed_ids = [json.loads(line)["id"] for line in confirmed]
    assert len(set(confirmed_ids)) == len(confirmed_ids), f"an id was confirmed twice (seed {seed})"
    for line in confirmed:
        expected = json.loads(line)
        action = stored.get(expected["id"])
        assert action is not None, f"confirmed action {expected['id']} was lost (seed {seed})"
        assert (action.kind, action.alert, dict(action.payload)) == (
            expected["kind"],
            expected["alert"],
            expected["payload"],
        )
    assert sorted(stored) == list(range(1, len(stored) + 1))
    report = verify_audit(state_dir)
    assert report.ok, f"{report.problem} (seed {seed})"
    assert report.records == len(stored)
    assert_handover_is_complete(state_dir / "handover.md")
