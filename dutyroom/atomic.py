"""Write a file so that readers see either the old content or the new, never a partial file (R7, R9).

The data goes to a temp file in the same directory, is flushed and fsynced, renamed over the final name, and
the directory is fsynced so the rename itself survives a power cut. On any error the temp file is removed,
the previous file stays intact, and the error names the path.
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
    """The target directory is a symlink or writable by group/others, so a rename there cannot be trusted."""


def write_atomically(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` (str is written as UTF-8) atomically and durably."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    directory = path.parent
    check_directory_is_safe(directory)
    temp_path = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        _write_and_sync(temp_path, payload)
        os.replace(temp_path, path)
    except OSError as exc:
        _remove_quietly(temp_path)
        raise AtomicWriteError(path, _describe(exc), exc.errno or 0) from exc
    try:
        fsync_directory(directory)
    except OSError as exc:
        raise AtomicWriteError(path, f"written, but the directory could not be synced: {_describe(exc)}") from exc


def check_directory_is_safe(directory: Path) -> None:
    """Refuse a directory that is a symlink, missing, or writable by group or others."""
    if directory.is_symlink():
        raise UnsafeDirectoryError(directory, "the directory is a symlink; refusing to write there")
    try:
        mode = directory.stat().st_mode
    except OSError as exc:
        raise AtomicWriteError(directory, _describe(exc), exc.errno or 0) from exc
    if not stat.S_ISDIR(mode):
        raise AtomicWriteError(directory, "not a directory", errno.ENOTDIR)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeDirectoryError(
            directory, f"the directory is writable by group or others (mode {stat.S_IMODE(mode):04o})"
        )


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_and_sync(temp_path: Path, payload: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temp_path, flags, 0o644)
    try:
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
