"""Warnings that the trading calendar runs out soon, or is not yet the exchanges' word.

A calendar that ends on 31 December turned every rule off on the first trading day of January, silently.
Now uncovered days are provisional trading days, and these notices say so early: from WARN_BEFORE_DAYS before
the last confirmed day, `dutyroom check`, the console's banner and the handover all carry the same words.
A draft file (from `dutyroom calendar draft`) is flagged until someone confirms it. Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dutyroom.config.calendar_file import Bilingual, CalendarSpan, Lang
from dutyroom.config.trading_calendar import TradingCalendar

WARN_BEFORE_DAYS = 30
HEADING = Bilingual("Trading calendar", "交易日历")
_CONFIRM = (
    'check it against the exchanges\' notice, then set status = "confirmed"',
    '请对照交易所休市通知核对后设置 status = "confirmed"',
)


@dataclass(frozen=True, slots=True)
class CalendarNotice:
    """One warning about the calendar, in both languages, with the file:line:col it concerns ('' if none)."""

    en: str
    zh: str
    where: str = ""

    def text(self, lang: Lang = "en") -> str:
        return self.zh if lang == "zh" else self.en


def confirmed_through(calendar: TradingCalendar, today: date) -> date | None:
    """The last day of the unbroken run of confirmed days that starts today; None when today is not confirmed."""
    end: date | None = None
    day = today
    while (span := calendar.span_for(day)) is not None and span.status == "confirmed":
        end = span.last_day
        day = end + timedelta(days=1)
    return end


def coverage_notice(calendar: TradingCalendar, at: datetime) -> CalendarNotice | None:
    """What the console and the handover say about the calendar at `at`; None while nothing needs doing."""
    today = at.astimezone(calendar.zone).date()
    end = confirmed_through(calendar, today)
    if end is None:
        span = calendar.span_for(today)
        if span is not None:
            return CalendarNotice(
                f"{today} is covered only by the draft {span.path.name}: {_CONFIRM[0]}",
                f"{today} 仅由日历草案 {span.path.name} 覆盖：{_CONFIRM[1]}",
                span.where(span.status_at),
            )
        return CalendarNotice(
            f"no calendar file covers {today}: weekdays count as trading days with the standard sessions "
            f"(provisional calendar); add the {today.year} calendar (dutyroom calendar draft {today.year})",
            f"没有日历文件覆盖 {today}：工作日按交易日及标准交易时段处理（临时日历）；"
            f"请添加 {today.year} 年日历（dutyroom calendar draft {today.year}）",
        )
    left = (end - today).days
    if left > WARN_BEFORE_DAYS:
        return None
    ending = calendar.span_for(end)
    assert ending is not None
    after = end + timedelta(days=1)
    when_en, when_zh = ("today", "今天") if left == 0 else (f"in {left} days", f"还剩 {left} 天")
    head_en = f"the confirmed trading calendar ends on {end} ({when_en}); from {after}"
    head_zh = f"已确认的交易日历止于 {end}（{when_zh}）；自 {after} 起"
    draft = calendar.span_for(after)
    if draft is not None:
        return CalendarNotice(
            f"{head_en} the draft {draft.path.name} applies: {_CONFIRM[0]}",
            f"{head_zh}使用日历草案 {draft.path.name}：{_CONFIRM[1]}",
            draft.where(draft.status_at),
        )
    return CalendarNotice(
        f"{head_en} weekdays count as trading days (provisional calendar): "
        f"add the {after.year} calendar (dutyroom calendar draft {after.year})",
        f"{head_zh}工作日按交易日处理（临时日历）：请添加 {after.year} 年日历（dutyroom calendar draft {after.year}）",
        ending.where(ending.covers_at),
    )


def draft_notice(span: CalendarSpan) -> CalendarNotice:
    """A loaded draft file, whenever it applies: `dutyroom check` names every one."""
    return CalendarNotice(
        f"draft calendar '{span.name}' ({span.first_day}..{span.last_day}): {_CONFIRM[0]}",
        f"日历草案「{span.name}」（{span.first_day} 至 {span.last_day}）：{_CONFIRM[1]}",
        span.where(span.status_at),
    )


def calendar_notices(calendar: TradingCalendar, at: datetime) -> list[CalendarNotice]:
    """Everything `dutyroom check` warns about: the coverage at `at`, then every draft file not named yet."""
    notices = [notice for notice in (coverage_notice(calendar, at),) if notice is not None]
    named = {notice.where for notice in notices}
    drafts = [draft_notice(span) for span in calendar.spans if span.status == "draft"]
    return notices + [notice for notice in drafts if notice.where not in named]
