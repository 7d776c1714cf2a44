"""Write a file so that readers see either the old content or the new, never a partial file (R7, R9).

The data goes to a temp file in the same directory, is flushed and fsynced, renamed over the final name, and
the directory is fsynced so the rename itself survives a power cut. On any error the temp file is removed,
the previous file stays intact, and the error names the path.

Where it may write is decided like `sshd` and `install` decide it: refused are only the places where someone
else could swap the file under us: a directory writable by others without the sticky bit, a symlink (the
directory or the target), a target owned by another user. `/tmp` (sticky) and a setgid team directory
(group-writable, so the team reads what the shift writes) are fine, because the temp file is created with
O_EXCL|O_NOFOLLOW under a random name and only then renamed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path


class AtomicWriteError(OSError):
    """A file could not be written; the previous file at `path` (if any) is unchanged."""

    def __init__(self, path: Path, reason: str, error_code: int = 0) -> None:
        super().__init__(error_code, reason, str(path))
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


class UnsafeDirectoryError(AtomicWriteError):
    """Someone else could swap the file: a symlink, a directory others may write without the sticky bit, or a
    target owned by another user."""


def document_mode(directory: Path) -> int:
    """0640 where the directory is shared with its group, so the team reads the handover; 0600 anywhere else.

    Shared is: a setgid (team) directory, or a directory its group may list and others may not enter (the
    service's state directory, 0750 with the service's group) whose group the file will carry (ours).
    """
    try:
        info = directory.stat()
    except OSError:
        return 0o600
    if info.st_mode & stat.S_ISGID:
        return 0o640
    group_reads = info.st_mode & 0o050 == 0o050
    others_shut_out = info.st_mode & 0o007 == 0
    return 0o640 if group_reads and others_shut_out and info.st_gid == os.getegid() else 0o600


def write_atomically(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace `path` with `data` (str is written as UTF-8) atomically and durably.

    `mode` sets the file's permission bits exactly (whatever the umask); without it the file is 0644 less the
    umask, as `open()` would make it.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    directory = path.parent
    check_directory_is_safe(directory)
    check_target_is_safe(path)
    temp_path = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        _write_and_sync(temp_path, payload, mode)
        os.replace(temp_path, path)
    except OSError as exc:
        _remove_quietly(temp_path)
        raise AtomicWriteError(path, _describe(exc), exc.errno or 0) from exc
    try:
        fsync_directory(directory)
    except OSError as exc:
        raise AtomicWriteError(path, f"written, but the directory could not be synced: {_describe(exc)}") from exc


def check_directory_is_safe(directory: Path) -> None:
    """Refuse a directory that is a symlink, missing, or writable by others without the sticky bit."""
    if directory.is_symlink():
        raise UnsafeDirectoryError(directory, "the directory is a symlink; refusing to write there")
    try:
        mode = directory.stat().st_mode
    except OSError as exc:
        raise AtomicWriteError(directory, _describe(exc), exc.errno or 0) from exc
    if not stat.S_ISDIR(mode):
        raise AtomicWriteError(directory, "not a directory", errno.ENOTDIR)
    if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
        raise UnsafeDirectoryError(
            directory, f"the directory is writable by others without the sticky bit (mode {stat.S_IMODE(mode):04o})"
        )


def check_target_is_safe(path: Path) -> None:
    """Refuse a target that is a symlink or belongs to another user; a missing target is fine."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AtomicWriteError(path, _describe(exc), exc.errno or 0) from exc
    if stat.S_ISLNK(found.st_mode):
        raise UnsafeDirectoryError(path, "the file is a symlink; refusing to write through it")
    if found.st_uid != os.geteuid():
        reason = f"the file is owned by another user (uid {found.st_uid}); refusing to replace it"
        raise UnsafeDirectoryError(path, reason)


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_and_sync(temp_path: Path, payload: bytes, mode: int | None) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp_path, flags, 0o644 if mode is None else mode & 0o600)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(temp_path: Path) -> None:
    # The original error matters more; a leftover hidden .tmp file is harmless.
    with contextlib.suppress(OSError):
        os.unlink(temp_path)


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)
