"""Text for the screen: device strings made safe, states as symbol + word, times, ages and sparklines.

Everything that reaches a widget from a device, an endpoint, a playbook or an operator goes through
`device_text`: cleaned by `dutyroom.textclean.clean_text`, then wrapped in `rich.text.Text`, so no markup is
ever interpreted and no control byte reaches the terminal. Widths are terminal cells (CJK counts two).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.cells import cell_len
from rich.text import Text

from dutyroom.durations import format_duration
from dutyroom.model import State
from dutyroom.textclean import clean_text
from tui.i18n import Translator

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-:=+*#"
Align = Literal["left", "right"]


def device_text(raw: object, limit: int = 200, style: str = "") -> Text:
    """Untrusted text as plain `Text`: control characters made visible, length capped, no markup."""
    if raw is None or isinstance(raw, str | bytes):
        cleaned = clean_text(raw, limit)
    else:
        cleaned = clean_text(str(raw), limit)
    return Text(cleaned, style=style, end="")


def plain(text: str, style: str = "") -> Text:
    """Interface text (from tui.i18n) as `Text`; it is never parsed as markup either."""
    return Text(text, style=style, end="")


def fit(text: Text, width: int, align: Align = "left") -> Text:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    fitted = text.copy()
    fitted.no_wrap = True
    if width <= 0:
        return Text("", end="")
    if fitted.cell_len > width:
        fitted.truncate(width, overflow="ellipsis")
    gap = width - fitted.cell_len
    if gap > 0:
        if align == "right":
            fitted = Text(" " * gap, end="") + fitted
        else:
            fitted.pad_right(gap)
    return fitted


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


def since_text(at: float, now: float, timezone: str) -> str:
    """When something started: `HH:MM` today, `MM-DD HH:MM` on another day."""
    if at <= 0:
        return "-"
    zone = _zone(timezone)
    moment = datetime.fromtimestamp(at, zone)
    if moment.date() == datetime.fromtimestamp(now, zone).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%m-%d %H:%M")


def age_text(at: float, now: float) -> str:
    return format_duration(now - at) if at > 0 else "-"


def sparkline(values: Sequence[float], width: int, *, ascii_only: bool = False) -> str:
    """The last `width` values as one line of bars, scaled between their minimum and maximum."""
    if width <= 0 or not values:
        return ""
    recent = list(values)[-width:] if len(values) > width else list(values)
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    low, high = min(recent), max(recent)
    span = high - low
    top = len(levels) - 1
    if span <= 0:
        return levels[top // 2] * len(recent)
    return "".join(levels[round((value - low) / span * top)] for value in recent)
