"""The exchanges' trading calendar: the sessions of a trading day, holidays and make-up working days.

Time is always passed in as aware datetimes; nothing here reads the clock. The calendar is a TOML data file
the site updates each year when the exchanges publish their closures:

    name = "SSE/SZSE A-share 2026"
    timezone = "Asia/Shanghai"                      # an IANA zone known to zoneinfo
    covers = ["2026-01-01", "2026-12-31"]           # first and last day the file speaks for, inclusive

    [[session]]                                     # windows of a trading day, in order, never overlapping
    id = "continuous-am"                            # the phase name rules and the console see
    kind = "trading"                                # "trading" | "pre-open" | "break"
    start = "09:30"                                 # HH:MM local time, inclusive
    end = "11:30"                                   # HH:MM local time, exclusive
    en = "continuous trading"
    zh = "连续竞价"

    [[holiday]]                                     # one exchange closure
    en = "National Day"
    zh = "国庆节"
    closed = ["2026-10-01", "2026-10-07"]           # first and last closed day, inclusive
    makeup-workdays = ["2026-09-20", "2026-10-10"]  # weekend days worked (调休): still no trading

Weekends are never trading days, make-up working days included. A day outside `covers` is "uncovered": its
phase is off-hours with `uncovered` set, so the console can say the calendar needs updating.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from dutyroom.config.problems import ConfigError, ProblemCollector
from dutyroom.config.typed_toml import convert_table, read_toml_file

Lang = Literal["en", "zh"]
SessionKind = Literal["trading", "pre-open", "break"]
PhaseKind = Literal["trading", "pre-open", "break", "off-hours"]
DayKind = Literal["trading", "weekend", "holiday", "makeup-workday", "uncovered"]
WHEN_CHOICES = ("trading", "pre-open", "break", "off-hours", "always")
RESERVED_PHASE_NAMES = frozenset({"closed", "weekend", "holiday", "makeup-workday", "uncovered"})
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class SessionSpec(msgspec.Struct, forbid_unknown_fields=True):
    """One `[[session]]` window of the trading day as written in the file."""

    id: str
    kind: SessionKind
    start: str
    end: str
    en: str
    zh: str


class HolidaySpec(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """One `[[holiday]]` exchange closure and the weekend days worked to make up for it."""

    en: str
    zh: str
    closed: tuple[date, date]
    makeup_workdays: tuple[date, ...] = ()


class CalendarSpec(msgspec.Struct, forbid_unknown_fields=True):
    """A whole calendar file."""

    name: str
    timezone: str
    covers: tuple[date, date]
    session: list[SessionSpec]
    holiday: list[HolidaySpec] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Bilingual:
    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    kind: SessionKind
    start: time
    end: time
    label: Bilingual


@dataclass(frozen=True, slots=True)
class Holiday:
    name: Bilingual
    first: date
    last: date
    makeup_workdays: tuple[date, ...]


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What a date is; `holiday` names the closure, or the holiday a make-up working day serves."""

    kind: DayKind
    holiday: Bilingual | None = None


_FIXED_LABELS = {
    "closed": Bilingual("closed", "休市"),
    "weekend": Bilingual("weekend", "周末"),
    "makeup-workday": Bilingual("make-up working day", "调休工作日"),
    "uncovered": Bilingual("calendar does not cover this day", "日历未覆盖"),
}
_TEXT: dict[str, tuple[str, str]] = {  # (en, zh) status-line templates
    "trading": ("{label}, closes {end}", "{label}，{end} 休市"),
    "trading-continues": ("{label}, until {end}", "{label}，至 {end}"),
    "pre-open": ("{label}, trading opens {next}", "{label}，{next} 开盘"),
    "break": ("{label}, reopens {next}", "{label}，{next} 开市"),
    "closed": ("closed, next open {next}", "休市，下次开市 {next}"),
    "weekend": ("weekend, next open {next}", "周末休市，下一个交易日 {next}"),
    "holiday": ("holiday: {label}, next open {next}", "节假日：{label}，下一个交易日 {next}"),
    "makeup-workday": ("make-up working day, no trading", "调休工作日，不交易"),
    "uncovered": ("calendar does not cover {date}, update the calendar", "交易日历未覆盖 {date}，请更新日历"),
}
_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BEYOND: dict[Lang, str] = {"en": "beyond the calendar", "zh": "超出日历范围"}


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
    uncovered: bool = False

    def label(self, lang: Lang = "en") -> str:
        return self.labels.get(lang)

    def describe(self, lang: Lang = "en", at: datetime | None = None) -> str:
        """The status-line text; `at` (default: when observed) decides whether dates need spelling out."""
        now = (at or self.observed_at).astimezone(self.observed_at.tzinfo)
        if self.kind == "trading":
            key = "trading-continues" if self.trading_continues else "trading"
        else:
            key = self.kind if self.kind != "off-hours" else self.name
        end = f"{self.ends_at:%H:%M}" if self.ends_at else ""
        upcoming = _when(self.next_open, now, lang, spell_date=self.name == "holiday")
        date_text = self.observed_at.date().isoformat()
        template = _TEXT[key][1 if lang == "zh" else 0]
        return template.format(label=self.label(lang), end=end, next=upcoming, date=date_text)


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


