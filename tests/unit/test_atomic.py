"""Atomic file writes: old or new content, never partial; errors name the path; unsafe directories refused."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from dutyroom.atomic import AtomicWriteError, UnsafeDirectoryError, document_mode, write_atomically


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


@pytest.mark.parametrize("mode", [0o757, 0o777, 0o2777])
def test_a_directory_writable_by_others_without_the_sticky_bit_is_refused(tmp_path: Path, mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)

    with pytest.raises(UnsafeDirectoryError, match=f"{shared}: .*writable by others without the sticky bit"):
        write_atomically(shared / "handover.md", "x")

    assert list(shared.iterdir()) == []


def test_a_sticky_directory_writable_by_all_like_tmp_is_written(tmp_path: Path) -> None:
    sticky = tmp_path / "tmp"
    sticky.mkdir()
    sticky.chmod(0o1777)

    write_atomically(sticky / "handover.txt", "night shift\n", mode=0o600)

    assert (sticky / "handover.txt").read_text() == "night shift\n"
    assert stat.S_IMODE((sticky / "handover.txt").stat().st_mode) == 0o600
    assert leftovers(sticky) == []


def test_a_setgid_team_directory_is_written_and_the_team_can_read(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    team.chmod(0o2770)
    assert document_mode(team) == 0o640
    assert document_mode(tmp_path) == 0o600

    write_atomically(team / "report.csv", "a,b\r\n", mode=document_mode(team))

    assert stat.S_IMODE((team / "report.csv").stat().st_mode) == 0o640
    assert (team / "report.csv").stat().st_gid == team.stat().st_gid


def test_the_services_state_directory_shares_with_its_group_so_the_team_reads(tmp_path: Path) -> None:
    """The unit's StateDirectoryMode=0750, group the service's own: the team (that group) reads the handover."""
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(0o750)
    assert state.stat().st_gid == os.getegid()
    assert document_mode(state) == 0o640


@pytest.mark.parametrize("mode", [0o700, 0o710, 0o755, 0o751])
def test_a_directory_others_may_enter_or_the_group_may_not_list_keeps_files_private(tmp_path: Path, mode: int) -> None:
    directory = tmp_path / "out"
    directory.mkdir()
    directory.chmod(mode)
    assert document_mode(directory) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another group needs root")
def test_a_group_readable_directory_of_another_group_keeps_files_private(tmp_path: Path) -> None:
    """Without setgid the file would carry the writer's group, not the directory's: 0640 would share it wrongly."""
    directory = tmp_path / "theirs"
    directory.mkdir()
    directory.chmod(0o750)
    os.chown(directory, -1, 65534)
    assert document_mode(directory) == 0o600


def test_the_mode_asked_for_holds_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_atomically(tmp_path / "report.md", "x", mode=0o640)
    finally:
        os.umask(previous)

    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o640


def test_a_symlink_at_the_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    (tmp_path / "handover.txt").symlink_to(victim)

    with pytest.raises(UnsafeDirectoryError, match=f"{tmp_path / 'handover.txt'}: .*symlink"):
        write_atomically(tmp_path / "handover.txt", "x")

    assert victim.read_text() == "keep me"
    assert (tmp_path / "handover.txt").is_symlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_target_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "handover.txt"
    theirs.write_text("their handover")
    os.chown(theirs, 65534, 65534)

    with pytest.raises(UnsafeDirectoryError, match=f"{theirs}: .*owned by another user"):
        write_atomically(theirs, "x")

    assert theirs.read_text() == "their handover"


def test_a_missing_directory_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(AtomicWriteError, match=str(tmp_path / "absent")):
        write_atomically(tmp_path / "absent" / "handover.md", "x")


def test_the_error_is_an_oserror_for_callers_that_catch_those(tmp_path: Path) -> None:
    (tmp_path / "dir-in-the-way").mkdir()

    with pytest.raises(OSError, match="dir-in-the-way"):
        write_atomically(tmp_path / "dir-in-the-way", "x")
    assert leftovers(tmp_path) == []
