"""Terminal cell widths for files read in `less` or printed: CJK-aware width, padding, truncation, wrapping.

East Asian Wide and Fullwidth characters take two cells, combining marks and format characters none, the
rest one. East Asian Ambiguous characters (…, ×, —, ▲) are one cell in Western terminals but two in PuTTY or
Xshell set up for CJK; pass `ambiguous_wide=True` to count them as two so Chinese text never overflows.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_GLUED_TO_PREVIOUS = frozenset("，。、；：？！）」』】》〉’”%％,.;:?!)]}")
"""Closing punctuation a line must not start with (kinsoku): it stays with the token before it."""
_GLUED_TO_NEXT = frozenset("（「『【《〈‘“")
"""Opening punctuation a line must not end with: it stays with the token after it."""


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
    """`text` broken into lines of at most `width` cells, including the indents.

    Latin words break at spaces, CJK text between any two characters (closing punctuation stays with the
    character before it), and a word longer than a line is cut.
    """
    if "  " not in text and cell_width(first_indent + text, ambiguous_wide) <= width:
        return [(first_indent + text.strip()).rstrip()]
    lines: list[str] = []
    line, used = first_indent, cell_width(first_indent, ambiguous_wide)
    at_line_start = True
    for token, spaced in _tokens(text, ambiguous_wide):
        token_cells = cell_width(token, ambiguous_wide)
        gap = 1 if spaced and not at_line_start else 0
        if not at_line_start and used + gap + token_cells > width:
            lines.append(line.rstrip())
            line, used, gap = indent, cell_width(indent, ambiguous_wide), 0
            at_line_start = True
        while used + gap + token_cells > width and token_cells > 0:
            room = max(1, width - used - gap)
            head, token = _split_cells(token, room, ambiguous_wide)
            lines.append((line + " " * gap + head).rstrip())
            line, used, gap = indent, cell_width(indent, ambiguous_wide), 0
            token_cells = cell_width(token, ambiguous_wide)
        if token:
            line += " " * gap + token
            used += gap + token_cells
            at_line_start = False
    if not at_line_start or not lines:
        lines.append(line.rstrip())
    return lines


def _tokens(text: str, ambiguous_wide: bool) -> list[tuple[str, bool]]:
    """Unbreakable pieces of `text`, each with whether a space came before it."""
    tokens: list[tuple[str, bool]] = []
    current = ""
    spaced = False
    opening = ""
    for char in text:
        if char == " ":
            if current:
                tokens.append((current, spaced))
                current = ""
            spaced = True
            continue
        if char in _GLUED_TO_PREVIOUS and not opening and (current or (tokens and not spaced)):
            if not current:
                current, spaced = tokens.pop()
            current += char
            continue
        if char in _GLUED_TO_NEXT:
            if current:
                tokens.append((current, spaced))
                current, spaced = "", False
            opening += char
            continue
        if char_width(char, ambiguous_wide) == 2:
            if current:
                tokens.append((current, spaced))
                spaced = False
            tokens.append((opening + char, spaced))
            current, spaced, opening = "", False, ""
            continue
        current += opening + char
        opening = ""
    if current or opening:
        tokens.append((current + opening, spaced))
    return tokens


def _split_cells(token: str, cells: int, ambiguous_wide: bool) -> tuple[str, str]:
    """The longest head of `token` fitting in `cells` (at least one character), and the rest."""
    used = 0
    for index, char in enumerate(token):
        used += char_width(char, ambiguous_wide)
        if used > cells:
            return (token[:index], token[index:]) if index else (token[:1], token[1:])
    return token, ""
