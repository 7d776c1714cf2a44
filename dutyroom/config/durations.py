"""Durations as people write them in config: `500ms`, `10s`, `5m`, `1h30m`, `365d`."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}


class DurationError(ValueError):
    """A duration that does not parse."""


def parse_duration(text: str) -> float:
    """Seconds in `text`; raises DurationError naming the text when it is not a duration."""
    compact = text.strip().replace(" ", "")
    if not compact:
        raise DurationError("empty duration")
    position = 0
    total = 0.0
    for match in _PART.finditer(compact):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if position != len(compact):
        raise DurationError(f"bad duration '{text}' (use e.g. 30s, 5m, 1h30m, 365d)")
    return total


def format_duration(seconds: float) -> str:
    """A short human form: `45s`, `12m`, `3h05m`, `2d04h`."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{int(seconds)}s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"
