"""Breakpoint classes set before a screen's first paint.

Textual adds a screen's breakpoint classes (`-wide`, `-tall`, ...) on its first Resize event, which comes after
the screen was painted once without them: the first frame went out twice, once in the wrong layout. Setting
the same classes on mount makes that Resize a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.screen import Screen


def breakpoint_class(dimension: int, breakpoints: Sequence[tuple[int, str]]) -> str:
    """The class of the largest breakpoint not above `dimension` ("" when none applies)."""
    for limit, name in sorted(breakpoints, reverse=True):
        if dimension >= limit:
            return name
    return ""


def apply_breakpoints(screen: Screen[Any]) -> None:
    """Give `screen` the breakpoint classes Textual would give it for the terminal's current size."""
    app = screen.app
    own_horizontal, own_vertical = screen.HORIZONTAL_BREAKPOINTS, screen.VERTICAL_BREAKPOINTS
    horizontal = (own_horizontal if own_horizontal is not None else app.HORIZONTAL_BREAKPOINTS) or []
    vertical = (own_vertical if own_vertical is not None else app.VERTICAL_BREAKPOINTS) or []
    width, height = app.size
    classes = {name: False for _, name in [*horizontal, *vertical]}
    for name in (breakpoint_class(width, horizontal), breakpoint_class(height, vertical)):
        if name:
            classes[name] = True
    screen.update_classes(classes, animate=False)
