"""Several calendar files as one calendar: years in a row, drafts, conflicts, and `[site] calendar` forms."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from dutyroom.config.trading_calendar import TradingCalendar, load_calendars

CALENDARS = Path(__file__).resolve().parents[2] / "calendars"
SHIPPED_2026 = CALENDARS / "cn-a-share-2026.toml"
SHIPPED_2027 = CALENDARS / "cn-a-share-2027.toml"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def shipped() -> TradingCalendar:
    return load_calendars(sorted(CALENDARS.glob("*.toml")))


def test_the_shipped_years_load_as_one_calendar_with_2027_a_draft(shipped: TradingCalendar) -> None:
    assert [(span.path.name, span.status) for span in shipped.spans] == [
        ("cn-a-share-2026.toml", "confirmed"),
        ("cn-a-share-2027.toml", "draft"),
    ]
    assert (shipped.first_day, shipped.last_day) == (date(2026, 1, 1), date(2027, 12, 31))
    assert shipped.standing(date(2026, 12, 31)) == "confirmed"
    assert shipped.standing(date(2027, 1, 4)) == "draft"
    assert shipped.standing(date(2028, 1, 3)) == "provisional"


def test_a_draft_day_follows_the_draft_and_says_so(shipped: TradingCalendar) -> None:
    phase = shipped.phase_at(sh("2027-01-04", "10:00"))
    assert (phase.kind, phase.name, phase.standing) == ("trading", "continuous-am", "draft")
    assert (phase.mark("en"), phase.mark("zh")) == ("draft calendar", "日历草案")
    spring = shipped.phase_at(sh("2027-02-08", "10:00"))
    assert (spring.kind, spring.name, spring.standing) == ("off-hours", "holiday", "draft")


def test_next_open_crosses_from_one_file_into_the_next(shipped: TradingCalendar) -> None:
    evening = shipped.phase_at(sh("2026-12-31", "16:00"))
    assert evening.next_open == sh("2027-01-04", "09:15")  # 1 January 2027 is a closure in the draft
    assert evening.describe("en") == "closed, next open Mon 09:15"


def line_of(path: Path, text: str) -> int:
    """The number of the first line of `path` that starts with `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(text))


def _copy(source: Path, target: Path, old: str, new: str) -> Path:
    """`source` written to `target` with one change."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_files_that_cover_the_same_day_are_refused_at_the_later_files_covers(tmp_path: Path) -> None:
    later = _copy(SHIPPED_2027, tmp_path / "2027.toml", 'covers = ["2027-01-01"', 'covers = ["2026-12-01"')
    with pytest.raises(ConfigError) as raised:
        load_calendars([SHIPPED_2026, later])
    assert [str(problem) for problem in raised.value.problems] == [
        f"{later}:{line_of(later, 'covers')}:10: covers 2026-12-01..2027-12-31 overlaps cn-a-share-2026.toml "
        "(2026-01-01..2026-12-31): each day belongs to one file"
    ]


def test_files_in_another_timezone_are_refused(tmp_path: Path) -> None:
    later = _copy(SHIPPED_2027, tmp_path / "2027.toml", '"Asia/Shanghai"', '"Asia/Tokyo"')
    with pytest.raises(ConfigError) as raised:
        load_calendars([later, SHIPPED_2026])
    assert [str(problem) for problem in raised.value.problems] == [
        f"{later}:{line_of(later, 'timezone')}:12: timezone 'Asia/Tokyo' differs from 'Asia/Shanghai' of "
        "cn-a-share-2026.toml: the files must share one"
    ]


def test_problems_of_every_file_are_reported_at_once(tmp_path: Path) -> None:
    first = _copy(SHIPPED_2026, tmp_path / "a.toml", 'status = "confirmed"', 'status = "final"')
    second = _copy(SHIPPED_2027, tmp_path / "b.toml", 'start = "08:30"', 'start = "8:30"')
    with pytest.raises(ConfigError) as raised:
        load_calendars([first, second])
    assert [str(problem) for problem in raised.value.problems] == [
        f"{first}:{line_of(first, 'status')}:10: Invalid enum value 'final' for 'status'",
        f"{second}:{line_of(second, 'start')}:9: expected a time as HH:MM, got '8:30'",
    ]


ROOM = """\
[site]
name = "room"
calendar = {calendar}

[[target]]
id = "exch-sse"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:19001"

[[rule]]
id = "exchange-line-down"
metric = "tcp.up"
critical = "== 0"
"""


def _room(tmp_path: Path, calendar: str) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(calendar=calendar), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(
    "calendar",
    [
        '"calendars"',
        '["calendars/cn-a-share-2026.toml", "calendars/cn-a-share-2027.toml"]',
        '["calendars", "calendars/cn-a-share-2027.toml"]',  # a file named twice is read once
    ],
)
def test_site_calendar_takes_a_directory_or_a_list(tmp_path: Path, calendar: str) -> None:
    shutil.copytree(CALENDARS, tmp_path / "calendars")
    loaded = load_config(_room(tmp_path, calendar), environ={})
    assert loaded.calendar is not None
    assert [span.path.name for span in loaded.calendar.spans] == ["cn-a-share-2026.toml", "cn-a-share-2027.toml"]


def test_site_calendar_keeps_the_single_file_form(tmp_path: Path) -> None:
    loaded = load_config(_room(tmp_path, f'"{SHIPPED_2026}"'), environ={})
    assert loaded.calendar is not None
    assert [span.status for span in loaded.calendar.spans] == ["confirmed"]


def test_a_missing_calendar_file_or_an_empty_directory_is_placed_in_checks_toml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    path = _room(tmp_path, f'["empty", "{SHIPPED_2026}", "missing.toml"]')
    line = path.read_text(encoding="utf-8").splitlines()[2]
    empty_col, missing_col = line.index('"empty"') + 1, line.index('"missing.toml"') + 1  # each entry at its own
    assert _problems(path) == [
        f"{path}:3:{empty_col}: calendar directory {tmp_path / 'empty'} has no *.toml files",
        f"{path}:3:{missing_col}: calendar file {tmp_path / 'missing.toml'} does not exist",
    ]
    single = _room(tmp_path, '"missing.toml"')
    assert _problems(single) == [f"{single}:3:12: calendar file {tmp_path / 'missing.toml'} does not exist"]


def test_a_problem_in_a_calendar_file_is_reported_in_that_file(tmp_path: Path) -> None:
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    shutil.copy(SHIPPED_2026, calendars)
    bad = _copy(SHIPPED_2027, calendars / "cn-a-share-2027.toml", '"Asia/Shanghai"', '"Asia/Shangai"')
    assert _problems(_room(tmp_path, '"calendars"')) == [
        f"{bad}:{line_of(bad, 'timezone')}:12: unknown timezone 'Asia/Shangai' (e.g. 'Asia/Shanghai')"
    ]
