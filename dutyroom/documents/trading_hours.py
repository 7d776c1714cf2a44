"""Whether an incident hit trading, and for how long: what the next shift and the regulator ask of every incident.

An incident *fell in a trading session* when any of its firing time overlaps a phase the calendar calls
`trading` (the call auctions included: orders are taken then); otherwise *on a holiday* when it fired on an
exchange holiday; otherwise *off-hours* (nights, weekends, make-up working days). The time trading was
affected is the firing time inside trading phases. Days no calendar file covers count as the calendar
counts them (a weekday trades, R19), and the answer says so (`provisional`). Without a calendar nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from dutyroom.config.trading_calendar import TradingCalendar
from dutyroom.documents.timeline import Incident
from dutyroom.documents.wording import Wording

SessionClass = Literal["trading", "holiday", "off-hours"]
MAX_PHASES = 20_000
"""Phases walked per stretch at most (about five years of trading days): a bound, never reached in practice."""


@dataclass(frozen=True, slots=True)
class TradingImpact:
    fell_in: SessionClass
    trading_s: float
    """Seconds of firing inside trading phases."""
    provisional: bool
    """Some of it fell on a day no calendar file covers."""


def trading_overlap(calendar: TradingCalendar, start: float, end: float) -> float:
    """Seconds of [start, end) inside phases the calendar calls trading."""
    total = 0.0
    at = start
    for _ in range(MAX_PHASES):
        if at >= end:
            break
        phase = calendar.phase_at(datetime.fromtimestamp(at, calendar.zone))
        boundary = phase.ends_at or phase.next_open
        upto = end if boundary is None else min(end, boundary.timestamp())
        if phase.kind == "trading":
            total += max(0.0, upto - at)
        if upto <= at:
            break
        at = upto
    return total


def incident_impact(
    calendar: TradingCalendar | None, incident: Incident, until: float, since: float | None = None
) -> TradingImpact | None:
    """How `incident` touched trading between `since` (default: its start) and `until`; None without a calendar."""
    if calendar is None:
        return None
    spans = [
        (segment.start if since is None else max(segment.start, since), until if segment.end is None else segment.end)
        for segment in incident.segments
    ]
    spans = [(start, min(end, until)) for start, end in spans if min(end, until) > start]
    trading_s = sum(trading_overlap(calendar, start, end) for start, end in spans)
    days = set(_days(calendar, spans))
    provisional = any(calendar.standing(day) == "provisional" for day in days)
    if trading_s > 0:
        return TradingImpact("trading", trading_s, provisional)
    on_holiday = any(calendar.day_kind(day).kind == "holiday" for day in days)
    return TradingImpact("holiday" if on_holiday else "off-hours", 0.0, provisional)


def describe_impact(words: Wording, impact: TradingImpact) -> str:
    """ "in a trading session; trading affected 25m", "off-hours; trading not affected", ..."""
    text = words("impact." + impact.fell_in, length=words.duration(impact.trading_s))
    return text + (words("impact.provisional") if impact.provisional else "")


def worst_class(impacts: Iterable[TradingImpact]) -> SessionClass:
    """Trading over holiday over off-hours: what a row of several incidents of one alert says."""
    classes = {impact.fell_in for impact in impacts}
    if "trading" in classes:
        return "trading"
    return "holiday" if "holiday" in classes else "off-hours"


def _days(calendar: TradingCalendar, spans: Iterable[tuple[float, float]]) -> Iterator[date]:
    for start, end in spans:
        day = datetime.fromtimestamp(start, calendar.zone).date()
        last = datetime.fromtimestamp(end, calendar.zone).date()
        for _ in range(MAX_PHASES):
            if day > last:
                break
            yield day
            day += timedelta(days=1)
