"""One poller per state directory: an exclusive, non-blocking lock that the kernel drops when the holder dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = "poller.lock"


class StateLocked(Exception):  # noqa: N818 - names the situation the operator must resolve
    """Another live process polls this state directory."""


class PollerLock:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise StateLocked naming the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StateLocked(
                f"another dutyroom poller (pid {holder}) is running on {self.path.parent}; "
                "attach a console to it instead, or stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PollerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def poller_is_running(state_dir: Path) -> bool:
    """True when some process holds the poller lock on `state_dir`."""
    path = state_dir / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
