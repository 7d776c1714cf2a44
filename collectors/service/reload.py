"""Config reload for a running poller: notice changed files, validate them, keep the old room when bad.

A failed reload leaves the running configuration in force and says why (first problem as file:line:col),
so every console can show "reload failed" until the file is fixed. A reload never raises: a room is taken only
when it passes everything `dutyroom check` checks (collectors' profiles and metrics included) and the parts a
new generation builds before it polls (the engine, the trap receiver) have been built once as a rehearsal;
anything else that goes wrong while reading is a failed reload too. The room that runs is published in the
state directory (`dutyroom.config.published`) for consoles and commands to start from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from collectors.config_check import check_collectors
from collectors.factory import build_trap_receiver
from dutyroom.config.problems import Problem
from dutyroom.config.published import publish_config
from dutyroom.model import PollResult
from dutyroom.room import Room, check_room, playbooks_dir_for
from dutyroom.rules.engine import Engine

log = logging.getLogger(__name__)

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
    """The reloaded room, or None and why not; never raises."""
    try:
        room, problems = check_room(config_path, playbooks_dir)
        if room is not None:
            problems = check_collectors(room.config) or rehearse(room)
    except Exception as error:  # a reload never takes the poller down, whatever the files hold
        log.warning("reload of %s failed: %s", config_path, type(error).__name__)
        return ReloadOutcome(None, f"reload failed: {config_path}: cannot be read ({type(error).__name__})")
    if room is not None and not problems:
        return ReloadOutcome(room, "")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    first = str(problems[0]) if problems else "unknown problem"
    return ReloadOutcome(None, f"reload failed: {first}{more}")


def rehearse(room: Room) -> list[Problem]:
    """Build what a generation builds before it polls, and throw it away: a room that cannot be built is refused."""
    config = room.config
    try:
        Engine(config)
        build_trap_receiver(config, _discard)
    except Exception as error:
        return [Problem(str(config.path), 1, 1, f"the configuration cannot be started: {error}")]
    return []


def _discard(result: PollResult) -> None:
    del result


def publish_room(room: Room, state_dir: Path, now: float) -> str:
    """Publish the room's configuration for consoles and commands; '' when done, else why not (never raises)."""
    try:
        publish_config(room.config, state_dir, now)
    except Exception as error:  # publishing is a convenience for readers: it never stops the poller
        log.warning("cannot publish the configuration in %s: %s", state_dir, error)
        return f"configuration not published: {error}"
    return ""
