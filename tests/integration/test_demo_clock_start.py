"""The demo on a simulated clock: started just before 08:15 on a trading Monday, its real poller starts the
pre-open check by itself and the machine ticks what it verified from the simulated room."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
CLI = (sys.executable, "-m", "tui.cli.main")
MORNING = "2026-12-07T08:15:15+08:00"


def test_the_pre_open_check_fills_in_on_a_simulated_morning(tmp_path: Path) -> None:
    state = tmp_path / "state"
    demo = subprocess.run(
        [*CLI, "demo", "--headless", "--seconds", "20", "--clock-start", "2026-12-07T08:14:55", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert demo.returncode == 0, demo.stderr
    assert "simulated clock from Mon 2026-12-07 08:14 (Asia/Shanghai)" in demo.stderr
    duties = subprocess.run(
        [*CLI, "duties", "--config", str(state / "checks.toml"), "--state", str(state), "--at", MORNING, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert duties.returncode == 0, duties.stderr
    [duty] = json.loads(duties.stdout)["duties"]
    assert (duty["id"], duty["state"], duty["started_by"]) == ("pre-open", "running", "dutyroom")
    assert duty["run"].endswith("-pre-open-check")
    assert duty["steps_settled"] >= 1  # verified from the simulated room, recorded as dutyroom
    assert duty["verdict"]["text"].startswith("NOT READY: ")
