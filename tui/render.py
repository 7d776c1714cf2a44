"""Text for the screen: device strings made safe, states as symbol + word, times, ages and sparklines.

Everything that reaches a widget from a device, an endpoint, a playbook or an operator goes through
`device_text`: cleaned by `dutyroom.textclean.clean_text`, then wrapped in `rich.text.Text`, so no markup is
ever interpreted and no control byte reaches the terminal. Widths are terminal cells (CJK counts two).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.cells import cell_len
from rich.text import Text

from dutyroom.config.durations import format_duration
from dutyroom.model import State
from dutyroom.textclean import clean_text
from dutyroom.textwidth import break_offsets
from tui.i18n import Translator

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-:=+*#"
Align = Literal["left", "right"]


@lru_cache(maxsize=8192)
def _cleaned(text: str, limit: int) -> str:
    return clean_text(text, limit)


def device_text(raw: object, limit: int = 200, style: str = "") -> Text:
    """Untrusted text as plain `Text`: control characters made visible, length capped, no markup.

    Cleaning is cached (the same names come back every tick); `clean_text` reads at most 4 x `limit`
    characters, so the cache key is cut there too.
    """
    if isinstance(raw, bytes) or raw is None:
        cleaned = clean_text(raw, limit)
    else:
        text = raw if isinstance(raw, str) else str(raw)
        cleaned = _cleaned(text[: limit * 4 + 1], limit)
    return Text(cleaned, style=style, end="")


def plain(text: str, style: str = "") -> Text:
    """Interface text (from tui.i18n) as `Text`; it is never parsed as markup either."""
    return Text(text, style=style, end="")


ELLIPSIS, ASCII_ELLIPSIS = "…", "..."
"""Where text was cut. The ASCII one is three dots: `~` is the STALE symbol in ASCII."""


def fit(text: Text, width: int, align: Align = "left", ellipsis: str = ELLIPSIS) -> Text:
    """`text` cut (ending in `ellipsis`) or padded to exactly `width` cells."""
    fitted = text.copy()
    fitted.no_wrap = True
    if width <= 0:
        return Text("", end="")
    if fitted.cell_len > width:
        fitted.truncate(max(0, width - cell_len(ellipsis)), overflow="crop")
        fitted.append(ellipsis[:width])
    gap = width - fitted.cell_len
    if gap > 0:
        if align == "right":
            fitted = Text(" " * gap, end="") + fitted
        else:
            fitted.pad_right(gap)
    return fitted


def wrap_text(text: Text, width: int) -> Text:
    """`text` with line breaks inserted (styles kept) so that every line fits `width` cells; 0 leaves it as it is.

    Rich and Textual only break at spaces, so a Chinese sentence after one Latin word would jump to a new line
    whole. The breaks are `dutyroom.textwidth.break_offsets`', the same as in the handover and report files.
    """
    if width <= 0:
        return text
    offsets = break_offsets(text.plain, width)
    if not offsets:
        return text
    lines = text.divide(offsets)
    for line in lines:
        line.rstrip()
    return Text("\n", end="").join(lines)


def state_label(state: State, translate: Translator, *, ascii_only: bool = False) -> str:
    symbol = state.ascii_symbol if ascii_only else state.symbol
    return f"{symbol} {translate.state_word(state)}"


def state_label_width(translate: Translator, *, ascii_only: bool = False) -> int:
    return max(cell_len(state_label(state, translate, ascii_only=ascii_only)) for state in State)


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(at: float, timezone: str, *, seconds: bool = False) -> str:
    """`HH:MM` (or `HH:MM:SS`) in the site's timezone; `-` for no time."""
    if at <= 0:
        return "-"
    moment = datetime.fromtimestamp(at, _zone(timezone))
    return moment.strftime("%H:%M:%S" if seconds else "%H:%M")


def since_text(at: float, now: float, timezone: str, *, with_time: bool = False) -> str:
    """When something started: `HH:MM` today, else `MM-DD` (or `MM-DD HH:MM` with `with_time`)."""
    if at <= 0:
        return "-"
    zone = _zone(timezone)
    moment = datetime.fromtimestamp(at, zone)
    if moment.date() == datetime.fromtimestamp(now, zone).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%m-%d %H:%M" if with_time else "%m-%d")


def age_text(at: float, now: float) -> str:
    return format_duration(now - at) if at > 0 else "-"


def sparkline(values: Sequence[float], width: int, *, ascii_only: bool = False) -> str:
    """The last `width` values as one line of bars scaled between their minimum and maximum; gaps for NaN."""
    if width <= 0 or not values:
        return ""
    recent = list(values)[-width:]
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    finite = [value for value in recent if math.isfinite(value)]
    if not finite:
        return " " * len(recent)
    low, high = min(finite), max(finite)
    span = high - low
    top = len(levels) - 1

    def bar(value: float) -> str:
        if not math.isfinite(value):
            return " "
        return levels[round((value - low) / span * top)] if span > 0 else levels[top // 2]

    return "".join(bar(value) for value in recent)
