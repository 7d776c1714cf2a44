"""The trading calendar: sessions, holidays, make-up days, descriptions and file validation."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.problems import ConfigError
from dutyroom.config.trading_calendar import SessionPhase, TradingCalendar, load_calendar, when_matches

SHIPPED = Path(__file__).resolve().parents[2] / "calendars" / "cn-a-share-2026.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(day: str, clock: str) -> datetime:
    """A Shanghai wall-clock time, e.g. sh("2026-03-16", "09:30:00.000001")."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return load_calendar(SHIPPED)


# Monday 2026-03-16 is an ordinary trading day.
@pytest.mark.parametrize(
    ("clock", "name", "kind"),
    [
        ("08:29:59.999999", "closed", "off-hours"),
        ("08:30", "pre-open", "pre-open"),
        ("09:14:59.999999", "pre-open", "pre-open"),
        ("09:15", "opening-auction", "trading"),
        ("09:19:59.999999", "opening-auction", "trading"),
        ("09:20", "opening-auction-no-cancel", "trading"),
        ("09:25", "pre-continuous", "trading"),
        ("09:30", "continuous-am", "trading"),
        ("11:29:59.999999", "continuous-am", "trading"),
        ("11:30", "lunch", "break"),
        ("12:59:59.999999", "lunch", "break"),
        ("13:00", "continuous-pm", "trading"),
        ("14:57", "closing-auction", "trading"),
        ("14:59:59.999999", "closing-auction", "trading"),
        ("15:00", "post-close", "trading"),
        ("15:04:59.999999", "post-close", "trading"),
        ("15:05", "after-hours", "trading"),
        ("15:29:59.999999", "after-hours", "trading"),
        ("15:30", "closed", "off-hours"),
    ],
)
def test_session_boundaries_start_inclusive_end_exclusive(
    calendar: TradingCalendar, clock: str, name: str, kind: str
) -> None:
    phase = calendar.phase_at(sh("2026-03-16", clock))
    assert (phase.name, phase.kind) == (name, kind)


def test_utc_input_is_converted_to_shanghai(calendar: TradingCalendar) -> None:
    phase = calendar.phase_at(datetime(2026, 3, 16, 1, 30, tzinfo=UTC))  # 09:30 in Shanghai
    assert phase.name == "continuous-am"
    assert phase.ends_at == datetime(2026, 3, 16, 3, 30, tzinfo=UTC)
    assert phase.next_open == sh("2026-03-16", "13:00")
    late_sunday_utc = calendar.phase_at(datetime(2026, 3, 15, 16, 0, tzinfo=UTC))  # Monday 00:00 Shanghai
    assert late_sunday_utc.name == "closed"
    assert late_sunday_utc.describe("en") == "closed, next open 09:15"


def test_naive_datetime_is_refused(calendar: TradingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.phase_at(datetime(2026, 3, 16, 10, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("at", "en", "zh"),
    [
        (sh("2026-03-16", "10:00"), "continuous trading, closes 11:30", "连续竞价，11:30 休市"),
        (sh("2026-03-16", "12:00"), "lunch break, reopens 13:00", "午间休市，13:00 开市"),
        (sh("2026-03-16", "08:45"), "pre-open checks, trading opens 09:15", "盘前检查，09:15 开盘"),
        (sh("2026-03-16", "09:16"), "opening call auction, until 09:20", "开盘集合竞价，至 09:20"),
        (sh("2026-03-16", "14:58"), "closing call auction, until 15:00", "收盘集合竞价，至 15:00"),
        (
            sh("2026-03-16", "15:02"),
            "after the close: fixed-price orders accepted (STAR, ChiNext), until 15:05",
            "收盘后：接受盘后固定价格委托（科创板、创业板），至 15:05",
        ),
        (
            sh("2026-03-16", "15:10"),
            "after-hours fixed-price trading (STAR, ChiNext), closes 15:30",
            "盘后固定价格交易（科创板、创业板），15:30 休市",
        ),
        (sh("2026-03-13", "16:00"), "closed, next open Mon 09:15", "休市，下次开市 周一 09:15"),
        (sh("2026-03-14", "10:00"), "weekend, next open Mon 09:15", "周末休市，下一个交易日 周一 09:15"),
    ],
)
def test_descriptions_in_both_languages(calendar: TradingCalendar, at: datetime, en: str, zh: str) -> None:
    phase = calendar.phase_at(at)
    assert (phase.describe("en", at), phase.describe("zh", at)) == (en, zh)


def test_national_day_is_a_holiday_until_thursday_8_october(calendar: TradingCalendar) -> None:
    assert calendar.day_kind(date(2026, 10, 1)).kind == "holiday"
    for offset in range(7):
        assert not calendar.is_trading_day(date(2026, 10, 1) + timedelta(offset))
    assert calendar.is_trading_day(date(2026, 10, 8))
    phase = calendar.phase_at(sh("2026-10-01", "10:00"))
    assert (phase.kind, phase.name, phase.label("zh")) == ("off-hours", "holiday", "国庆节")
    assert phase.next_open == sh("2026-10-08", "09:15")
    assert phase.ends_at == sh("2026-10-08", "08:30")
    assert phase.describe("en") == "holiday: National Day, next open Thu 8 Oct 09:15"
    assert phase.describe("zh") == "节假日：国庆节，下一个交易日 10月8日 09:15"


def test_day_before_national_day_trades_then_closes_until_8_october(calendar: TradingCalendar) -> None:
    assert calendar.is_trading_day(date(2026, 9, 30))
    assert calendar.phase_at(sh("2026-09-30", "14:00")).next_open == sh("2026-10-08", "09:15")  # 15:05 continues
    evening = calendar.phase_at(sh("2026-09-30", "16:00"))
    assert (evening.name, evening.next_open) == ("closed", sh("2026-10-08", "09:15"))
    assert evening.describe("en") == "closed, next open Thu 8 Oct 09:15"


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 9, 20), "National Day"),  # a Sunday
        (date(2026, 10, 10), "National Day"),  # a Saturday
        (date(2026, 2, 14), "Spring Festival"),
    ],
)
def test_make_up_working_weekend_days_are_not_trading_days(calendar: TradingCalendar, day: date, holiday: str) -> None:
    info = calendar.day_kind(day)
    assert info.kind == "makeup-workday"
    assert info.holiday is not None
    assert info.holiday.en == holiday
    assert not calendar.is_trading_day(day)
    phase = calendar.phase_at(sh(day.isoformat(), "10:00"))
    assert (phase.kind, phase.name) == ("off-hours", "makeup-workday")
    assert phase.describe("en") == "make-up working day, no trading"
    assert phase.describe("zh") == "调休工作日，不交易"


