"""The exchanges' trading calendar: which phase of the trading day it is, over one or several calendar files.

Time is always passed in as aware datetimes; nothing here reads the clock. Each file (see `calendar_file`)
speaks for a span of days, usually a year; a room loads several so that the turn of the year is not a cliff.

The calendar never falls silent. A day no file covers is *provisional*: a weekday counts as a trading day
with the standard sessions (those of the nearest file), at full severity, because a missed alert on a real
trading day costs more than a loud holiday. A day covered by a draft file is *draft* until someone confirms
it. Inside a trading day, a gap between two sessions (the 15:00-15:05 pause before after-hours trading) is
trading unless the calendar gives it a session of another kind. Weekends are never trading days.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from dutyroom.config.calendar_file import Bilingual, CalendarSpan, Lang, Session, read_calendar_file
from dutyroom.config.problems import ConfigError, Problem, ProblemCollector

PhaseKind = Literal["trading", "pre-open", "break", "off-hours"]
DayKind = Literal["trading", "weekend", "holiday", "makeup-workday"]
Standing = Literal["confirmed", "draft", "provisional"]
"""How far a day's calendar can be trusted: a confirmed file, a draft file, or no file at all."""
WHEN_CHOICES = ("trading", "pre-open", "break", "off-hours", "always")
LOOKAHEAD_DAYS = 400
"""How far `next_open` looks; uncovered weekdays trade, so it only matters for odd hand-written files."""

_FIXED_LABELS = {
    "closed": Bilingual("closed", "休市"),
    "weekend": Bilingual("weekend", "周末"),
    "makeup-workday": Bilingual("make-up working day", "调休工作日"),
    "between-sessions": Bilingual("between sessions", "时段间隙"),
}
_MARKS = {
    "draft": Bilingual("draft calendar", "日历草案"),
    "provisional": Bilingual("provisional calendar", "临时日历"),
}
_TEXT: dict[str, tuple[str, str]] = {  # (en, zh) status-line templates
    "trading": ("{label}, closes {end}", "{label}，{end} 休市"),
    "trading-continues": ("{label}, until {end}", "{label}，至 {end}"),
    "pre-open": ("{label}, trading opens {next}", "{label}，{next} 开盘"),
    "break": ("{label}, reopens {next}", "{label}，{next} 开市"),
    "off-hours-session": ("{label}, next open {next}", "{label}，下次开市 {next}"),
    "closed": ("closed, next open {next}", "休市，下次开市 {next}"),
    "weekend": ("weekend, next open {next}", "周末休市，下一个交易日 {next}"),
    "holiday": ("holiday: {label}, next open {next}", "节假日：{label}，下一个交易日 {next}"),
    "makeup-workday": ("make-up working day, no trading", "调休工作日，不交易"),
}
_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BEYOND: dict[Lang, str] = {"en": "beyond the calendar", "zh": "超出日历范围"}


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What a date is; `holiday` names the closure, or the holiday a make-up working day serves."""

    kind: DayKind
    holiday: Bilingual | None = None
    standing: Standing = "confirmed"


@dataclass(frozen=True, slots=True)
class SessionPhase:
    """Where the trading day stands at `observed_at` (local time of the calendar)."""

    kind: PhaseKind
    name: str
    labels: Bilingual
    ends_at: datetime | None
    next_open: datetime | None
    observed_at: datetime
    trading_continues: bool = False
    standing: Standing = "confirmed"

    @property
    def provisional(self) -> bool:
        """No calendar file covers this day: the phase is the fail-safe assumption, not the exchanges' word."""
        return self.standing == "provisional"

    def label(self, lang: Lang = "en") -> str:
        return self.labels.get(lang)

    def mark(self, lang: Lang = "en") -> str:
        """'provisional calendar' or 'draft calendar' beside the phase; '' on a confirmed day."""
        mark = _MARKS.get(self.standing)
        return mark.get(lang) if mark else ""

    def describe(self, lang: Lang = "en", at: datetime | None = None) -> str:
        """The status-line text; `at` (default: when observed) decides whether dates need spelling out."""
        now = (at or self.observed_at).astimezone(self.observed_at.tzinfo)
        if self.kind == "trading":
            key = "trading-continues" if self.trading_continues else "trading"
        elif self.kind == "off-hours":
            key = self.name if self.name in _TEXT else "off-hours-session"
        else:
            key = self.kind
        end = f"{self.ends_at:%H:%M}" if self.ends_at else ""
        upcoming = _when(self.next_open, now, lang, spell_date=self.name == "holiday")
        template = _TEXT[key][1 if lang == "zh" else 0]
        return template.format(label=self.label(lang), end=end, next=upcoming)


