"""`dutyroom demo --clock-start 08:10`: the demo process on a simulated wall clock, so the pre-open check can
be watched filling in on any day.

Honest within the demo process only: the collectors, the trap receiver, the poller and the console all read
this one clock (a fixed offset from the real one, so it runs at real speed), and the state they write says
so consistently. Commands run from another shell on the demo's state read the real clock; the demo says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as time_of_day
from zoneinfo import ZoneInfo

from dutyroom.config.trading_calendar import TradingCalendar

SEARCH_DAYS = 30


class ClockStartError(ValueError):
    """A --clock-start the demo cannot use."""


@dataclass(frozen=True, slots=True)
class SimulatedClock:
    """The real wall clock moved by `offset_s`: epoch seconds, like time.time."""

    offset_s: float

    def __call__(self) -> float:
        return time.time() + self.offset_s


def clock_start(text: str, calendar: TradingCalendar | None, zone: ZoneInfo, now: float) -> datetime:
    """HH:MM: that time on the first trading day where it is still ahead; or an ISO date-time as given."""
    if "T" in text or len(text) > 5:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ClockStartError(f"--clock-start: bad time '{text}' (use 08:10 or 2026-12-07T08:10)") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    try:
        clock = time_of_day.fromisoformat(text)
    except ValueError:
        raise ClockStartError(f"--clock-start: bad time '{text}' (use 08:10 or 2026-12-07T08:10)") from None
    day = datetime.fromtimestamp(now, zone).date()
    for _ in range(SEARCH_DAYS):
        candidate = datetime.combine(day, clock, tzinfo=zone)
        trading = calendar.is_trading_day(day) if calendar is not None else day.weekday() < 5
        if trading and candidate.timestamp() > now:
            return candidate
        day += timedelta(days=1)
    raise ClockStartError(f"--clock-start: no trading day in the next {SEARCH_DAYS} days")


def simulated_clock(start: datetime, now: float) -> SimulatedClock:
    return SimulatedClock(start.timestamp() - now)