def test_ordinary_weekend(calendar: TradingCalendar) -> None:
    assert calendar.day_kind(date(2026, 3, 14)).kind == "weekend"
    assert calendar.day_kind(date(2026, 3, 15)).kind == "weekend"
    phase = calendar.phase_at(sh("2026-03-15", "10:00"))
    assert (phase.kind, phase.name, phase.next_open) == ("off-hours", "weekend", sh("2026-03-16", "09:15"))


def test_shipped_2026_calendar_has_242_trading_days(calendar: TradingCalendar) -> None:
    days = [date(2026, 1, 1) + timedelta(offset) for offset in range(365)]
    assert sum(calendar.is_trading_day(day) for day in days) == 242
    assert calendar.day_kind(date(2026, 4, 4)).kind == "holiday"  # Qingming on a Saturday is the holiday


def test_an_uncovered_weekday_is_a_provisional_trading_day_with_the_standard_sessions(
    calendar: TradingCalendar,
) -> None:
    assert not calendar.covers(date(2027, 1, 4))
    info = calendar.day_kind(date(2027, 1, 4))
    assert (info.kind, info.standing) == ("trading", "provisional")
    phase = calendar.phase_at(sh("2027-01-04", "10:00"))
    assert (phase.kind, phase.name, phase.provisional) == ("trading", "continuous-am", True)
    assert phase.ends_at == sh("2027-01-04", "11:30")
    assert (phase.mark("en"), phase.mark("zh")) == ("provisional calendar", "临时日历")
    assert calendar.phase_at(sh("2027-01-04", "12:00")).kind == "break"
    assert calendar.phase_at(sh("2027-01-04", "08:45")).kind == "pre-open"


def test_an_uncovered_weekend_is_still_a_weekend(calendar: TradingCalendar) -> None:
    phase = calendar.phase_at(sh("2027-01-02", "10:00"))
    assert (phase.kind, phase.name, phase.standing) == ("off-hours", "weekend", "provisional")
    assert phase.next_open == sh("2027-01-04", "09:15")


def test_the_last_covered_evening_looks_ahead_into_provisional_days(calendar: TradingCalendar) -> None:
    last_evening = calendar.phase_at(sh("2026-12-31", "16:00"))
    assert (last_evening.provisional, last_evening.mark()) == (False, "")
    assert last_evening.next_open == sh("2027-01-01", "09:15")  # 1 January is a holiday only once a file says so
    assert last_evening.describe("en") == "closed, next open Fri 09:15"


@pytest.mark.parametrize(
    ("at", "matching"),
    [
        (sh("2026-03-16", "10:00"), {"trading", "always"}),
        (sh("2026-03-16", "08:40"), {"pre-open", "always"}),
        (sh("2026-03-16", "12:00"), {"break", "always"}),
        (sh("2026-03-15", "10:00"), {"off-hours", "always"}),
        (sh("2027-03-15", "10:00"), {"trading", "always"}),  # a provisional trading day
    ],
)
def test_when_filters(calendar: TradingCalendar, at: datetime, matching: set[str]) -> None:
    phase: SessionPhase = calendar.phase_at(at)
    whens = ("trading", "pre-open", "break", "off-hours", "always")
    assert {when for when in whens if when_matches(when, phase)} == matching
    with pytest.raises(ValueError, match="unknown when 'lunchtime'"):
        when_matches("lunchtime", phase)


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "calendar.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_calendar(path)
    return [str(problem).removeprefix(f"{path}:") for problem in raised.value.problems]