@dataclass
class TradingCalendar:
    """Answers what a day is and which session is running, for the days from `first_day` to `last_day`."""

    name: str
    zone: ZoneInfo
    first_day: date
    last_day: date
    sessions: tuple[Session, ...]
    holidays: tuple[Holiday, ...]

    def __post_init__(self) -> None:
        sessions = self.sessions
        self._special_days: dict[date, DayInfo] = {}
        for holiday in self.holidays:
            for offset in range((holiday.last - holiday.first).days + 1):
                self._special_days[holiday.first + timedelta(offset)] = DayInfo("holiday", holiday.name)
            for day in holiday.makeup_workdays:
                self._special_days[day] = DayInfo("makeup-workday", holiday.name)
        # Sessions are in order; trading "continues" when a trading session starts as the previous one ends.
        pairs = itertools.pairwise(sessions)
        self._continuing = {a.id for a, b in pairs if a.kind == b.kind == "trading" and b.start == a.end}
        handovers = {session.end for session in sessions if session.id in self._continuing}
        self._starts = tuple(session.start for session in sessions)
        self._openings = tuple(s.start for s in sessions if s.kind == "trading" and s.start not in handovers)

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def day_kind(self, day: date) -> DayInfo:
        if not self.covers(day):
            return DayInfo("uncovered")
        return self._special_days.get(day) or DayInfo("weekend" if day.weekday() >= 5 else "trading")

    def is_trading_day(self, day: date) -> bool:
        return self.day_kind(day).kind == "trading"

    def phase_at(self, at: datetime) -> SessionPhase:
        if at.utcoffset() is None:
            raise ValueError(f"phase_at needs a timezone-aware datetime, got {at!r}")
        local = at.astimezone(self.zone)
        day = self.day_kind(local.date())
        if day.kind == "uncovered":
            labels = _FIXED_LABELS["uncovered"]
            return SessionPhase("off-hours", "uncovered", labels, None, None, local, uncovered=True)
        next_open = self._next_start(local, self._openings)
        running = [s for s in self.sessions if s.start <= local.time() < s.end] if day.kind == "trading" else []
        if running:
            session = running[0]
            ends_at = datetime.combine(local.date(), session.end, tzinfo=self.zone)
            continues = session.id in self._continuing
            return SessionPhase(session.kind, session.id, session.label, ends_at, next_open, local, continues)
        name = "closed" if day.kind == "trading" else day.kind
        labels = day.holiday if day.holiday and day.kind == "holiday" else _FIXED_LABELS[name]
        next_start = self._next_start(local, self._starts)
        return SessionPhase("off-hours", name, labels, next_start, next_open, local)

    def _next_start(self, local: datetime, starts: tuple[time, ...]) -> datetime | None:
        """The first of `starts` on a trading day after `local`, or None beyond the calendar."""
        day = local.date()
        while day <= self.last_day:
            if self.is_trading_day(day):
                for start in starts:
                    candidate = datetime.combine(day, start, tzinfo=self.zone)
                    if candidate > local:
                        return candidate
            day += timedelta(days=1)
        return None


