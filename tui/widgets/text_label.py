"""A label that shows `rich.text.Text` only (never markup) and repaints only when its text changed.

A new text asks for a layout (which reflows and repaints the whole screen's changed regions) only when the
label's height can change: a one-line text replaced by another one-line text at a fixed width is repainted
in place, so a status line or an overview whose numbers move costs one line, not a layout.
"""

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
        same_height = self._one_line(self._text) and self._one_line(text)
        self._text = text
        self.update(text, layout=not same_height)
        return True

    def _one_line(self, text: Text) -> bool:
        """Whether `text` takes exactly one line here, at a width that does not follow the text."""
        width = self.styles.width  # None: as wide as the container
        if (width is not None and width.is_auto) or not self.size.width or self.size.height != 1:
            return False
        return "\n" not in text.plain and text.cell_len <= self.size.width