def test_type_problems_are_all_reported_with_positions(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """
        name = "bad"
        timezone = "Asia/Shanghai"
        covers = ["2026-01-01", "2026-13-01"]
        colour = "red"

        [[session]]
        id = "am"
        kind = "trade"
        start = "09:30"
        end = "11:30"
        en = "am"
        zh = "上午"
        """,
    )
    assert problems == [
        "3:10: Invalid RFC3339 encoded date for 'covers'",
        "4:1: unknown key 'colour'",
        "8:8: Invalid enum value 'trade' for 'session.kind'",
    ]


def test_semantic_problems_are_all_reported_with_positions(tmp_path: Path) -> None:
    session = 'id = "{0}"\nkind = "{1}"\nstart = "{2}"\nend = "{3}"\nen = "{0}"\nzh = "{0}"\n'
    sessions = [("am", "trading", "09:30", "11:30"), ("lunch", "break", "11:00", "13:00"),
                ("pm", "trading", "15:00", "13:00"), ("late", "trading", "9:5", "16:00")]  # fmt: skip
    text = 'name = "bad"\ntimezone = "Asia/Shangai"\ncovers = ["2026-01-01", "2026-12-31"]\n'
    text += "".join("\n[[session]]\n" + session.format(*fields) for fields in sessions)
    text += '\n[[holiday]]\nen = "National Day"\nzh = "国庆节"\nclosed = ["2027-10-01", "2027-10-07"]\n'
    text += 'makeup-workdays = ["2026-10-12"]\n'
    text += '\n[[holiday]]\nen = "Backwards"\nzh = "倒"\nclosed = ["2026-05-05", "2026-05-01"]\n'
    assert _problems(tmp_path, text) == [
        "2:12: unknown timezone 'Asia/Shangai' (e.g. 'Asia/Shanghai')",
        "16:9: session 'lunch' starts before 'am' ends at 11:30",
        "25:7: session 'pm' ends at 13:00, not after it starts",
        "32:9: expected a time as HH:MM, got '9:5'",
        "40:10: holiday 'National Day' 2027-10-01..2027-10-07 is outside covers",
        "41:19: make-up day 2026-10-12 is not a Saturday or Sunday",
        "46:10: holiday 'Backwards' ends before it starts",
    ]


def test_a_calendar_without_trading_sessions_is_refused(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """
        name = "empty"
        timezone = "Asia/Shanghai"
        covers = ["2026-01-01", "2026-12-31"]
        session = []
        """,
    )
    assert problems == ["4:1: the calendar needs at least one session of kind 'trading'"]


TWO_SESSIONS = """\
name = "two sessions"
timezone = "Asia/Shanghai"
covers = ["2026-01-01", "2026-12-31"]

[[session]]
id = "day"
kind = "trading"
start = "09:30"
end = "15:00"
en = "day session"
zh = "日盘"
{gap}
[[session]]
id = "late"
kind = "trading"
start = "15:05"
end = "15:30"
en = "late session"
zh = "盘后"
"""


def _two_sessions(tmp_path: Path, gap: str = "") -> TradingCalendar:
    path = tmp_path / "calendar.toml"
    path.write_text(TWO_SESSIONS.format(gap=gap), encoding="utf-8")
    return load_calendar(path)


def test_a_gap_between_sessions_counts_as_trading_unless_the_calendar_says_otherwise(tmp_path: Path) -> None:
    phase = _two_sessions(tmp_path).phase_at(sh("2026-03-16", "15:02"))
    assert (phase.kind, phase.name, phase.ends_at) == ("trading", "between-sessions", sh("2026-03-16", "15:05"))
    assert phase.describe("en") == "between sessions, until 15:05"
    assert phase.describe("zh") == "时段间隙，至 15:05"
    assert _two_sessions(tmp_path).phase_at(sh("2026-03-16", "15:30")).name == "closed"
    assert _two_sessions(tmp_path).phase_at(sh("2026-03-16", "09:29")).name == "closed"


def test_the_calendar_can_name_the_gap_and_give_it_any_phase_kind(tmp_path: Path) -> None:
    gap = '\n[[session]]\nid = "post-close"\nkind = "off-hours"\nstart = "15:00"\nend = "15:05"\n'
    gap += 'en = "settling"\nzh = "结算"\n'
    phase = _two_sessions(tmp_path, gap).phase_at(sh("2026-03-16", "15:02"))
    assert (phase.kind, phase.name, phase.label("zh")) == ("off-hours", "post-close", "结算")
    assert phase.describe("en") == "settling, next open 15:05"


def test_between_sessions_is_a_reserved_session_id(tmp_path: Path) -> None:
    gap = '\n[[session]]\nid = "between-sessions"\nkind = "break"\nstart = "15:00"\nend = "15:05"\nen = "x"\nzh = "x"\n'
    path = tmp_path / "calendar.toml"
    path.write_text(TWO_SESSIONS.format(gap=gap), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_calendar(path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:14:6: session id 'between-sessions' is reserved"
    ]
