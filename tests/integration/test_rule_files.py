"""The repository's rule tests, run through `dutyroom test-rules` as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RULES = Path(__file__).resolve().parents[1] / "rules"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_every_rule_test_file_passes() -> None:
    files = sorted(str(path) for path in RULES.glob("*.test.toml"))
    assert len(files) >= 10
    result = run_cli("test-rules", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(files)} passed, 0 failed" in result.stdout


def test_a_wrong_expectation_fails_with_what_was_seen() -> None:
    result = run_cli("test-rules", str(RULES / "failing" / "wrong-expectation.toml"))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "at 20s: expected {rule=ups-on-battery, target=ups-a, phase=firing}; got no alerts" in result.stdout


def test_a_rule_test_naming_a_broken_config_reports_its_problems(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text('[site]\nname = "x"\n[[rule]]\nid = "r"\nmetric = "m"\ncritical = "=> 1"\n')
    test_file = tmp_path / "t.test.toml"
    test_file.write_text('config = "checks.toml"\nstart = "2026-11-23T10:00:00+08:00"\n')
    result = run_cli("test-rules", str(test_file))
    assert result.returncode == 1
    assert "checks.toml:6:12: bad condition '=> 1'" in result.stdout
