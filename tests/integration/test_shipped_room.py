"""The shipped checks.toml (the demo room, and the reference example) passes `dutyroom check` as it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_checks_toml_passes_check_without_its_secrets_in_the_environment() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DUTYROOM_")}
    result = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "check", "--config", str(ROOT / "checks.toml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: ")
    assert "28 playbooks" in result.stdout


def test_every_shipped_rule_names_a_playbook() -> None:
    import tomllib

    document = tomllib.loads((ROOT / "checks.toml").read_text(encoding="utf-8"))
    assert document["defaults"]["require_playbook"] is True
    assert all(rule.get("playbook") for rule in document["rule"])
