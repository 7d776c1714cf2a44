"""One trading calendar file: its format, and reading it into a `CalendarSpan` with every problem placed.

A calendar file speaks for the days of `covers` (usually one year), as the exchanges published them:

    name = "SSE/SZSE A-share 2026"
    timezone = "Asia/Shanghai"                      # an IANA zone known to zoneinfo
    covers = ["2026-01-01", "2026-12-31"]           # first and last day the file speaks for, inclusive
    status = "confirmed"                            # or "draft": not yet checked against the exchanges' notice

    [[session]]                                     # windows of a trading day, in order, never overlapping
    id = "continuous-am"                            # the phase name rules and the console see
    kind = "trading"                                # "trading" | "pre-open" | "break" | "off-hours"
    start = "09:30"                                 # HH:MM local time, inclusive
    end = "11:30"                                   # HH:MM local time, exclusive
    en = "continuous trading"
    zh = "连续竞价"

    [[holiday]]                                     # one exchange closure
    en = "National Day"
    zh = "国庆节"
    closed = ["2026-10-01", "2026-10-07"]           # first and last closed day, inclusive
    makeup-workdays = ["2026-09-20", "2026-10-10"]  # weekend days worked (调休): still no trading

A file without `status` is confirmed: it was written by hand from the notices. `dutyroom calendar draft`
writes drafts, which keep being flagged until someone checks them and sets `status = "confirmed"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from dutyroom.config.problems import ProblemCollector
from dutyroom.config.toml_positions import Position
from dutyroom.config.typed_toml import convert_table, read_toml_file

Lang = Literal["en", "zh"]
SessionKind = Literal["trading", "pre-open", "break", "off-hours"]
CalendarStatus = Literal["confirmed", "draft"]
RESERVED_PHASE_NAMES = frozenset({"closed", "weekend", "holiday", "makeup-workday", "between-sessions"})
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
    status: CalendarStatus = "confirmed"


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


@dataclass(frozen=True)
class CalendarSpan:
    """What one file says: the sessions and closures of the days from `first_day` to `last_day`."""

    path: Path
    name: str
    zone: ZoneInfo
    status: CalendarStatus
    first_day: date
    last_day: date
    sessions: tuple[Session, ...]
    holidays: tuple[Holiday, ...]
    timezone_at: Position = (1, 1)
    covers_at: Position = (1, 1)
    """Where `covers` is written, so a warning about the span's end can point at it."""
    status_at: Position = (1, 1)
    """Where `status` is written (or the file's start), so a draft warning can point at it."""

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def where(self, position: Position) -> str:
        return f"{self.path}:{position[0]}:{position[1]}"


def read_calendar_file(path: Path, problems: ProblemCollector) -> CalendarSpan | None:
    """Read and check one file; every problem goes to `problems` (made for `path`), None when there are any."""
    known = len(problems.problems)
    data = read_toml_file(path, problems)
    spec = convert_table(data, CalendarSpec, (), problems) if data is not None else None
    if spec is None:
        return None
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
    positions = problems.positions
    return CalendarSpan(
        path=path,
        name=spec.name,
        zone=zone,
        status=spec.status,
        first_day=first_day,
        last_day=last_day,
        sessions=sessions,
        holidays=holidays,
        timezone_at=positions.locate(("timezone",), value=True),
        covers_at=positions.locate(("covers",), value=True),
        status_at=positions.locate(("status",), value=True),
    )


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
