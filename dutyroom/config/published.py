"""The poller's last good configuration, published in the state directory for consoles and commands.

While checks.toml on disk is broken, the poller keeps running the configuration it last loaded; consoles and
`alerts`/`ack` used to exit with the file's error instead. The poller therefore writes what it runs to
`<state>/published/checks.json` at start and after every good reload, and readers start from that copy when
the file on disk does not load. It holds the validated `Config` re-encoded, never the file's text: secrets
appear only as references (`{ env = ... }`, `{ file = ... }`), and comments, which might hold anything, are
dropped. The folder is the publisher's own (mode 0755, the file 0644), so whoever can enter the state
directory can read it and nobody else can rewrite it, even where the state directory is group-writable.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from dutyroom.atomic import write_atomically
from dutyroom.config.load import LoadedConfig, load_config_document
from dutyroom.config.problems import ConfigError

PUBLISHED_DIR = "published"
PUBLISHED_NAME = "checks.json"
FORMAT = 1

Stamp = tuple[int, int, int]
"""Inode, size and modification time of the published file: a change means 'a new configuration'."""


class PublishedConfigError(Exception):
    """There is no usable published configuration; the message says why."""


@dataclass(frozen=True)
class PublishedConfig:
    config: LoadedConfig
    """Loaded with secrets unresolved, relative paths resolved against the original checks.toml."""
    published_at: float
    source: Path
    """The checks.toml the poller loaded it from."""


def published_path(state_dir: Path) -> Path:
    return Path(state_dir) / PUBLISHED_DIR / PUBLISHED_NAME


def publish_config(config: LoadedConfig, state_dir: Path, now: float) -> Path:
    """Write `config` (secret references only) atomically; raises OSError (AtomicWriteError) when it cannot."""
    path = published_path(state_dir)
    directory = path.parent
    directory.mkdir(mode=0o755, exist_ok=True)
    os.chmod(directory, 0o755)  # not group-writable whatever the umask, so the atomic rename can be trusted
    document = {
        "format": FORMAT,
        "source": str(config.path.resolve()),
        "published_at": now,
        "config": json.loads(msgspec.json.encode(config.parsed)),
    }
    write_atomically(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    os.chmod(path, 0o644)
    return path


def published_stamp(state_dir: Path) -> Stamp | None:
    """Cheap to call every tick: None when nothing is published."""
    try:
        info = published_path(state_dir).stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def read_published(state_dir: Path) -> PublishedConfig:
    """The published configuration, validated again; PublishedConfigError when there is none or it is unusable."""
    path = published_path(state_dir)
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishedConfigError(f"no configuration published in {path.parent.parent}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PublishedConfigError(f"cannot read {path}: {error}") from None
    readable = isinstance(document, dict) and document.get("format") == FORMAT
    if not readable or not isinstance(document.get("config"), dict):
        raise PublishedConfigError(f"{path} is not a configuration this dutyroom can read")
    source = Path(str(document.get("source", "")))
    published_at = document.get("published_at")
    try:
        config = load_config_document(document["config"], source, source=str(path))
    except ConfigError as error:
        raise PublishedConfigError(f"the published configuration no longer loads: {error.problems[0]}") from None
    return PublishedConfig(config, float(published_at) if isinstance(published_at, int | float) else 0.0, source)
