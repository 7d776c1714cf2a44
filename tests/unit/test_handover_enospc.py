"""R9 through the command line, in process: the disk fills up (os.write raises ENOSPC for handover files) or the
handover directory cannot be trusted. The previous file stays intact, no partial file is left, and the operator
sees the error with the path and exit status 1, never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from dutyroom.store.database import Store
from tui.cli.main import main

CONFIG = '[site]\nname = "disk room"\nshifts = ["08:00", "20:00"]\n'


@pytest.fixture
def room(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    Store.open(tmp_path / "state").close()  # the room's state exists: handover and report never create it
    return config, tmp_path / "state"


def handover(room: tuple[Path, Path], *extra: str) -> int:
    config, state = room
    return main(["handover", "--config", str(config), "--state", str(state), *extra])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_disk(monkeypatch: pytest.MonkeyPatch, path_part: str) -> None:
    """From now on, writes to files whose path contains `path_part` fail with ENOSPC; others go through."""
    real_write = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if path_part in target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_disk_full_keeps_the_previous_handover(
    room: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert handover(room) == 0
    directory = room[1] / "handovers"
    (previous,) = directory.iterdir()
    before = digest(previous)
    capsys.readouterr()
    fill_disk(monkeypatch, "/handovers/")
    assert handover(room, "--out", str(previous)) == 1
    error = capsys.readouterr().err
    assert f"cannot write {previous}: No space left on device" in error
    assert "Traceback" not in error
    assert handover(room) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert [entry.name for entry in directory.iterdir()] == [previous.name], "a partial or new file was left"
    assert digest(previous) == before


def test_sign_on_a_full_disk_says_what_was_recorded(
    room: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert handover(room) == 0
    (previous,) = (room[1] / "handovers").iterdir()
    before = digest(previous)
    capsys.readouterr()
    fill_disk(monkeypatch, "/handovers/")
    assert handover(room, "--sign") == 1
    error = capsys.readouterr().err
    assert "the signature is recorded (action #1)" in error
    assert f"cannot write {previous}: No space left on device" in error
    assert digest(previous) == before
    monkeypatch.undo()
    assert handover(room, "--sign") == 0, "signing again once there is room rewrites the file"
    assert "as outgoing (signed before; file refreshed)" in capsys.readouterr().out
    assert "Outgoing: " in previous.read_text()


def test_report_on_a_full_disk(
    room: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config, state = room
    out = config.parent / "report.md"
    out.write_text("last quarter's report\n")
    fill_disk(monkeypatch, str(config.parent / ".report.md"))
    status = main(
        ["report", "--since", "2026-01-01", "--out", str(out), "--config", str(config), "--state", str(state)]
    )
    assert status == 1
    assert f"cannot write {out}: No space left on device" in capsys.readouterr().err
    assert out.read_text() == "last quarter's report\n"
    assert sorted(entry.name for entry in config.parent.iterdir()) == ["checks.toml", "report.md", "state"]


def test_a_directory_others_can_write_is_refused(room: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert handover(room) == 0
    directory = room[1] / "handovers"
    directory.chmod(0o777)
    assert handover(room) == 1
    error = capsys.readouterr().err
    assert f"cannot write {directory}: the directory is writable by others without the sticky bit (mode 0777)" in error
    assert len(list(directory.iterdir())) == 1


def test_a_symlinked_directory_is_refused(room: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, state = room
    elsewhere = config.parent / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (state / "handovers").symlink_to(elsewhere)
    assert handover(room) == 1
    assert "the directory is a symlink; refusing to write there" in capsys.readouterr().err
    assert not list(elsewhere.iterdir())
