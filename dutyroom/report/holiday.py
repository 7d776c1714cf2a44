"""`dutyroom report --holiday [DATE]`: the post-holiday report the regulator keeps, its window from the calendar.

The window runs from the first closed day (00:00, local) of the exchange closure around DATE to the first
trading day's opening: the period report covers it, and a section before it lists the holiday's duties (the
holiday-duty start on the last trading day before, the holiday-duty end and the pre-open check on the first
trading day after) with their outcomes; a missed duty stays missed, however late it was finished.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dutyroom.config.calendar_file import Bilingual
from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.documents.model import Block, Heading, Paragraph, Table
from dutyroom.documents.render import render
from dutyroom.duties.reading import read_shared_state
from dutyroom.duties.schedule import DutyOccasion, occasions_on
from dutyroom.duties.status import DutyStatus, duty_status
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import StepStatus
from dutyroom.report.csv_export import COLUMNS, as_csv
from dutyroom.report.data import PeriodReport, ReportError, build_report
from dutyroom.report.markdown import as_document
from dutyroom.room import Room
from dutyroom.store.database import Store

SEARCH_DAYS = 400
"""How far back `--holiday` without a date looks for the latest closure, and how far a closure may run."""
_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Holiday report: {holiday}, {site}", "节假日报告：{holiday}，{site}"),
    "window": (
        "Closed {first} to {last} ({days} days); trading reopened {reopens}.",
        "休市 {first} 至 {last}（共 {days} 天）；{reopens} 恢复交易。",
    ),
    "reopens_later": (
        "Closed {first} to {last} ({days} days); trading reopens {reopens}.",
        "休市 {first} 至 {last}（共 {days} 天）；{reopens} 恢复交易。",
    ),
    "duties": ("Holiday duties", "节假日值守"),
    "duty": ("Duty", "值守"),
    "day": ("Day", "日期"),
    "window_col": ("Start-due", "开始-截止"),
    "state": ("State", "状态"),
    "steps": ("Steps", "步骤"),
    "by": ("Started by", "发起"),
    "none": ("none scheduled", "无"),
    "state.scheduled": ("scheduled", "待开始"),
    "state.running": ("running", "进行中"),
    "state.done": ("done", "已完成"),
    "state.missed": ("MISSED", "未按时完成"),
    "not_started": ("not started", "未开始"),
}


@dataclass(frozen=True, slots=True)
class HolidayWindow:
    """One exchange closure: its name, its closed days, and the trading days around it."""

    name: Bilingual
    first_closed: date
    last_closed: date
    last_trading_day: date
    first_trading_day: date
    reopens_at: datetime
    since: datetime
    """00:00 of the first closed day, local: where the report starts."""

    @property
    def closed_days(self) -> int:
        return (self.last_closed - self.first_closed).days + 1


def holiday_window(calendar: TradingCalendar, day: date | None, today: date) -> HolidayWindow:
    """The closure around `day` (a closed day of it), or the latest one begun by `today`; ReportError if none."""
    if day is None:
        day = _latest_holiday(calendar, today)
    elif calendar.is_trading_day(day):
        raise ReportError(f"{day} is a trading day: give a day of the holiday closure, e.g. its first day")
    first = last = day
    for _ in range(SEARCH_DAYS):
        if calendar.is_trading_day(first - timedelta(days=1)):
            break
        first -= timedelta(days=1)
    for _ in range(SEARCH_DAYS):
        if calendar.is_trading_day(last + timedelta(days=1)):
            break
        last += timedelta(days=1)
    names = [
        info.holiday
        for offset in range((last - first).days + 1)
        if (info := calendar.day_kind(first + timedelta(offset))).kind == "holiday" and info.holiday
    ]
    if not names:
        raise ReportError(f"{day} is a weekend, not a holiday closure: use --since and --until for it")
    zone = calendar.zone
    since = datetime.combine(first, time(0), tzinfo=zone)
    reopens = calendar.phase_at(datetime.combine(last, time(23, 59), tzinfo=zone)).next_open
    if reopens is None:
        raise ReportError(f"the calendar does not say when trading reopens after {last}")
    return HolidayWindow(names[0], first, last, first - timedelta(days=1), reopens.date(), reopens, since)


def _latest_holiday(calendar: TradingCalendar, today: date) -> date:
    day = today
    for _ in range(SEARCH_DAYS):
        if calendar.day_kind(day).kind == "holiday":
            return day
        day -= timedelta(days=1)
    raise ReportError(f"no holiday closure in the {SEARCH_DAYS} days before {today}: give its date")


def holiday_occasions(room: Room, calendar: TradingCalendar, window: HolidayWindow) -> tuple[DutyOccasion, ...]:
    """The holiday-duty start before the closure, and every duty of the first trading day after it."""
    duties = room.config.duties
    before = [
        item
        for item in occasions_on(duties, calendar, window.last_trading_day)
        if item.duty.spec.days == "before-holiday"
    ]
    return (*before, *occasions_on(duties, calendar, window.first_trading_day))


def holiday_duties(room: Room, store: Store, window: HolidayWindow, now: float, lang: str) -> tuple[DutyStatus, ...]:
    """Each holiday duty as it stands at `now`."""
    calendar = room.config.calendar
    if calendar is None:
        return ()
    shared = read_shared_state(store, now)
    at = datetime.fromtimestamp(now, calendar.zone)

    def find(playbook_id: str) -> Playbook | None:
        return room.playbooks.get(playbook_id, lang)

    runs = shared.runs.runs.values()
    return tuple(
        duty_status(occasion, room.config, calendar, runs, shared.live, at, find)
        for occasion in holiday_occasions(room, calendar, window)
    )


@dataclass(frozen=True)
class HolidayReport:
    window: HolidayWindow
    duties: tuple[DutyStatus, ...]
    period: PeriodReport


def build_holiday_report(room: Room, store: Store, day: date | None, now: float, lang: str | None) -> HolidayReport:
    calendar = room.config.calendar
    if calendar is None:
        raise ReportError("--holiday needs a trading calendar ([site] calendar in checks.toml)")
    today = datetime.fromtimestamp(now, calendar.zone).date()
    window = holiday_window(calendar, day, today)
    period = build_report(room, store, window.since.timestamp(), window.reopens_at.timestamp(), now, lang)
    duties = holiday_duties(room, store, window, now, period.words.lang)
    return HolidayReport(window, duties, period)


def holiday_markdown(report: HolidayReport) -> str:
    """The period report with the holiday's window and duties first."""
    lang = report.period.words.lang
    document = as_document(report.period)
    site = report.period.scrub(report.period.room.config.parsed.site.name, 80)
    document.title = _word("title", lang, holiday=report.window.name.get("zh" if lang == "zh" else "en"), site=site)
    document.blocks[0:0] = _holiday_blocks(report, lang)
    return render(document, "md", ambiguous_wide=lang == "zh")


