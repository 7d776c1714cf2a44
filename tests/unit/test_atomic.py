"""Atomic file writes: old or new content, never partial; errors name the path; unsafe directories refused."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from dutyroom.atomic import AtomicWriteError, UnsafeDirectoryError, write_atomically


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".tmp"))


def fd_is_under(fd: int, directory: Path) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith(str(directory))
    except OSError:
        return False


def test_writes_bytes_and_text_and_replaces_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "handover.md"

    write_atomically(target, b"first\n")
    write_atomically(target, "第二班 handover ✔\n")

    assert target.read_text(encoding="utf-8") == "第二班 handover ✔\n"
    assert leftovers(tmp_path) == []


def test_the_file_is_synced_before_the_rename_and_the_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def recording_fsync(fd: int) -> None:
        steps.append("fsync-dir" if os.path.isdir(os.readlink(f"/proc/self/fd/{fd}")) else "fsync-file")
        real_fsync(fd)

    def recording_replace(source: str | Path, destination: str | Path) -> None:
        steps.append("rename")
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)

    write_atomically(tmp_path / "report.txt", "text")

    assert steps == ["fsync-file", "rename", "fsync-dir"]


def test_short_writes_are_continued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def three_bytes_at_a_time(fd: int, data: bytes | memoryview) -> int:
        return real_write(fd, bytes(data[:3])) if fd_is_under(fd, tmp_path) else real_write(fd, data)

    monkeypatch.setattr(os, "write", three_bytes_at_a_time)

    write_atomically(tmp_path / "out.txt", "0123456789abcdef")

    assert (tmp_path / "out.txt").read_text() == "0123456789abcdef"


@pytest.mark.parametrize("failing_call", ["write", "fsync"])
def test_disk_full_keeps_the_previous_file_and_names_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: str
) -> None:
    target = tmp_path / "handover.md"
    write_atomically(target, "previous handover\n")
    real_call = getattr(os, failing_call)

    def disk_full(fd: int, *args: object) -> object:
        if fd_is_under(fd, tmp_path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_call(fd, *args)

    monkeypatch.setattr(os, failing_call, disk_full)

    with pytest.raises(AtomicWriteError) as raised:
        write_atomically(target, "new handover\n" * 1000)

    assert str(target) in str(raised.value)
    assert "No space left on device" in str(raised.value)
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.path == target
    monkeypatch.undo()
    assert target.read_text() == "previous handover\n"
    assert leftovers(tmp_path) == []


def test_a_symlinked_directory_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)

    with pytest.raises(UnsafeDirectoryError, match=f"{tmp_path / 'link'}: the directory is a symlink"):
        write_atomically(tmp_path / "link" / "handover.md", "x")

    assert list(real.iterdir()) == []


@pytest.mark.parametrize("mode", [0o770, 0o757, 0o1777])
def test_a_directory_writable_by_group_or_others_is_refused(tmp_path: Path, mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)

    with pytest.raises(UnsafeDirectoryError, match=f"{shared}: .*writable by group or others"):
        write_atomically(shared / "handover.md", "x")

    assert list(shared.iterdir()) == []


def test_a_missing_directory_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(AtomicWriteError, match=str(tmp_path / "absent")):
        write_atomically(tmp_path / "absent" / "handover.md", "x")


def test_the_error_is_an_oserror_for_callers_that_catch_those(tmp_path: Path) -> None:
    (tmp_path / "dir-in-the-way").mkdir()

    with pytest.raises(OSError, match="dir-in-the-way"):
        write_atomically(tmp_path / "dir-in-the-way", "x")
    assert leftovers(tmp_path) == []
