"""Secrets from `{ env = ... }` or `{ file = ... }`, never from config text, never printed.

A secret file readable or writable by group or others is refused, as ssh refuses an unprotected key.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dutyroom.config.types import Secret


class SecretError(ValueError):
    """A secret that cannot be read safely; the message never contains the secret."""


@dataclass(frozen=True, slots=True)
class SecretValue:
    """A resolved secret; its repr hides the value so it cannot leak into logs or tracebacks."""

    value: str = field(repr=False)
    source: str = ""

    def __str__(self) -> str:
        return f"<secret from {self.source}>"


def secret_problem(secret: Secret, base_dir: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """Why `secret` cannot be used, or None when it can."""
    try:
        resolve_secret(secret, base_dir, environ)
    except SecretError as error:
        return str(error)
    return None


def resolve_secret(secret: Secret, base_dir: Path, environ: Mapping[str, str] | None = None) -> SecretValue:
    """Read the secret's value from its environment variable or its protected file."""
    environ = os.environ if environ is None else environ
    if (secret.env is None) == (secret.file is None):
        raise SecretError("a secret needs exactly one of 'env' or 'file'")
    if secret.env is not None:
        if secret.env not in environ:
            raise SecretError(f"environment variable {secret.env} is not set")
        return SecretValue(environ[secret.env], f"env {secret.env}")
    path = Path(secret.file or "")
    if not path.is_absolute():
        path = base_dir / path
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SecretError(f"secret file {path} does not exist") from None
    except OSError as error:
        raise SecretError(f"secret file {path} cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SecretError(f"secret file {path} is not a regular file")
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(
            f"secret file {path} is accessible by group or others (mode {stat.S_IMODE(info.st_mode):04o}); chmod 600 it"
        )
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise SecretError(f"secret file {path} cannot be read") from None
    return SecretValue(text, f"file {path}")
