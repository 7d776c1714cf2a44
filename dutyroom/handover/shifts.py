"""Shift windows from `site.shifts` (local start times) and the fixed pattern of handover file names.

The handover covers the shift that contains `now`, except in its first `GRACE_S`: an outgoing operator
writing at 08:10 means the night that just ended, not ten minutes of day shift. `--shift-start` picks any
shift (and any start time) explicitly. With two shifts, the one starting in the morning is "day" and the
other "night"; otherwise a shift is named by its start time (e.g. "0730").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

GRACE_S = 3600.0
DEFAULT_SHIFTS = ("00:00",)
HANDOVER_NAME = re.compile(r"^handover-(\d{8}T\d{6})-([a-z]+|\d{4})\.(md|txt)$")
"""handover-YYYYmmddTHHMMSS-<shift>.<md|txt>: the only names dutyroom gives handover files."""


class ShiftError(ValueError):
    """The shift configuration or a requested shift start cannot be used."""


@dataclass(frozen=True, slots=True)
class ShiftWindow:
    start: float
    end: float
    """When the shift ends (it may be after `now`)."""
    next_end: float
    """When the shift after it ends: silences ending before then matter to the incoming operator."""
    label: str
    """"day", "night" or the start time as HHMM; safe in a file name."""

    def contains(self, at: float) -> bool:
        return self.start <= at < self.end


def parse_shift_times(shifts: list[str] | tuple[str, ...]) -> tuple[time, ...]:
    """Distinct shift start times, sorted; raises ShiftError naming a bad entry."""
    parsed: set[time] = set()
    for text in shifts or DEFAULT_SHIFTS:
        try:
            parsed.add(time.fromisoformat(text).replace(second=0, microsecond=0))
        except ValueError:
            raise ShiftError(f"site.shifts: bad time '{text}' (use HH:MM)") from None
    return tuple(sorted(parsed))


def shift_label(start: time, starts: tuple[time, ...]) -> str:
    if len(starts) == 2 and start in starts:
        morning = [item for item in starts if time(4) <= item < time(12)]
        evening = [item for item in starts if item >= time(12) or item < time(4)]
        if len(morning) == 1 and len(evening) == 1:
            return "day" if start == morning[0] else "night"
    return f"{start.hour:02d}{start.minute:02d}"


def shift_window(
    shifts: list[str] | tuple[str, ...],
    timezone: ZoneInfo,
    now: float,
    *,
    shift_start: float | None = None,
    grace_s: float = GRACE_S,
) -> ShiftWindow:
    """The shift to hand over at `now` (or the one starting at `shift_start`)."""
    starts = parse_shift_times(shifts)
    anchor = now if shift_start is None else shift_start
    if shift_start is not None and shift_start > now:
        raise ShiftError("the shift start is in the future")
    bounds = _boundaries(starts, timezone, anchor)
    if shift_start is not None:
        start = shift_start
    else:
        start = max(bound for bound in bounds if bound <= now)
        if now - start < grace_s:
            start = max(bound for bound in bounds if bound < start)
    end = min(bound for bound in bounds if bound > start)
    next_end = min(bound for bound in bounds if bound > end)
    local_start = datetime.fromtimestamp(start, timezone).time().replace(second=0, microsecond=0)
    if shift_start is not None and local_start not in starts:
        label = f"{local_start.hour:02d}{local_start.minute:02d}"
    else:
        label = shift_label(local_start, starts)
    return ShiftWindow(start, end, next_end, label)


def handover_file_name(now: float, timezone: ZoneInfo, window: ShiftWindow, fmt: str) -> str:
    """handover-YYYYmmddTHHMMSS-<shift>.<fmt>, the time being when it is written (local)."""
    if fmt not in ("md", "txt"):
        raise ShiftError(f"unknown format {fmt!r}")
    name = f"handover-{datetime.fromtimestamp(now, timezone):%Y%m%dT%H%M%S}-{window.label}.{fmt}"
    if not HANDOVER_NAME.fullmatch(name):
        raise ShiftError(f"internal: {name!r} does not match the handover name pattern")
    return name


def latest_handover(directory: Path) -> Path | None:
    """The newest file named by the handover pattern in `directory` (names sort by time), or None."""
    try:
        names = sorted(entry.name for entry in directory.iterdir() if HANDOVER_NAME.fullmatch(entry.name))
    except OSError:
        return None
    return directory / names[-1] if names else None


def _boundaries(starts: tuple[time, ...], timezone: ZoneInfo, around: float) -> list[float]:
    """Shift start instants from three days before `around` to two days after, sorted."""
    day = datetime.fromtimestamp(around, timezone).date()
    bounds = {
        datetime.combine(day + timedelta(days=offset), start, tzinfo=timezone).timestamp()
        for offset in range(-3, 3)
        for start in starts
    }
    return sorted(bounds)
