"""Which duties fall on which day, and when each starts and is due: the trading calendar decides.

A trading-day duty (the pre-open check) falls on every trading day and on nothing else: not on a weekend, a
holiday closure or a make-up working day, which the exchanges keep closed. Holiday duties fall on the last
trading day before a holiday closure and on the first trading day after one; a plain weekend is no holiday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dutyroom.config.duty_check import CompiledDuty
from dutyroom.config.trading_calendar import TradingCalendar

SEARCH_DAYS = 30
"""How far to look for the neighbouring trading day: longer than any closure the exchanges announce."""


@dataclass(frozen=True, slots=True)
class DutyOccasion:
    """One duty on one day: when its run starts by itself and when it must be finished."""

    duty: CompiledDuty
    day: date
    starts_at: datetime
    due_at: datetime

    @property
    def duty_id(self) -> str:
        return self.duty.id

    @property
    def key(self) -> str:
        """Stable name of the occasion, e.g. 'pre-open@2026-12-07'."""
        return f"{self.duty.id}@{self.day.isoformat()}"


def falls_on(duty: CompiledDuty, calendar: TradingCalendar, day: date) -> bool:
    """Whether `duty` has an occasion on `day`."""
    if not calendar.is_trading_day(day):
        return False
    match duty.spec.days:
        case "trading-day":
            return True
        case "before-holiday":
            return _holiday_between(calendar, day, step=1)
        case "after-holiday":
            return _holiday_between(calendar, day, step=-1)


def occasions_on(duties: Iterable[CompiledDuty], calendar: TradingCalendar, day: date) -> tuple[DutyOccasion, ...]:
    """The occasions of `day`, in start order."""
    zone = calendar.zone
    found = [
        DutyOccasion(
            duty,
            day,
            datetime.combine(day, duty.start, tzinfo=zone),
            datetime.combine(day, duty.due, tzinfo=zone),
        )
        for duty in duties
        if falls_on(duty, calendar, day)
    ]
    return tuple(sorted(found, key=lambda occasion: (occasion.starts_at, occasion.duty_id)))


def occasions_between(
    duties: Iterable[CompiledDuty], calendar: TradingCalendar, first: date, last: date
) -> tuple[DutyOccasion, ...]:
    """Every occasion from `first` to `last` inclusive (a holiday window for the report)."""
    chosen = tuple(duties)
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return tuple(occasion for day in days for occasion in occasions_on(chosen, calendar, day))


def _holiday_between(calendar: TradingCalendar, day: date, *, step: int) -> bool:
    """A holiday closure between `day` and the neighbouring trading day (after it for step 1, before for -1)."""
    other = day
    for _ in range(SEARCH_DAYS):
        other += timedelta(days=step)
        kind = calendar.day_kind(other).kind
        if kind == "holiday":
            return True
        if kind == "trading":
            return False
    return False
