"""`dutyroom serve` on a state directory it may not own alone: one log line saying what to change, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

DUTYROOM = Path(sys.executable).with_name("dutyroom")


def serve(tmp_path: Path, state: Path) -> subprocess.CompletedProcess[str]:
    if not DUTYROOM.exists():
        pytest.skip("the dutyroom entry point is not installed in this environment")
    config = tmp_path / "checks.toml"
    config.write_text('[site]\nname = "owned room"\n')
    (tmp_path / "playbooks").mkdir()
    return subprocess.run(
        [str(DUTYROOM), "serve", "--seconds", "1", "--config", str(config), "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_group_shared_state_directory_is_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(0o2770)

    result = serve(tmp_path, state)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"ERROR {state}: the state directory is writable by its group (mode 2770), so anyone there could replace "
        f"the database: chmod g-w,o-w {state} (the duty group reads it at 0750, or uses serve)"
    ]
    assert sorted(path.name for path in state.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_state_directory_of_the_service_user_run_by_hand_as_root_is_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    os.chown(state, 65534, 65534)

    result = serve(tmp_path, state)

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"ERROR {state}: the state directory belongs to ")
    assert "run it as " in result.stderr
    assert list(state.iterdir()) == []  # nothing of root's left behind for the service to trip on


def test_handover_files_are_readable_by_the_duty_group_under_the_units_umask(tmp_path: Path) -> None:
    """As the unit runs it (UMask=0027) in the directories packaging/tmpfiles.d makes (0750)."""
    state = tmp_path / "state"
    served = serve(tmp_path, state)
    assert served.returncode == 0, served.stderr
    state.chmod(0o750)
    (state / "handovers").mkdir(mode=0o750)
    config = tmp_path / "checks.toml"

    written = subprocess.run(
        [str(DUTYROOM), "handover", "--config", str(config), "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.umask(0o027),  # what systemd's UMask=0027 does
    )

    assert written.returncode == 0, written.stderr
    path = Path(written.stdout.strip().removeprefix("handover written: "))
    assert path.parent == state / "handovers"
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert oct((state / "audit.key").stat().st_mode & 0o777) == oct(0o600)