def _when(target: datetime | None, now: datetime, lang: Lang, *, spell_date: bool) -> str:
    if target is None:
        return _BEYOND[lang]
    clock = f"{target:%H:%M}"
    days_ahead = (target.date() - now.date()).days
    if days_ahead == 0:
        return clock
    if spell_date or days_ahead > 6:
        if lang == "zh":
            return f"{target.month}月{target.day}日 {clock}"
        return f"{_WEEKDAYS['en'][target.weekday()]} {target.day} {_MONTHS[target.month - 1]} {clock}"
    return f"{_WEEKDAYS[lang][target.weekday()]} {clock}"


def when_matches(when: str, phase: SessionPhase) -> bool:
    """Whether a rule's `when` filter admits `phase`."""
    if when not in WHEN_CHOICES:
        raise ValueError(f"unknown when '{when}', expected one of {', '.join(WHEN_CHOICES)}")
    return when in ("always", phase.kind)


@dataclass(frozen=True)
class _DayPlan:
    """One file's sessions, with what the phase lookup asks of them precomputed."""

    sessions: tuple[Session, ...]
    continuing: frozenset[str]
    """Trading sessions that hand straight over to another trading session ("until", not "closes")."""
    starts: tuple[time, ...]
    openings: tuple[time, ...]
    """Starts of trading that does not merely continue: what "next open" means."""

    @classmethod
    def of(cls, sessions: tuple[Session, ...]) -> _DayPlan:
        pairs = itertools.pairwise(sessions)
        continuing = frozenset(a.id for a, b in pairs if a.kind == b.kind == "trading" and b.start == a.end)
        handovers = {session.end for session in sessions if session.id in continuing}
        openings = tuple(s.start for s in sessions if s.kind == "trading" and s.start not in handovers)
        return cls(sessions, continuing, tuple(session.start for session in sessions), openings)

    def next_session(self, clock: time) -> Session | None:
        """The session running at `clock`, else the next one to start today, else None."""
        return next((session for session in self.sessions if clock < session.end), None)


