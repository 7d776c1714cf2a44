"""A full-screen notice shown while the terminal is below 80x24 (app.tcss shows it by breakpoint class).

It covers the screen without touching any other widget, so the list, cursor, filter and open dialogs are
exactly as they were once the terminal grows again.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.i18n import Translator

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallNotice(Widget):
    DEFAULT_CSS = """
    TooSmallNotice {
        display: none;
        layer: notice;
        dock: top;
        width: 100%;
        height: 100%;
        background: $error;
        color: $text;
        text-style: bold;
        content-align: center middle;
        text-align: center;
    }
    """

    def __init__(self, translate: Translator) -> None:
        super().__init__()
        self._translate = translate

    def render(self) -> Text:
        width, height = self.app.size
        return Text(self._translate("too_small", width=width, height=height), end="")

    def on_resize(self) -> None:
        self.refresh()
