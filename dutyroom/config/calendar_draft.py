"""A draft calendar file for one year: statutory closures from elsewhere, for the site to confirm.

The exchanges publish a year's closures in December, days before the year starts. `dutyroom calendar draft`
fetches what the `holidays` package computes (imported only by that command) and hands the closed days here;
this module groups them into exchange closures and writes a file the loader reads, with the standard A-share
sessions and `status = "draft"`, so every surface keeps flagging it until someone checks it and confirms it.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dutyroom.config.calendar_file import Bilingual

STANDARD_SESSIONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # id, kind, start, end, en, zh: the SSE/SZSE A-share trading day, and the room's pre-open checks
    ("pre-open", "pre-open", "08:30", "09:15", "pre-open checks", "盘前检查"),
    ("opening-auction", "trading", "09:15", "09:20", "opening call auction", "开盘集合竞价"),
    (
        "opening-auction-no-cancel",
        "trading",
        "09:20",
        "09:25",
        "opening call auction (no cancellation)",
        "开盘集合竞价（不可撤单）",
    ),
    ("pre-continuous", "trading", "09:25", "09:30", "order entry before continuous trading", "连续竞价前委托"),
    ("continuous-am", "trading", "09:30", "11:30", "continuous trading", "连续竞价"),
    ("lunch", "break", "11:30", "13:00", "lunch break", "午间休市"),
    ("continuous-pm", "trading", "13:00", "14:57", "continuous trading", "连续竞价"),
    ("closing-auction", "trading", "14:57", "15:00", "closing call auction", "收盘集合竞价"),
    (
        "post-close",
        "trading",
        "15:00",
        "15:05",
        "after the close: fixed-price orders accepted (STAR, ChiNext)",
        "收盘后：接受盘后固定价格委托（科创板、创业板）",
    ),
    (
        "after-hours",
        "trading",
        "15:05",
        "15:30",
        "after-hours fixed-price trading (STAR, ChiNext)",
        "盘后固定价格交易（科创板、创业板）",
    ),
)


@dataclass(frozen=True, slots=True)
class Closure:
    """One exchange closure of the draft: a run of closed days and the weekend days worked for it."""

    name: Bilingual
    first: date
    last: date
    makeup_workdays: tuple[date, ...] = ()


def group_closures(
    year: int, closed: Mapping[date, Bilingual], makeup_for: Mapping[date, date | None]
) -> list[Closure]:
    """Closed days of `year` grouped into closures; a closure runs on across weekends between its days.

    `makeup_for` maps each make-up working day (a weekend day worked, 调休) to the closed day it pays for,
    or to None when that is unknown (it then joins the nearest closure). A closure is named after most of
    its days, leaving out days off that only pay back a make-up day.
    """
    days = sorted(day for day in closed if day.year == year)
    runs: list[list[date]] = []
    for day in days:
        previous = runs[-1][-1] if runs else None
        between = [previous + timedelta(n) for n in range(1, (day - previous).days)] if previous else []
        if previous is not None and all(gap.weekday() >= 5 for gap in between):
            runs[-1].append(day)
        else:
            runs.append([day])
    paid_back = {day for day in makeup_for.values() if day is not None}
    makeups: list[list[date]] = [[] for _ in runs]
    for workday, pays_for in sorted(makeup_for.items()):
        if workday.year != year or workday.weekday() < 5 or workday in closed or not runs:
            continue
        anchor = pays_for or workday
        index = min(range(len(runs)), key=lambda i: min(abs((day - anchor).days) for day in runs[i]))
        makeups[index].append(workday)
    closures = []
    for run, makeup in zip(runs, makeups, strict=True):
        named = [day for day in run if day not in paid_back] or run
        votes = Counter(closed[day].en for day in named)
        top = max(votes.values())
        first_named = next(day for day in named if votes[closed[day].en] == top)
        closures.append(Closure(closed[first_named], run[0], run[-1], tuple(makeup)))
    return closures


def draft_calendar_text(year: int, closures: Sequence[Closure], *, source: str, written: date) -> str:
    """The draft file for `year`, with comments saying where its dates came from and how to confirm it."""
    about = (
        f"Written by `dutyroom calendar draft {year}` on {written} from {source}: statutory dates computed by a "
        'library, NOT the exchanges\' own notice. While status is "draft", `dutyroom check`, the console '
        '("draft calendar") and the handover flag it. To confirm it, compare every [[holiday]] with the '
        f"exchanges' notice (沪深北交易所关于{year}年部分节假日休市安排的通知, published in December) and the "
        "State Council's holiday notice (国务院办公厅关于部分节假日安排的通知): fix the `closed` ranges and "
        '`makeup-workdays`, note the sources here, then set status = "confirmed". Format: see '
        "dutyroom/config/calendar_file.py."
    )
    lines = [
        f"# DRAFT trading calendar: Shanghai and Shenzhen stock exchanges (A shares), {year}.",
        "#",
        *textwrap.wrap(about, width=108, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False),
        "",
        f"name = {_quote(f'SSE/SZSE A-share {year}')}",
        'timezone = "Asia/Shanghai"',
        f'covers = ["{date(year, 1, 1)}", "{date(year, 12, 31)}"]',
        'status = "draft"',
    ]
    for session_id, kind, start, end, en, zh in STANDARD_SESSIONS:
        lines += ["", "[[session]]", f"id = {_quote(session_id)}", f"kind = {_quote(kind)}"]
        lines += [f'start = "{start}"', f'end = "{end}"', f"en = {_quote(en)}", f"zh = {_quote(zh)}"]
    for closure in closures:
        lines += ["", "[[holiday]]", f"en = {_quote(closure.name.en)}", f"zh = {_quote(closure.name.zh)}"]
        lines.append(f'closed = ["{closure.first}", "{closure.last}"]')
        if closure.makeup_workdays:
            workdays = ", ".join(_quote(day.isoformat()) for day in closure.makeup_workdays)
            lines.append(f"makeup-workdays = [{workdays}]")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
