"""Terminal cell widths, CJK-aware: width, padding, truncation, and the one line breaker.

The line breaker (`break_offsets`, with its kinsoku table) serves both the console and the handover and report
files, so a note breaks in the same places on screen and on paper. East Asian Wide and Fullwidth characters
take two cells, combining marks and format characters none, the rest one. East Asian Ambiguous characters
(…, ×, —, ▲) are one cell in Western terminals but two in PuTTY or Xshell set up for CJK; pass
`ambiguous_wide=True` to count them as two so Chinese text never overflows (where a line may break stays the same).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

NO_LINE_START = frozenset("，。、；：？！）」』】》〉〕］｝〗’”％%,.;:?!)]}…・ー")
"""Closing marks a line must not start with (kinsoku): they stay with the character before them."""
NO_LINE_END = frozenset("（「『【《〈〔［｛〖‘“([{")
"""Opening marks a line must not end with: they go down with the character after them."""
_BREAKABLE_SPACES = frozenset(" \u3000")
"""Spaces a line may break at (dropped there); a no-break space is not one of them."""
_NOT_BEFORE_A_CUT = NO_LINE_END | _BREAKABLE_SPACES
_NOT_AFTER_A_CUT = NO_LINE_START | _BREAKABLE_SPACES


@lru_cache(maxsize=4096)
def char_width(char: str, ambiguous_wide: bool = False) -> int:
    """Cells one character takes (0, 1 or 2)."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    kind = unicodedata.east_asian_width(char)
    if kind in ("W", "F") or (ambiguous_wide and kind == "A"):
        return 2
    return 1


def cell_width(text: str, ambiguous_wide: bool = False) -> int:
    """Cells `text` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(char_width(char, ambiguous_wide) for char in text)


def truncate(text: str, width: int, ambiguous_wide: bool = False, marker: str = "...") -> str:
    """`text` cut to at most `width` cells, ending in `marker` when something was cut."""
    if cell_width(text, ambiguous_wide) <= width:
        return text
    room = max(0, width - cell_width(marker, ambiguous_wide))
    kept: list[str] = []
    used = 0
    for char in text:
        cells = char_width(char, ambiguous_wide)
        if used + cells > room:
            break
        kept.append(char)
        used += cells
    return ("".join(kept) + marker) if width >= len(marker) else "".join(kept)


def pad(text: str, width: int, align: str = "left", ambiguous_wide: bool = False) -> str:
    """`text` filled with spaces to `width` cells (left or right aligned); longer text is left as it is."""
    gap = width - cell_width(text, ambiguous_wide)
    if gap <= 0:
        return text
    return " " * gap + text if align == "right" else text + " " * gap


def wrap(text: str, width: int, ambiguous_wide: bool = False, *, first_indent: str = "", indent: str = "") -> list[str]:
    """`text` (its outer spaces dropped) broken into lines of at most `width` cells, including the indents.

    The breaks are `break_offsets`', the same as on screen; the spaces at a break are dropped.
    """
    text = text.strip()
    first_room = width - cell_width(first_indent, ambiguous_wide)
    room = width - cell_width(indent, ambiguous_wide)
    starts = [0, *break_offsets(text, room, ambiguous_wide, first_width=first_room)]
    ends = [*starts[1:], len(text)]
    pieces = [text[start:end].rstrip() for start, end in zip(starts, ends, strict=True)]
    return [(first_indent + pieces[0]).rstrip(), *(indent + piece for piece in pieces[1:])]


def break_offsets(text: str, width: int, ambiguous_wide: bool = False, *, first_width: int | None = None) -> list[int]:
    """Where the lines of `text` after the first start when it is wrapped to `width` cells (`first_width` for line 1).

    Latin words break at spaces, CJK text between any two characters, never before a closing mark or after an
    opening one (`NO_LINE_START`, `NO_LINE_END`). A run with no break that is longer than a line is cut (where
    kinsoku allows, if anywhere), and a character wider than the line gets a line of its own. Spaces at a
    break belong to neither line: callers strip them from the end of the line before. The console
    (`tui.render.wrap_text`) and the files (`wrap`) both break here.
    """
    offsets: list[int] = []
    start, room = 0, width if first_width is None else first_width
    if room == width and cell_width(text, ambiguous_wide) <= width:
        return offsets
    while True:
        end = _line_end(text, start, max(1, room), ambiguous_wide)
        while end < len(text) and text[end] in _BREAKABLE_SPACES:
            end += 1
        if end >= len(text):
            return offsets
        offsets.append(end)
        start, room = end, width


def _line_end(text: str, start: int, width: int, ambiguous_wide: bool) -> int:
    """Where the line that starts at `start` ends: the last break that fits, else a cut, else the text's end."""
    used = 0
    last_break = start
    for index in range(start, len(text)):
        char = text[index]
        if index > start and _may_break_before(text, index, start):
            last_break = index
        used += char_width(char, ambiguous_wide)
        if used > width and char not in _BREAKABLE_SPACES:
            return last_break if last_break > start else _cut(text, start, index)
    return len(text)


def _cut(text: str, start: int, overflow: int) -> int:
    """Where to cut a run with no break that overflows at `overflow`: as late as kinsoku allows, else there.

    `INC-20260302-17。` at 15 cells is cut as `INC-20260302-1` and `7。`, not with `。` starting a line.
    """
    for cut in range(overflow, start, -1):
        before, char = text[cut - 1], text[cut]
        if before not in _NOT_BEFORE_A_CUT and char not in _NOT_AFTER_A_CUT and char_width(char) > 0:
            return cut
    return overflow if overflow > start else overflow + 1


def _may_break_before(text: str, index: int, line_start: int) -> bool:
    """Whether a line may start at `index`: after a space, or beside a wide character, and never against kinsoku."""
    char = text[index]
    if char in _BREAKABLE_SPACES or char in NO_LINE_START or char_width(char) == 0:
        return False
    before = index - 1
    while before >= line_start and text[before] in _BREAKABLE_SPACES:
        before -= 1
    if before < line_start or text[before] in NO_LINE_END:
        return False
    return before < index - 1 or char_width(text[before]) == 2 or char_width(char) == 2
