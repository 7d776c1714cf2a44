"""One timeline entry in full: every field on its own line and the whole comment wrapped, never cut with `…`.

The table keeps each entry to one line, so a long ack comment or device message is cut there; Enter opens this.
Escape, `q` or Enter closes it. Operator and device text is shown as plain text (cleaned, never markup).
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from dutyroom.views.console_source import TimelineEntry
from tui.i18n import Translator
from tui.render import device_text, local_time, plain
from tui.screens.timeline_text import entry_fields
from tui.widgets.text_label import TextLabel

FULL_TEXT_LIMIT = 4000
"""Characters of one field shown in full (a comment is a few lines; a hostile device string is capped)."""


class TimelineEntryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TimelineEntryScreen {
        align: center middle;
        #timeline-entry {
            width: 78;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #timeline-entry-close { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("q", "close", show=False),
        Binding("enter", "close", show=False),
    ]

    def __init__(self, entry: TimelineEntry, translate: Translator, timezone: str) -> None:
        super().__init__()
        self.entry = entry
        self._translate = translate
        self._timezone = timezone

    def compose(self) -> ComposeResult:
        translate = self._translate
        with VerticalScroll(id="timeline-entry") as box:
            at = local_time(self.entry.at, self._timezone, seconds=True)
            box.border_title = plain(translate("timeline.entry_title", at=at))
            yield Static(field_grid(entry_fields(self.entry, translate)), id="timeline-entry-fields")
            yield TextLabel(plain(translate("timeline.entry_close")), id="timeline-entry-close")

    def action_close(self) -> None:
        self.dismiss(None)


def field_grid(fields: list[tuple[str, str]]) -> Table:
    """Labels in a narrow column, values wrapping beside them (CJK and Latin alike)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1, overflow="fold")
    for label, value in fields:
        grid.add_row(plain(label), device_text(value, FULL_TEXT_LIMIT))
    return grid
