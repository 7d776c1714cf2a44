"""`dutyroom calendar draft YEAR`: a draft trading calendar for the site to confirm when the exchanges publish.

The dates come from the `holidays` package (its XSHG and XSHE markets, and the State Council's make-up
working days of its China calendar), imported only here; the file is written by
`dutyroom.config.calendar_draft` with `status = "draft"`, which every surface flags until it is confirmed.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed

if TYPE_CHECKING:
    from dutyroom.config.calendar_file import Bilingual

MARKETS = ("XSHG", "XSHE")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    calendar = commands.add_parser("calendar", help="trading calendar files")
    actions = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    draft = actions.add_parser(
        "draft", help="write a DRAFT calendar for YEAR from statutory holidays, to confirm against the exchanges"
    )
    draft.add_argument("year", type=int, help="the year, e.g. 2027")
    draft.add_argument("--out", type=Path, help="file to write (default: print it)")
    draft.add_argument("--force", action="store_true", help="replace --out if it exists")
    draft.set_defaults(handler=cmd_draft)


def cmd_draft(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from dutyroom.atomic import write_atomically

    written = datetime.now(UTC).astimezone().date()
    text, closures = draft_for(args.year, written)
    if args.out is None:
        print(text, end="")
        return 0
    if args.out.exists() and not args.force:
        raise CommandFailed(f"{args.out} exists: give --force to replace it")
    try:
        write_atomically(args.out, text)
    except OSError as error:
        raise CommandFailed(f"cannot write {args.out}: {error.strerror or error}") from None
    print(f"wrote {args.out}: DRAFT calendar for {args.year} with {closures} closures", end="; ")
    print('check it against the exchanges\' notice, then set status = "confirmed"')
    return 0


def draft_for(year: int, written: date) -> tuple[str, int]:
    """The draft file's text for `year` and how many closures it has; `written` is the date it names."""
    from importlib.metadata import version

    from dutyroom.config.calendar_draft import draft_calendar_text, group_closures

    if not 1 <= year <= 9999:
        raise CommandFailed(f"year {year} is not a calendar year")
    closed, makeup_for = statutory_dates(year)
    closures = group_closures(year, closed, makeup_for)
    if not closures:
        raise CommandFailed(f"the holidays package knows no {'/'.join(MARKETS)} closures in {year}")
    source = f"the holidays package {version('holidays')} ({'/'.join(MARKETS)}; China's make-up working days)"
    return draft_calendar_text(year, closures, source=source, written=written), len(closures)


def statutory_dates(year: int) -> tuple[dict[date, Bilingual], dict[date, date | None]]:
    """The weekday and weekend days either exchange closes in `year` (English and Chinese names), and each
    make-up working day mapped to the closed day it pays for (None when `holidays` does not say)."""
    import holidays

    from dutyroom.config.calendar_file import Bilingual

    closed: dict[date, Bilingual] = {}
    paid_back_by: dict[date, date] = {}
    for market in MARKETS:
        english = holidays.financial_holidays(market, years=year, language="en_US")
        chinese = holidays.financial_holidays(market, years=year, language="zh_CN")
        for day, name in sorted(english.items()):
            zh_name = chinese.get(day, name)
            closed.setdefault(day, Bilingual(name, zh_name))
            for mention in _ISO_DATE.findall(zh_name):  # "休息日（由 2026-01-04 调休）": a day off paid back
                paid_back_by[date.fromisoformat(mention)] = day
    china = holidays.country_holidays("CN", years=year)
    workdays = sorted(day for day in china.weekend_workdays if day.year == year)
    return closed, {day: paid_back_by.get(day) for day in workdays}
