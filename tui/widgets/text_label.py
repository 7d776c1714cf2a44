"""A label that shows `rich.text.Text` only (never markup) and repaints only when its text changed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TextLabel(Static):
    DEFAULT_CSS = """
    TextLabel { height: auto; }
    """

    def __init__(self, text: Text | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        self._text = text if text is not None else Text("")
        super().__init__(self._text, id=id, classes=classes, markup=False)

    @property
    def text(self) -> Text:
        return self._text

    def show(self, text: Text) -> bool:
        """Show `text`; returns False (and repaints nothing) when it is what is already shown."""
        if text == self._text:
            return False
        self._text = text
        self.update(text)
        return True
