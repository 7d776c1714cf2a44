"""Flap detection, Icinga's way: the weighted share of state changes in the last 20 check results.

Newer changes weigh more (0.8 for the oldest up to 1.18 for the newest); flapping starts above 30 % and
stops below 25 %, so a check hovering around one threshold does not toggle the flag itself.
"""

from __future__ import annotations

HISTORY = 20
START_PERCENT = 30.0
STOP_PERCENT = 25.0


def record_change(history: list[bool], changed: bool) -> list[bool]:
    """The change history with one more result (oldest first), at most HISTORY long."""
    return [*history, changed][-HISTORY:]


def flapping_percent(history: list[bool]) -> float:
    """Weighted percentage of results in `history` that changed state."""
    offset = HISTORY - len(history)
    weighted = sum(0.8 + 0.02 * (offset + index) for index, changed in enumerate(history) if changed)
    return 100.0 * weighted / HISTORY


def next_flapping(flapping: bool, history: list[bool]) -> bool:
    """Whether the check is flapping after this result, with hysteresis between start and stop."""
    percent = flapping_percent(history)
    if flapping:
        return percent >= STOP_PERCENT
    return percent > START_PERCENT
