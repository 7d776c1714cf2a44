"""`dutyroom audit verify` passes on an untouched log and names the record that was altered or removed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

CONFIG = '[site]\nname = "audit room"\n'


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def room(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    state = tmp_path / "state"
    Store.open(state).close()  # the room exists: act commands never create one
    for index in range(3):
        result = cli(
            "silence",
            "--group",
            "power",
            "--for",
            "1h",
            "-m",
            f"UPS maintenance {index}",
            "--config",
            str(config),
            "--state",
            str(state),
        )
        assert result.returncode == 0, result.stderr
    return config, state


def tamper(state: Path, sql: str) -> None:
    connection = sqlite3.connect(state / "dutyroom.db")
    try:
        connection.execute("DROP TRIGGER audit_no_update")
        connection.execute("DROP TRIGGER audit_no_delete")
        connection.execute(sql)
        connection.commit()
    finally:
        connection.close()


def test_untouched_log_verifies(room: tuple[Path, Path]) -> None:
    config, state = room
    result = cli("audit", "verify", "--config", str(config), "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "audit log intact: 3 records" in result.stdout


def test_an_altered_record_is_named(room: tuple[Path, Path]) -> None:
    config, state = room
    tamper(state, "UPDATE audit SET detail = replace(detail, 'maintenance 1', 'maintenance X') WHERE seq = 2")
    result = cli("audit", "verify", "--config", str(config), "--state", str(state))
    assert result.returncode == 1
    assert "audit log damaged: record 2 was changed" in result.stderr


def test_a_removed_record_is_named(room: tuple[Path, Path]) -> None:
    config, state = room
    tamper(state, "DELETE FROM audit WHERE seq = 2")
    result = cli("audit", "verify", "--config", str(config), "--state", str(state))
    assert result.returncode == 1
    assert "audit log damaged: record 2" in result.stderr
