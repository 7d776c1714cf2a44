"""Shift windows from site.shifts, the grace period after a shift change, and the fixed handover file names."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.handover.shifts import (
    HANDOVER_NAME,
    ShiftError,
    handover_file_name,
    latest_handover,
    shift_window,
)

TZ = ZoneInfo("Asia/Shanghai")
SHIFTS = ["08:00", "20:00"]


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


def local(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, TZ).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("now", "start", "end", "next_end", "label"),
    [
        ("2026-05-06 14:00", "2026-05-06 08:00", "2026-05-06 20:00", "2026-05-07 08:00", "day"),
        ("2026-05-06 19:55", "2026-05-06 08:00", "2026-05-06 20:00", "2026-05-07 08:00", "day"),
        # Written just after the change: the shift that just ended, not ten minutes of the new one.
        ("2026-05-06 20:10", "2026-05-06 08:00", "2026-05-06 20:00", "2026-05-07 08:00", "day"),
        ("2026-05-06 21:30", "2026-05-06 20:00", "2026-05-07 08:00", "2026-05-07 20:00", "night"),
        ("2026-05-07 03:00", "2026-05-06 20:00", "2026-05-07 08:00", "2026-05-07 20:00", "night"),
        ("2026-05-07 08:20", "2026-05-06 20:00", "2026-05-07 08:00", "2026-05-07 20:00", "night"),
    ],
)
def test_the_shift_to_hand_over(now: str, start: str, end: str, next_end: str, label: str) -> None:
    window = shift_window(SHIFTS, TZ, at(now))
    assert (local(window.start), local(window.end), local(window.next_end), window.label) == (
        start,
        end,
        next_end,
        label,
    )


def test_three_shifts_are_named_by_start_time() -> None:
    window = shift_window(["07:00", "15:00", "23:00"], TZ, at("2026-05-07 01:00"))
    assert (local(window.start), local(window.end), window.label) == ("2026-05-06 23:00", "2026-05-07 07:00", "2300")


def test_no_shifts_configured_means_one_day_long_shift() -> None:
    window = shift_window([], TZ, at("2026-05-07 13:00"))
    assert (local(window.start), local(window.end), window.label) == ("2026-05-07 00:00", "2026-05-08 00:00", "0000")


def test_an_explicit_shift_start() -> None:
    window = shift_window(SHIFTS, TZ, at("2026-05-07 13:00"), shift_start=at("2026-05-05 20:00"))
    assert (local(window.start), local(window.end), window.label) == ("2026-05-05 20:00", "2026-05-06 08:00", "night")
    odd = shift_window(SHIFTS, TZ, at("2026-05-07 13:00"), shift_start=at("2026-05-07 09:30"))
    assert (local(odd.start), local(odd.end), odd.label) == ("2026-05-07 09:30", "2026-05-07 20:00", "0930")
    with pytest.raises(ShiftError, match="future"):
        shift_window(SHIFTS, TZ, at("2026-05-07 13:00"), shift_start=at("2026-05-07 20:00"))


def test_bad_shift_times_are_reported() -> None:
    with pytest.raises(ShiftError, match="bad time '25:00'"):
        shift_window(["08:00", "25:00"], TZ, at("2026-05-07 13:00"))


def test_file_names_follow_the_fixed_pattern(tmp_path: Path) -> None:
    window = shift_window(SHIFTS, TZ, at("2026-05-07 19:42:10"))
    name = handover_file_name(at("2026-05-07 19:42:10"), TZ, window, "md")
    assert name == "handover-20260507T194210-day.md"
    assert HANDOVER_NAME.fullmatch(name)
    with pytest.raises(ShiftError):
        handover_file_name(at("2026-05-07 19:42:10"), TZ, window, "html")
    for other in ("handover-20260507T080510-night.txt", name, "notes.md", "handover-x.md", ".handover-1.md.tmp"):
        (tmp_path / other).write_text("")
    latest = latest_handover(tmp_path)
    assert latest is not None
    assert latest.name == name
    assert latest_handover(tmp_path / "missing") is None
