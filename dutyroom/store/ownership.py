"""Who may write a state directory: the user who owns it, alone. Checked before anything is written there.

A directory shared for writing with a group, or owned by another user (often: `sudo dutyroom serve` run once by
hand in the service's directory, leaving root's files behind), would end in a permission error deep in SQLite
or, worse, in files the service can no longer write. Each case is one line that says what to change. Reading
is not checked here: consoles of the duty group may read a directory the service keeps (mode 0750).
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from dutyroom.store.records import StoreError

OWNED_FILES = ("dutyroom.db", "dutyroom.db-wal", "dutyroom.db-shm", "audit.key", "poller.lock")
"""The files a writer opens for writing; each must be the writer's own."""


def check_writer_owns(state_dir: Path) -> None:
    """StoreError (one line, with the fix) unless this process's user owns `state_dir` and its files, and the
    directory is writable by that user alone."""
    me = os.geteuid()
    info = _stat(state_dir)
    if info.st_uid != me:
        owner = user_name(info.st_uid)
        raise StoreError(
            f"{state_dir}: the state directory belongs to {owner}, not to {user_name(me)} who runs this: "
            f"run it as {owner} (e.g. sudo -u {owner} dutyroom ...), or chown -R {user_name(me)} {state_dir}"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        whom = "its group" if not mode & stat.S_IWOTH else "others"
        raise StoreError(
            f"{state_dir}: the state directory is writable by {whom} (mode {mode:04o}), so anyone there could "
            f"replace the database: chmod g-w,o-w {state_dir} (the duty group reads it at 0750, or uses serve)"
        )
    for name in OWNED_FILES:
        path = state_dir / name
        try:
            owner_uid = path.lstat().st_uid
        except FileNotFoundError:
            continue
        except OSError as error:
            raise StoreError(f"{path}: cannot check: {error.strerror or error}") from None
        if owner_uid != me:
            owner = user_name(owner_uid)
            raise StoreError(
                f"{path} belongs to {owner}, not to {user_name(me)} who runs this (left by a run as {owner}?): "
                f"chown {user_name(me)} {state_dir}/*, or run as {owner}"
            )


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _stat(state_dir: Path) -> os.stat_result:
    try:
        return state_dir.stat()
    except OSError as error:
        raise StoreError(f"{state_dir}: cannot use as the state directory: {error.strerror or error}") from None
