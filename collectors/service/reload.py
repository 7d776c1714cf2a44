"""Config reload for a running poller: notice changed files, validate them, keep the old room when bad.

A failed reload leaves the running configuration in force and says why (first problem as file:line:col),
so every console can show "reload failed" until the file is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dutyroom.room import Room, check_room, playbooks_dir_for

WATCH_EVERY_S = 2.0


@dataclass(frozen=True)
class ReloadOutcome:
    room: Room | None
    status: str
    """'' after a good reload; 'reload failed: file:line:col: message (and N more)' otherwise."""


def watched_files(config_path: Path, playbooks_dir: Path | None) -> list[Path]:
    files = [config_path]
    calendars = config_path.parent / "calendars"
    if calendars.is_dir():
        files += sorted(calendars.glob("*.toml"))
    directory = playbooks_dir_for(config_path, playbooks_dir)
    if directory.is_dir():
        files += sorted(directory.rglob("*.md"))
    return files


def files_fingerprint(config_path: Path, playbooks_dir: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every file the room is read from: a change means 'reload'."""
    stamp = []
    for path in watched_files(config_path, playbooks_dir):
        try:
            info = path.stat()
        except OSError:
            stamp.append((str(path), -1, -1))
            continue
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def try_reload(config_path: Path, playbooks_dir: Path | None) -> ReloadOutcome:
    room, problems = check_room(config_path, playbooks_dir)
    if room is not None:
        return ReloadOutcome(room, "")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    first = str(problems[0]) if problems else "unknown problem"
    return ReloadOutcome(None, f"reload failed: {first}{more}")