def _holiday_blocks(report: HolidayReport, lang: str) -> list[Block]:
    window = report.window
    reopened = report.period.now >= window.reopens_at.timestamp()
    intro = _word(
        "window" if reopened else "reopens_later",
        lang,
        first=window.first_closed.isoformat(),
        last=window.last_closed.isoformat(),
        days=window.closed_days,
        reopens=f"{window.reopens_at:%Y-%m-%d %H:%M}",
    )
    headers = tuple(_word(key, lang) for key in ("duty", "day", "window_col", "state", "steps", "by"))
    rows = [_duty_row(status, lang) for status in report.duties]
    return [
        Paragraph(intro),
        Heading(_word("duties", lang)),
        Table(headers, tuple(rows), ("left", "left", "left", "left", "right", "left"), (5,), _word("none", lang)),
    ]


def _duty_row(status: DutyStatus, lang: str) -> tuple[str, ...]:
    occasion, run = status.occasion, status.run
    settled = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED)) if run else 0
    return (
        occasion.duty_id,
        occasion.day.isoformat(),
        f"{occasion.starts_at:%H:%M}-{occasion.due_at:%H:%M}",
        _word(f"state.{status.state}", lang),
        f"{settled}/{status.steps}",
        run.started_by.describe() if run is not None else _word("not_started", lang),
    )


def holiday_csv(report: HolidayReport) -> str:
    """The period report's CSV with one `duty` row per holiday duty (item: run id, kind: duty id)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    for status in report.duties:
        occasion, run = status.occasion, status.run
        writer.writerow(
            {
                "section": "duty",
                "item": run.run_id if run is not None else "",
                "kind": occasion.duty_id,
                "start": occasion.starts_at.isoformat(),
                "end": occasion.due_at.isoformat(),
                "state": str(status.state),
                "who": run.started_by.describe() if run is not None else "",
                "detail": status.readiness.describe() if status.readiness is not None else "",
                "drill": 0,
            }
        )
    return as_csv(report.period) + buffer.getvalue()


def _word(key: str, lang: str, **values: object) -> str:
    pair = _WORDS[key]
    return (pair[1] if lang == "zh" else pair[0]).format(**values)
