"""`dutyroom calendar draft YEAR`, and the shipped calendars cross-checked against the `holidays` package."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from dutyroom.config.calendar_draft import STANDARD_SESSIONS, Closure, draft_calendar_text, group_closures
from dutyroom.config.calendar_file import Bilingual
from dutyroom.config.trading_calendar import TradingCalendar, load_calendar
from tui.cli.calendar import draft_for, statutory_dates
from tui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CONFIRMED = [path for path in sorted((ROOT / "calendars").glob("*.toml")) if 'status = "draft"' not in path.read_text()]

NEW_YEAR = Bilingual("New Year's Day", "元旦")
DAY_OFF = Bilingual("Day off (substituted from 01/04/2026)", "休息日（由 2026-01-04 调休）")
EVE = Bilingual("Chinese New Year's Eve", "农历除夕")
SPRING = Bilingual("Spring Festival", "春节")


def days_of(year: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(offset) for offset in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]


def test_closed_days_group_across_weekends_and_take_the_name_most_of_them_carry() -> None:
    closed = {
        date(2026, 1, 1): NEW_YEAR,
        date(2026, 1, 2): DAY_OFF,
        date(2026, 2, 16): EVE,
        date(2026, 2, 17): SPRING,
        date(2026, 2, 18): SPRING,
        date(2026, 2, 19): SPRING,
        date(2026, 2, 20): DAY_OFF,
        date(2026, 2, 23): DAY_OFF,  # a Monday: the weekend between keeps it in the same closure
    }
    makeup_for = {date(2026, 1, 4): date(2026, 1, 2), date(2026, 2, 14): None, date(2026, 2, 28): date(2026, 2, 23)}
    assert group_closures(2026, closed, makeup_for) == [
        Closure(NEW_YEAR, date(2026, 1, 1), date(2026, 1, 2), (date(2026, 1, 4),)),
        Closure(SPRING, date(2026, 2, 16), date(2026, 2, 23), (date(2026, 2, 14), date(2026, 2, 28))),
    ]


def test_make_up_days_that_are_weekdays_closed_or_in_another_year_are_left_out() -> None:
    closed = {date(2026, 10, 1): NEW_YEAR, date(2026, 10, 3): NEW_YEAR}  # Thursday, and Saturday after a workday
    makeup_for: dict[date, date | None] = {date(2026, 10, 3): None, date(2026, 10, 5): None, date(2027, 1, 2): None}
    closures = group_closures(2026, closed, makeup_for)
    assert [(closure.first, closure.last) for closure in closures] == [
        (date(2026, 10, 1), date(2026, 10, 1)),
        (date(2026, 10, 3), date(2026, 10, 3)),
    ]
    assert [closure.makeup_workdays for closure in closures] == [(), ()]


def test_the_draft_file_loads_as_a_draft_with_the_standard_sessions(tmp_path: Path) -> None:
    closures = [Closure(Bilingual('Quote "day"', "引号"), date(2027, 1, 1), date(2027, 1, 1), (date(2027, 1, 2),))]
    path = tmp_path / "draft.toml"
    path.write_text(draft_calendar_text(2027, closures, source="a test", written=date(2026, 12, 4)), encoding="utf-8")
    calendar = load_calendar(path)
    (span,) = calendar.spans
    assert (span.status, span.name, span.first_day, span.last_day) == (
        "draft",
        "SSE/SZSE A-share 2027",
        date(2027, 1, 1),
        date(2027, 12, 31),
    )
    assert [(s.id, s.kind, f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.label.en, s.label.zh) for s in span.sessions] == [
        *STANDARD_SESSIONS
    ]
    assert span.holidays[0].name == Bilingual('Quote "day"', "引号")
    assert calendar.day_kind(date(2027, 1, 2)).kind == "makeup-workday"
    assert "on 2026-12-04 from a test" in path.read_text(encoding="utf-8")


def test_the_shipped_2026_sessions_are_the_standard_sessions() -> None:
    (span,) = load_calendar(ROOT / "calendars" / "cn-a-share-2026.toml").spans
    assert [(s.id, s.kind, f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.label.en, s.label.zh) for s in span.sessions] == [
        *STANDARD_SESSIONS
    ]


@pytest.mark.parametrize("path", CONFIRMED, ids=lambda path: path.name)
@pytest.mark.parametrize("market", ["XSHG", "XSHE"])
def test_a_shipped_calendar_closes_on_the_weekdays_the_holidays_package_knows(path: Path, market: str) -> None:
    calendar = load_calendar(path)
    (span,) = calendar.spans
    year = span.first_day.year
    known = holidays.financial_holidays(market, years=year)
    weekdays = [day for day in days_of(year) if span.covers(day) and day.weekday() < 5]
    assert [day for day in weekdays if not calendar.is_trading_day(day)] == [day for day in weekdays if day in known]


@pytest.mark.parametrize("path", CONFIRMED, ids=lambda path: path.name)
def test_a_shipped_calendars_make_up_days_are_the_state_councils(path: Path) -> None:
    calendar = load_calendar(path)
    (span,) = calendar.spans
    china = holidays.country_holidays("CN", years=span.first_day.year)
    expected = sorted(day for day in china.weekend_workdays if span.covers(day))
    assert sorted(day for holiday in span.holidays for day in holiday.makeup_workdays) == expected


def test_statutory_dates_pair_each_make_up_day_with_the_day_off_it_pays_for() -> None:
    closed, makeup_for = statutory_dates(2026)
    assert closed[date(2026, 10, 1)] == Bilingual("National Day", "国庆节")
    assert makeup_for == {
        date(2026, 1, 4): date(2026, 1, 2),
        date(2026, 2, 14): date(2026, 2, 20),
        date(2026, 2, 28): date(2026, 2, 23),
        date(2026, 5, 9): date(2026, 5, 5),
        date(2026, 9, 20): date(2026, 10, 6),
        date(2026, 10, 10): date(2026, 10, 7),
    }


def test_a_2026_draft_trades_on_exactly_the_days_of_the_shipped_2026_calendar(tmp_path: Path) -> None:
    text, closures = draft_for(2026, date(2025, 12, 4))
    assert closures == 7
    path = tmp_path / "draft-2026.toml"
    path.write_text(text, encoding="utf-8")
    draft, shipped = load_calendar(path), load_calendar(ROOT / "calendars" / "cn-a-share-2026.toml")
    assert draft.spans[0].status == "draft"
    assert _trading_days(draft, 2026) == _trading_days(shipped, 2026)
    assert len(_trading_days(draft, 2026)) == 242
    national_day = draft.day_kind(date(2026, 9, 20))
    assert (national_day.kind, national_day.holiday) == ("makeup-workday", Bilingual("National Day", "国庆节"))


def _trading_days(calendar: TradingCalendar, year: int) -> list[date]:
    return [day for day in days_of(year) if calendar.is_trading_day(day)]


def test_the_command_writes_the_draft_and_will_not_overwrite_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cn-a-share-2027.toml"
    assert main(["calendar", "draft", "2027", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: DRAFT calendar for 2027 with 7 closures")
    assert load_calendar(out).spans[0].status == "draft"
    assert main(["calendar", "draft", "2027", "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"{out} exists: give --force to replace it\n"
    assert main(["calendar", "draft", "2027", "--out", str(out), "--force"]) == 0


def test_the_command_without_out_prints_the_draft(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "draft", "2027"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# DRAFT trading calendar")
    assert 'status = "draft"' in printed
