"""`dutyroom duties --at ... --json` on the shipped checks.toml: Monday 2026-12-07 08:20 has the pre-open check
running with its verdict, Sunday 2026-12-06 has none; a bad time is one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
COMMAND = (sys.executable, "-m", "tui.cli.main", "duties")


def duties(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, "--config", str(ROOT / "checks.toml"), "--state", str(tmp_path / "no-state-yet"), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )


def test_a_trading_monday_at_0820_has_the_pre_open_check_running_with_its_verdict(tmp_path: Path) -> None:
    result = duties(tmp_path, "--at", "2026-12-07T08:20:00+08:00", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["day"], report["day_kind"]) == ("2026-12-07", "trading")
    [duty] = report["duties"]
    assert (duty["id"], duty["playbook"], duty["state"]) == ("pre-open", "pre-open-check", "running")
    assert duty["verdict"]["ready"] is False
    assert duty["verdict"]["text"] == "NOT READY: 6 automated checks failing, 5 steps open, due 09:00"
    assert duty["verdict"]["opens_at"] == "2026-12-07T09:15:00+08:00"
    assert [check["step"] for check in duty["checks"]] == [1, 2, 3, 4, 5, 6]
    assert all("no data" in check["seen"] for check in duty["checks"])  # no state directory: nothing seen


def test_a_sunday_has_none(tmp_path: Path) -> None:
    result = duties(tmp_path, "--at", "2026-12-06T08:20:00+08:00", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["duties"] == []
    text = duties(tmp_path, "--at", "2026-12-06T08:20:00+08:00")
    assert text.stdout == "no duties on 2026-12-06 (weekend)\n"


def test_a_bad_time_is_one_line(tmp_path: Path) -> None:
    result = duties(tmp_path, "--at", "monday")
    assert (result.returncode, result.stderr) == (
        1,
        "--at: bad date-time 'monday' (use e.g. 2026-12-07T08:20:00+08:00)\n",
    )
