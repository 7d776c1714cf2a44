"""The calendar warns before it runs out: 30 days ahead of the last confirmed day, and for every draft.

The time is always passed in: `coverage_notice(calendar, at)`, and `validate_all(..., now=...)` for the command.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.calendar_coverage import calendar_notices, confirmed_through, coverage_notice
from dutyroom.config.trading_calendar import TradingCalendar, load_calendar, load_calendars
from tui.cli.check import validate_all

ROOT = Path(__file__).resolve().parents[2]
CALENDARS = ROOT / "calendars"
SHIPPED_2026 = CALENDARS / "cn-a-share-2026.toml"
SHIPPED_2027 = CALENDARS / "cn-a-share-2027.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(day: str, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def only_2026() -> TradingCalendar:
    return load_calendar(SHIPPED_2026)


@pytest.fixture(scope="module")
def with_draft() -> TradingCalendar:
    return load_calendars([SHIPPED_2026, SHIPPED_2027])


def test_nothing_to_say_more_than_30_days_before_the_end(only_2026: TradingCalendar) -> None:
    assert coverage_notice(only_2026, sh("2026-11-30", "23:59")) is None
    assert coverage_notice(only_2026, sh("2026-03-16")) is None


def test_the_warning_starts_30_days_before_the_last_covered_day(only_2026: TradingCalendar) -> None:
    notice = coverage_notice(only_2026, sh("2026-12-01", "00:00"))
    assert notice is not None
    assert notice.en == (
        "the confirmed trading calendar ends on 2026-12-31 (in 30 days); from 2027-01-01 weekdays count as "
        "trading days (provisional calendar): add the 2027 calendar (dutyroom calendar draft 2027)"
    )
    assert notice.zh.startswith("已确认的交易日历止于 2026-12-31（还剩 30 天）；自 2027-01-01 起工作日按交易日处理")
    assert notice.where == f"{SHIPPED_2026}:{line_of(SHIPPED_2026, 'covers')}:10"


def test_the_day_is_read_in_the_calendars_timezone(only_2026: TradingCalendar) -> None:
    utc = ZoneInfo("UTC")
    assert coverage_notice(only_2026, datetime(2026, 11, 30, 15, 59, tzinfo=utc)) is None  # 23:59 in Shanghai
    assert coverage_notice(only_2026, datetime(2026, 11, 30, 16, 0, tzinfo=utc)) is not None  # 1 December


def test_on_the_last_day_it_says_today(only_2026: TradingCalendar) -> None:
    notice = coverage_notice(only_2026, sh("2026-12-31", "16:00"))
    assert notice is not None
    assert "ends on 2026-12-31 (today)" in notice.en
    assert "（今天）" in notice.zh


def test_past_the_end_every_day_says_it_is_provisional(only_2026: TradingCalendar) -> None:
    notice = coverage_notice(only_2026, sh("2027-01-04"))
    assert notice is not None
    assert notice.en == (
        "no calendar file covers 2027-01-04: weekdays count as trading days with the standard sessions "
        "(provisional calendar); add the 2027 calendar (dutyroom calendar draft 2027)"
    )
    assert notice.where == ""


def test_a_draft_next_year_is_named_while_the_confirmed_year_runs_out(with_draft: TradingCalendar) -> None:
    assert confirmed_through(with_draft, sh("2026-12-04").date()) == sh("2026-12-31").date()
    notice = coverage_notice(with_draft, sh("2026-12-04"))
    assert notice is not None
    assert notice.en == (
        "the confirmed trading calendar ends on 2026-12-31 (in 27 days); from 2027-01-01 the draft "
        'cn-a-share-2027.toml applies: check it against the exchanges\' notice, then set status = "confirmed"'
    )
    assert notice.where == f"{SHIPPED_2027}:{line_of(SHIPPED_2027, 'status')}:10"


def test_inside_a_draft_year_the_warning_stays_until_it_is_confirmed(with_draft: TradingCalendar) -> None:
    assert confirmed_through(with_draft, sh("2027-06-01").date()) is None
    notice = coverage_notice(with_draft, sh("2027-06-01"))
    assert notice is not None
    assert notice.en.startswith("2027-06-01 is covered only by the draft cn-a-share-2027.toml: check it")


def test_check_names_every_draft_even_far_ahead(with_draft: TradingCalendar) -> None:
    notices = calendar_notices(with_draft, sh("2026-03-16"))
    assert [notice.en for notice in notices] == [
        "draft calendar 'SSE/SZSE A-share 2027' (2027-01-01..2027-12-31): check it against the exchanges' "
        'notice, then set status = "confirmed"'
    ]
    assert len(calendar_notices(with_draft, sh("2026-12-04"))) == 1  # the coverage warning names the draft


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(text))


def test_check_on_the_shipped_config_warns_today_and_still_passes() -> None:
    """`dutyroom check` on checks.toml as shipped, at 2026-12-04 (a time passed in, not the clock)."""
    report = validate_all(ROOT / "checks.toml", now=sh("2026-12-04").timestamp())
    assert report.problems == []
    assert report.summary.startswith("14 targets")
    assert report.warnings == [
        f"{SHIPPED_2027}:{line_of(SHIPPED_2027, 'status')}:10: warning: the confirmed trading calendar ends on "
        "2026-12-31 (in 27 days); from 2027-01-01 the draft cn-a-share-2027.toml applies: check it against the "
        'exchanges\' notice, then set status = "confirmed"'
    ]


def test_check_command_prints_the_warning_after_ok_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import check
    from tui.cli.main import main

    shutil.copytree(ROOT / "playbooks", tmp_path / "playbooks")
    (tmp_path / "checks.toml").write_text(
        (ROOT / "checks.toml")
        .read_text(encoding="utf-8")
        .replace('calendar = "calendars"', f'calendar = "{SHIPPED_2026}"'),
        encoding="utf-8",
    )
    monkeypatch.setattr(check, "time", SimpleNamespace(time=lambda: sh("2027-01-04").timestamp()))  # its clock
    assert main(["check", "--config", str(tmp_path / "checks.toml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok: 14 targets")
    assert lines[1:] == [
        "warning: no calendar file covers 2027-01-04: weekdays count as trading days with the standard sessions "
        "(provisional calendar); add the 2027 calendar (dutyroom calendar draft 2027)"
    ]