class TradingCalendar:
    """Answers what a day is and which session is running, for any day: covered by a file or provisional."""

    def __init__(self, spans: Sequence[CalendarSpan]) -> None:
        if not spans:
            raise ValueError("a trading calendar needs at least one calendar file")
        self.spans = tuple(sorted(spans, key=lambda span: span.first_day))
        self.zone = self.spans[0].zone
        self._firsts = [span.first_day for span in self.spans]
        self._plans = [_DayPlan.of(span.sessions) for span in self.spans]
        self._special_days: dict[date, tuple[DayKind, Bilingual]] = {}
        for span in self.spans:
            for holiday in span.holidays:
                for offset in range((holiday.last - holiday.first).days + 1):
                    self._special_days[holiday.first + timedelta(offset)] = ("holiday", holiday.name)
                for day in holiday.makeup_workdays:
                    self._special_days[day] = ("makeup-workday", holiday.name)

    @property
    def name(self) -> str:
        return ", ".join(span.name for span in self.spans)

    @property
    def first_day(self) -> date:
        return self.spans[0].first_day

    @property
    def last_day(self) -> date:
        return max(span.last_day for span in self.spans)

    def _nearest(self, day: date) -> int:
        """The index of the span covering `day`, else of the last one before it, else the first."""
        return max(bisect.bisect_right(self._firsts, day) - 1, 0)

    def span_for(self, day: date) -> CalendarSpan | None:
        span = self.spans[self._nearest(day)]
        return span if span.covers(day) else None

    def covers(self, day: date) -> bool:
        return self.span_for(day) is not None

    def standing(self, day: date) -> Standing:
        span = self.span_for(day)
        return span.status if span is not None else "provisional"

    def day_kind(self, day: date) -> DayInfo:
        standing = self.standing(day)
        special = self._special_days.get(day) if standing != "provisional" else None
        if special is not None:
            return DayInfo(special[0], special[1], standing)
        return DayInfo("weekend" if day.weekday() >= 5 else "trading", None, standing)

    def is_trading_day(self, day: date) -> bool:
        return self.day_kind(day).kind == "trading"

    def phase_at(self, at: datetime) -> SessionPhase:
        if at.utcoffset() is None:
            raise ValueError(f"phase_at needs a timezone-aware datetime, got {at!r}")
        local = at.astimezone(self.zone)
        today = local.date()
        day = self.day_kind(today)
        next_open = self._next_start(local, openings=True)
        if day.kind == "trading":
            plan = self._plans[self._nearest(today)]
            session = plan.next_session(local.time())
            if session is not None and session.start <= local.time():
                ends_at = datetime.combine(today, session.end, tzinfo=self.zone)
                continues = session.id in plan.continuing
                return SessionPhase(
                    session.kind, session.id, session.label, ends_at, next_open, local, continues, day.standing
                )
            if session is not None and plan.sessions[0].start <= local.time():
                resumes = datetime.combine(today, session.start, tzinfo=self.zone)
                gap = _FIXED_LABELS["between-sessions"]
                return SessionPhase("trading", "between-sessions", gap, resumes, next_open, local, True, day.standing)
        name = "closed" if day.kind == "trading" else day.kind
        labels = day.holiday if day.holiday and day.kind == "holiday" else _FIXED_LABELS[name]
        next_start = self._next_start(local, openings=False)
        return SessionPhase("off-hours", name, labels, next_start, next_open, local, standing=day.standing)

    def _next_start(self, local: datetime, *, openings: bool) -> datetime | None:
        """The first session start (or trading opening) on a trading day after `local`."""
        day = local.date()
        for _ in range(LOOKAHEAD_DAYS):
            if self.is_trading_day(day):
                plan = self._plans[self._nearest(day)]
                for start in plan.openings if openings else plan.starts:
                    candidate = datetime.combine(day, start, tzinfo=self.zone)
                    if candidate > local:
                        return candidate
            day += timedelta(days=1)
        return None


def load_calendar(path: Path) -> TradingCalendar:
    """Load and check one calendar file; every problem is raised at once as file:line:col in ConfigError."""
    return load_calendars([path])


def load_calendars(paths: Sequence[Path]) -> TradingCalendar:
    """Load several calendar files as one calendar; every problem of every file is raised at once.

    Files must share one timezone and no day may belong to two files; gaps are allowed (provisional days).
    """
    problems: list[Problem] = []
    spans: list[CalendarSpan] = []
    for path in paths:
        collector = ProblemCollector(str(path))
        span = read_calendar_file(path, collector)
        problems.extend(collector.problems)
        if span is not None:
            spans.append(span)
    problems.extend(_conflicts(spans))
    if problems or not spans:
        raise ConfigError(problems)
    return TradingCalendar(spans)


def _conflicts(spans: Sequence[CalendarSpan]) -> list[Problem]:
    """Files that disagree: another timezone, or days that another file already covers."""
    problems: list[Problem] = []
    ordered = sorted(spans, key=lambda span: (span.first_day, span.last_day))
    furthest: CalendarSpan | None = None
    for span in ordered:
        first = ordered[0]
        if span.zone.key != first.zone.key:  # the earliest file sets the timezone
            message = f"timezone '{span.zone.key}' differs from '{first.zone.key}' of {first.path.name}"
            problems.append(Problem(str(span.path), *span.timezone_at, message + ": the files must share one"))
        if furthest is not None and span.first_day <= furthest.last_day:
            message = (
                f"covers {span.first_day}..{span.last_day} overlaps {furthest.path.name} "
                f"({furthest.first_day}..{furthest.last_day}): each day belongs to one file"
            )
            problems.append(Problem(str(span.path), *span.covers_at, message))
        if furthest is None or span.last_day > furthest.last_day:
            furthest = span
    return problems
