"""Which incidents hit trading and for how long, on the shipped 2026 A-share calendar (trading 09:15-11:30 and
13:00-15:30 on trading days; National Day closes 1-7 October)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.trading_calendar import TradingCalendar, load_calendar
from dutyroom.documents.timeline import Incident, Segment
from dutyroom.documents.trading_hours import incident_impact, trading_overlap

SHIPPED = Path(__file__).resolve().parents[2] / "calendars" / "cn-a-share-2026.toml"
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SH).timestamp()


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return load_calendar(SHIPPED)


def incident(*segments: tuple[str, str | None]) -> Incident:
    found = Incident("f", "link-down", "core-sw", (), at(segments[0][0]), "", drill=False)
    found.segments = [Segment(at(start), None if end is None else at(end), "critical") for start, end in segments]
    return found


@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        ("2026-03-16 10:00", "2026-03-16 10:25", 25 * 60),  # Monday, continuous trading
        ("2026-03-16 11:00", "2026-03-16 13:30", 60 * 60),  # across the lunch break: 30 + 30 minutes
        ("2026-03-16 08:00", "2026-03-16 09:20", 5 * 60),  # pre-open is not trading; the auction is
        ("2026-03-16 15:20", "2026-03-16 16:00", 10 * 60),  # after-hours fixed-price trading to 15:30
        ("2026-03-14 09:00", "2026-03-15 18:00", 0),  # a weekend
        ("2026-03-13 15:00", "2026-03-16 09:30", 45 * 60),  # Friday close, weekend, Monday's auction
        ("2026-03-16 00:00", "2026-03-17 00:00", (135 + 150) * 60),  # one whole trading day
    ],
)
def test_trading_overlap_counts_only_trading_phases(
    calendar: TradingCalendar, start: str, end: str, seconds: float
) -> None:
    assert trading_overlap(calendar, at(start), at(end)) == seconds


def test_an_incident_in_a_session_says_so_with_the_time_trading_was_affected(calendar: TradingCalendar) -> None:
    impact = incident_impact(calendar, incident(("2026-03-16 10:00", "2026-03-16 10:40")), at("2026-03-16 12:00"))

    assert impact is not None
    assert (impact.fell_in, impact.trading_s, impact.provisional) == ("trading", 2400, False)


def test_a_still_firing_incident_counts_up_to_the_end_of_the_period(calendar: TradingCalendar) -> None:
    impact = incident_impact(calendar, incident(("2026-03-16 09:00", None)), at("2026-03-16 09:45"))

    assert impact is not None
    assert impact.trading_s == 30 * 60


def test_a_night_incident_is_off_hours_and_a_national_day_one_a_holiday(calendar: TradingCalendar) -> None:
    night = incident_impact(calendar, incident(("2026-03-16 02:00", "2026-03-16 03:00")), at("2026-03-16 08:00"))
    holiday = incident_impact(calendar, incident(("2026-10-02 10:00", "2026-10-02 11:00")), at("2026-10-03 00:00"))
    weekend = incident_impact(calendar, incident(("2026-03-14 10:00", "2026-03-14 11:00")), at("2026-03-15 00:00"))

    assert night is not None
    assert (night.fell_in, night.trading_s) == ("off-hours", 0)
    assert holiday is not None
    assert (holiday.fell_in, holiday.trading_s) == ("holiday", 0)
    assert weekend is not None
    assert weekend.fell_in == "off-hours"


def test_a_day_beyond_the_calendar_trades_and_is_flagged_provisional(calendar: TradingCalendar) -> None:
    impact = incident_impact(calendar, incident(("2028-03-15 10:00", "2028-03-15 10:30")), at("2028-03-16 00:00"))

    assert impact is not None
    assert (impact.fell_in, impact.trading_s, impact.provisional) == ("trading", 1800, True)


def test_only_the_firing_segments_count_and_only_from_since(calendar: TradingCalendar) -> None:
    found = incident(("2026-03-16 09:30", "2026-03-16 10:00"), ("2026-03-16 10:30", "2026-03-16 11:00"))

    assert incident_impact(calendar, found, at("2026-03-16 12:00")).trading_s == 3600  # type: ignore[union-attr]
    assert incident_impact(calendar, found, at("2026-03-16 12:00"), since=at("2026-03-16 10:45")).trading_s == 900  # type: ignore[union-attr]


def test_without_a_calendar_nothing_is_said() -> None:
    assert incident_impact(None, incident(("2026-03-16 10:00", "2026-03-16 10:40")), at("2026-03-16 12:00")) is None
