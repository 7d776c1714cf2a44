"""One poller per state directory: an exclusive, non-blocking lock that the kernel drops when the holder dies.

The lock file also says who polls here. `dutyroom serve` (and the demo) take it as the room's service and leave
a marker, `poller.service`, beside it: from then on a console started on that directory waits for the service
instead of polling itself, so a console that happened to start while the service was down never becomes the
room's only poller, tied to someone's SSH session. A console on a directory without the marker (new, or only
ever polled by consoles) takes the lock itself: the single-machine default.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

from dutyroom.store.ownership import check_writer_owns

LOCK_NAME = "poller.lock"
SERVICE_MARKER = "poller.service"
ACQUIRE_PATIENCE_S = 0.5
"""How long `acquire` keeps trying: consoles and `status` test the lock every tick by taking it shared for an
instant, and a service starting at that very instant must not mistake them for another poller."""
ACQUIRE_RETRY_S = 0.02
SERVICE_MARKER_TEXT = (
    "`dutyroom serve` polls this state directory: consoles started here wait for it instead of polling.\n"
    "Delete this file (with no serve running) to let a console poll here again, or start a console with --poll.\n"
)


class StateLocked(Exception):  # noqa: N818 - names the situation the operator must resolve
    """Another live process polls this state directory."""


@dataclass(frozen=True, slots=True)
class LockState:
    """What the lock file says right now, without taking it."""

    held: bool
    """Some live process holds the lock (the kernel drops it when that process dies)."""
    since: float
    """When the current (or last) holder took it, from the lock file's mtime; 0 when no poller ever ran."""
    pid: int | None
    """The current (or last) holder's pid, as it wrote it."""


class PollerLock:
    """The state directory's poller lock; `service=True` (the default, `dutyroom serve`) also marks the directory
    as the service's, `service=False` is a console polling for itself."""

    def __init__(self, state_dir: Path, *, service: bool = True) -> None:
        self.path = state_dir / LOCK_NAME
        self.service = service
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise StateLocked naming the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        check_writer_owns(self.path.parent)  # a one-line StoreError saying what to change, before any file is made
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # readable: consoles of other users probe it
        deadline = time.monotonic() + ACQUIRE_PATIENCE_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(ACQUIRE_RETRY_S)
                    continue
                holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                raise StateLocked(
                    f"another dutyroom poller (pid {holder}) is running on {self.path.parent}; "
                    "attach a console to it instead, or stop it first"
                ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        if self.service:
            _mark_service(self.path.parent)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PollerLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _mark_service(state_dir: Path) -> None:
    """Leave the marker once; an existing one is kept as it is."""
    with contextlib.suppress(FileExistsError):
        fd = os.open(state_dir / SERVICE_MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, SERVICE_MARKER_TEXT.encode())
        finally:
            os.close(fd)


def is_service_directory(state_dir: Path) -> bool:
    """True when a service (`dutyroom serve`) has polled `state_dir`: consoles there wait for it."""
    return (state_dir / SERVICE_MARKER).exists()


def probe_lock(state_dir: Path) -> LockState:
    """Whether someone holds the poller lock on `state_dir`; creates nothing (a missing file: never held)."""
    path = state_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return LockState(held=False, since=0.0, pid=None)
    except PermissionError:
        # A lock file this user may not read (made by an older version): assume it is held and let the
        # heartbeat's age decide, so a dead poller is still called down after the bound.
        return LockState(held=True, since=0.0, pid=None)
    try:
        since = os.fstat(fd).st_mtime
        text = os.read(fd, 32).decode(errors="replace").strip()
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            held = False
        except BlockingIOError:
            held = True
    finally:
        os.close(fd)
    return LockState(held=held, since=since, pid=int(text) if text.isdigit() else None)


def poller_is_running(state_dir: Path) -> bool:
    """True when some process holds the poller lock on `state_dir`."""
    return probe_lock(state_dir).held
