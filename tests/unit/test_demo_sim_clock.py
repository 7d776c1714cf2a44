"""`dutyroom demo --clock-start`: HH:MM lands on the first trading day where it is still ahead."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.trading_calendar import load_calendars
from tui.demo.sim_clock import ClockStartError, clock_start, simulated_clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = load_calendars(sorted((Path(__file__).resolve().parents[2] / "calendars").glob("*.toml")))


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-12-05T10:00", "2026-12-07T08:10"),  # a Saturday: the Monday
        ("2026-12-07T07:00", "2026-12-07T08:10"),  # a trading day before 08:10: today
        ("2026-12-07T09:00", "2026-12-08T08:10"),  # after it: tomorrow
        ("2026-09-30T12:00", "2026-10-08T08:10"),  # the eve of National Day: after the closure
    ],
)
def test_hh_mm_is_the_first_trading_day_where_it_is_ahead(now: str, expected: str) -> None:
    assert clock_start("08:10", CALENDAR, SHANGHAI, at(now)) == datetime.fromisoformat(expected).replace(
        tzinfo=SHANGHAI
    )


def test_an_iso_time_is_taken_as_given_and_the_clock_runs_from_it() -> None:
    start = clock_start("2026-12-07T08:14:50", CALENDAR, SHANGHAI, at("2026-12-05T10:00"))
    clock = simulated_clock(start, at("2026-12-05T10:00"))
    assert clock.offset_s == at("2026-12-07T08:14:50") - at("2026-12-05T10:00")


@pytest.mark.parametrize("text", ["8h10", "25:00", "tomorrow morning"])
def test_a_bad_start_is_refused(text: str) -> None:
    with pytest.raises(ClockStartError, match="--clock-start: bad time"):
        clock_start(text, CALENDAR, SHANGHAI, at("2026-12-05T10:00"))
