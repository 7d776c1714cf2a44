"""Scrollbars without block characters, for terminals that draw them double width (the ASCII-only profile)."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender


class AsciiScrollBarRender(ScrollBarRender):
    """The thumb as coloured spaces only (Textual draws its ends with ▁▂▃… eighth blocks)."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def use_ascii_scrollbars(enabled: bool) -> None:
    """Choose the scrollbar renderer; Textual keeps it on the ScrollBar class (one console per process)."""
    ScrollBar.renderer = AsciiScrollBarRender if enabled else ScrollBarRender
