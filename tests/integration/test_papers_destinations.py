"""Where `dutyroom handover` and `dutyroom report` may write: standard output with `--out -`, the sticky `/tmp`,
a setgid team directory; and the one-line refusals of the places someone else could swap the file.
"""

# ruff: noqa: F811 (the fixture imported from test_handover_history is a parameter here)
from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from test_handover_history import TZ, ShiftHistory, shift  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


@pytest.fixture
def in_tmp() -> Iterator[Path]:
    """A fresh name in the real /tmp (sticky, writable by all), removed afterwards."""
    path = Path("/tmp") / f"dutyroom-papers-{uuid.uuid4().hex[:12]}"
    try:
        yield path
    finally:
        for suffix in (".txt", ".csv", ".md"):
            path.with_suffix(suffix).unlink(missing_ok=True)


def since(shift: ShiftHistory) -> str:
    return datetime.fromtimestamp(shift.shift_start - 3600, TZ).strftime("%Y-%m-%dT%H:%M")


def test_out_dash_prints_the_handover_and_writes_no_file_named_dash(shift: ShiftHistory) -> None:
    state = shift.copy_state("state-stdout")

    printed = shift.cli("handover", "--format", "txt", "--out", "-", state=state)

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("Shift handover: ")
    assert "Sign-off" in printed.stdout
    assert "handover written" not in printed.stdout
    assert not (Path.cwd() / "-").exists()
    assert not (shift.root / "-").exists()


def test_out_dash_prints_the_report(shift: ShiftHistory) -> None:
    printed = shift.cli("report", "--since", since(shift), "--format", "csv", "--out", "-")

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("\ufeff")
    assert "report written" not in printed.stdout


def test_handover_and_report_are_written_into_the_sticky_tmp(shift: ShiftHistory, in_tmp: Path) -> None:
    state = shift.copy_state("state-tmp")
    handover, report = in_tmp.with_suffix(".txt"), in_tmp.with_suffix(".csv")

    wrote = shift.cli("handover", "--format", "txt", "--lang", "zh", "--out", str(handover), state=state)
    reported = shift.cli("report", "--since", since(shift), "--out", str(report))

    assert wrote.returncode == 0, wrote.stderr
    assert reported.returncode == 0, reported.stderr
    assert handover.read_text(encoding="utf-8").startswith("交接班记录")
    assert stat.S_IMODE(handover.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert not list(Path("/tmp").glob(f".{in_tmp.name}*.tmp"))


def test_a_setgid_team_directory_gets_files_the_team_can_read(shift: ShiftHistory, tmp_path: Path) -> None:
    team = tmp_path / "duty-team"
    team.mkdir()
    team.chmod(0o2770)
    state = shift.copy_state("state-team")

    wrote = shift.cli("handover", "--out", str(team / "handover.md"), state=state)
    reported = shift.cli("report", "--since", since(shift), "--out", str(team / "report.md"))

    assert wrote.returncode == 0, wrote.stderr
    assert reported.returncode == 0, reported.stderr
    for name in ("handover.md", "report.md"):
        assert stat.S_IMODE((team / name).stat().st_mode) == 0o640
        assert (team / name).stat().st_gid == team.stat().st_gid


def test_a_directory_anyone_may_write_without_the_sticky_bit_is_refused_in_one_line(
    shift: ShiftHistory, tmp_path: Path
) -> None:
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)

    refused = shift.cli("report", "--since", since(shift), "--out", str(open_dir / "report.md"))

    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0, refused.stderr
    assert "writable by others without the sticky bit" in refused.stderr
    assert list(open_dir.iterdir()) == []


def test_a_symlink_at_the_target_is_refused_in_one_line(shift: ShiftHistory, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (tmp_path / "handover.md").symlink_to(victim)
    state = shift.copy_state("state-symlink")

    refused = shift.cli("handover", "--out", str(tmp_path / "handover.md"), state=state)

    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0, refused.stderr
    assert "symlink" in refused.stderr
    assert victim.read_text() == "keep"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_owned_by_another_user_is_not_replaced(shift: ShiftHistory, in_tmp: Path) -> None:
    theirs = in_tmp.with_suffix(".md")
    theirs.write_text("their report")
    os.chown(theirs, 65534, 65534)

    refused = shift.cli("report", "--since", since(shift), "--out", str(theirs))

    assert refused.returncode == 1
    assert "owned by another user" in refused.stderr
    assert theirs.read_text() == "their report"
