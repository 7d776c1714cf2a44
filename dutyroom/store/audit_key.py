"""The audit key: the secret that keys the audit chain, so whoever can write the database cannot rewrite it alone.

The key lives beside the database as `audit.key` (64 hex digits), created 0600 on first use by the process
that writes the store: `dutyroom serve` under its own user in a deployment, the user's own console or command
standalone. Its id (a digest of the key, never the key) is stored with each keyed record, so a record keyed
elsewhere is told apart from a changed one. The file is created whole under a temporary name and linked into
place, so two processes opening a fresh state directory at once agree on one key and never read half of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from dutyroom.store.ownership import user_name

KEY_NAME = "audit.key"
KEY_BYTES = 32
_KEY_ID_LABEL = b"dutyroom audit key id\n"


class AuditKeyError(Exception):
    """The key cannot be read or is not private; the message says what to change, in one line."""


@dataclass(frozen=True, slots=True)
class AuditKey:
    secret: bytes = field(repr=False)
    path: Path

    @property
    def key_id(self) -> str:
        """A public name for the key: 16 hex digits of a digest, safe to print and to store."""
        return hashlib.sha256(_KEY_ID_LABEL + self.secret).hexdigest()[:16]

    def mac(self, message: str) -> str:
        return hmac.new(self.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def key_path(state_dir: Path) -> Path:
    return Path(state_dir) / KEY_NAME


def read_key(state_dir: Path) -> AuditKey:
    """The state directory's key; AuditKeyError when missing, unreadable, malformed or readable by others."""
    path = key_path(state_dir)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise AuditKeyError(
            f"{path}: no audit key (the store has not been opened for writing since keying began)"
        ) from None
    except OSError as error:
        raise AuditKeyError(f"{path}: cannot read the audit key: {error.strerror or error}{_whose(path)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        text = handle.read(KEY_BYTES * 2 + 2)
    if not stat.S_ISREG(info.st_mode):
        raise AuditKeyError(f"{path}: the audit key is not a regular file")
    if info.st_mode & 0o077:
        raise AuditKeyError(
            f"{path}: the audit key is readable by others (mode {stat.S_IMODE(info.st_mode):04o}): chmod 600 {path}"
        )
    if info.st_uid != os.geteuid():
        raise AuditKeyError(f"{path}: the audit key belongs to {user_name(info.st_uid)}: run as that user")
    try:
        secret = bytes.fromhex(text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise AuditKeyError(f"{path}: the audit key is not {KEY_BYTES * 2} hex digits")
    return AuditKey(secret, path)


def load_or_create_key(state_dir: Path) -> AuditKey:
    """Read the key, creating it (0600, fsynced) when the state directory has none yet."""
    path = key_path(state_dir)
    if not path.exists() and not path.is_symlink():
        _create_key(path)
    return read_key(state_dir)


def _create_key(path: Path) -> None:
    temporary = path.with_name(f".{KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_hex(KEY_BYTES).encode("ascii") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it first: theirs stands
            os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _whose(path: Path) -> str:
    try:
        owner = path.stat().st_uid
    except OSError:
        return ""
    if owner == os.geteuid():
        return ""
    return f" (it belongs to {user_name(owner)}, the user who writes this store: run as that user)"
