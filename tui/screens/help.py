"""Every key, in the console's language, the run's keys in a section of their own; Escape, `?` or `q` closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import RUN_KEY_HELP, Translator
from tui.render import plain
from tui.widgets.text_label import TextLabel


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #help {
            width: 78;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        #help-close { color: $text-muted; }
        #help-run-title { text-style: bold; color: $text-secondary; margin-top: 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("question_mark", "close", show=False),
        Binding("q", "close", show=False),
    ]

    def __init__(self, translate: Translator) -> None:
        super().__init__()
        self._translate = translate

    def compose(self) -> ComposeResult:
        translate = self._translate
        with VerticalScroll(id="help") as box:
            box.border_title = plain(translate("help.title"))
            yield Static(key_grid(translate.key_help()), id="help-keys")
            yield TextLabel(plain(translate("help.run_keys")), id="help-run-title")
            yield Static(key_grid(translate.key_help(RUN_KEY_HELP)), id="help-run-keys")
            yield TextLabel(plain(translate("help.close")), id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)


def key_grid(keys: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold", min_width=7)
    grid.add_column(ratio=1)
    for key, description in keys:
        grid.add_row(plain(key), plain(description))
    return grid
