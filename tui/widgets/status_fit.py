"""Fitting the status line into one terminal line: its parts give way one step at a time, least important first.

A status line that wraps pushes the alert list down a line at 80x24 and splits a fact across two lines, so the
line is fitted to the width instead: each part has its forms (the fullest first; a part that may go has "" last),
and a fixed order of steps moves one part at a time to its next form until the line fits. Widths are terminal
cells (`dutyroom.textwidth`), so a Chinese line is measured as the terminal draws it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dutyroom.textwidth import cell_width, truncate


def fit_line(
    parts: Mapping[str, Sequence[str]], give_way: Sequence[str], separator: str, width: int, *, marker: str = "…"
) -> str:
    """The parts (in their order, empty ones left out) joined by `separator` within `width` cells.

    `parts` maps a name to its forms, fullest first; each name in `give_way` moves that part to its next form
    (or to "" past its last form) while the line is too wide; then the steps are undone, latest first, where
    the line still fits (dropping the site may leave room for the role given up before it). A part that never
    appears in `give_way` always shows. When even the last step is too wide, the widest part left is cut
    (ending in `marker`) rather than the line wrapped.
    """
    chosen = dict.fromkeys(parts, 0)

    def line() -> list[str]:
        shown = (forms[chosen[name]] if chosen[name] < len(forms) else "" for name, forms in parts.items())
        return [text for text in shown if text]

    def too_wide(texts: list[str]) -> int:
        return cell_width(separator.join(texts)) - width

    taken: list[str] = []
    for name in give_way:
        if too_wide(line()) <= 0:
            break
        chosen[name] += 1
        taken.append(name)
    for name in reversed(taken):  # the room a later, wider step freed may hold an earlier step's part again
        chosen[name] -= 1
        if too_wide(line()) > 0:
            chosen[name] += 1
    texts = line()
    overflow = too_wide(texts)
    if overflow > 0 and texts:
        widest = max(range(len(texts)), key=lambda index: cell_width(texts[index]))
        cut = truncate(texts[widest], max(0, cell_width(texts[widest]) - overflow), marker=marker)
        texts[widest] = cut.removesuffix(marker).rstrip() + marker  # no space left dangling before the marker
    return separator.join(texts)