def load_calendar(path: Path) -> TradingCalendar:
    """Load and check a calendar file; every problem is raised at once as file:line:col in ConfigError."""
    problems = ProblemCollector(str(path))
    data = read_toml_file(path, problems)
    spec = convert_table(data, CalendarSpec, (), problems) if data is not None else None
    calendar = _build(spec, problems) if spec is not None else None
    if calendar is None or problems.problems:
        raise ConfigError(problems.problems)
    return calendar


def _build(spec: CalendarSpec, problems: ProblemCollector) -> TradingCalendar | None:
    known = len(problems.problems)
    zone: ZoneInfo | None = None
    try:
        zone = ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        problems.at(("timezone",), f"unknown timezone '{spec.timezone}' (e.g. 'Asia/Shanghai')", value=True)
    first_day, last_day = spec.covers
    if last_day < first_day:
        problems.at(("covers",), f"covers ends on {last_day}, before it starts on {first_day}", value=True)
    sessions = _sessions(spec.session, problems)
    holidays = _holidays(spec.holiday, spec.covers, problems)
    if zone is None or len(problems.problems) > known:
        return None
    return TradingCalendar(spec.name, zone, first_day, last_day, sessions, holidays)


def _sessions(specs: list[SessionSpec], problems: ProblemCollector) -> tuple[Session, ...]:
    sessions: list[Session] = []
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        where = ("session", index)
        if spec.id in seen or spec.id in RESERVED_PHASE_NAMES:
            why = "is used twice" if spec.id in seen else "is reserved"
            problems.at((*where, "id"), f"session id '{spec.id}' {why}", value=True)
        seen.add(spec.id)
        start = _clock(spec.start, (*where, "start"), problems)
        end = _clock(spec.end, (*where, "end"), problems)
        if start is None or end is None:
            continue
        if end <= start:
            problems.at((*where, "end"), f"session '{spec.id}' ends at {spec.end}, not after it starts", value=True)
        elif sessions and start < sessions[-1].end:
            overlap = f"starts before '{sessions[-1].id}' ends at {sessions[-1].end:%H:%M}"
            problems.at((*where, "start"), f"session '{spec.id}' {overlap}", value=True)
        else:
            sessions.append(Session(spec.id, spec.kind, start, end, Bilingual(spec.en, spec.zh)))
    if not any(spec.kind == "trading" for spec in specs):
        problems.at(("session",), "the calendar needs at least one session of kind 'trading'")
    return tuple(sessions)


def _clock(text: str, path: tuple[str | int, ...], problems: ProblemCollector) -> time | None:
    match = _CLOCK.fullmatch(text)
    if match is None:
        problems.at(path, f"expected a time as HH:MM, got '{text}'", value=True)
        return None
    return time(int(match[1]), int(match[2]))


def _holidays(specs: list[HolidaySpec], covers: tuple[date, date], problems: ProblemCollector) -> tuple[Holiday, ...]:
    placed: list[tuple[int, Holiday]] = []
    for index, spec in enumerate(specs):
        first, last = spec.closed
        closed_at = ("holiday", index, "closed")
        if last < first:
            problems.at(closed_at, f"holiday '{spec.en}' ends before it starts", value=True)
            continue
        if first < covers[0] or last > covers[1]:
            problems.at(closed_at, f"holiday '{spec.en}' {first}..{last} is outside covers", value=True)
        for _, other in placed:
            if first <= other.last and other.first <= last:
                problems.at(closed_at, f"holiday '{spec.en}' overlaps '{other.name.en}'", value=True)
        placed.append((index, Holiday(Bilingual(spec.en, spec.zh), first, last, spec.makeup_workdays)))
    closed_days = {h.first + timedelta(n) for _, h in placed for n in range((h.last - h.first).days + 1)}
    for index, holiday in placed:
        for day in holiday.makeup_workdays:
            if not covers[0] <= day <= covers[1]:
                why = "is outside covers"
            elif day in closed_days:
                why = "is a closed day"
            else:
                why = "is not a Saturday or Sunday" if day.weekday() < 5 else ""
            if why:
                problems.at(("holiday", index, "makeup-workdays"), f"make-up day {day} {why}", value=True)
    return tuple(holiday for _, holiday in placed)
