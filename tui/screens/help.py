"""Help for the screen it was opened from: its keys, then a legend of every mark and symbol that screen draws.

The main screen's help also lists the playbook run's keys in a section of their own. The screen below names its
topic with a `HELP_TOPIC` class attribute (the main screen has none: it is the default). Escape, `?` or `q`
closes it; up/down (or j/k) scroll it at 80x24.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import DETAIL_KEY_HELP, KEY_HELP, RUN_KEY_HELP, TIMELINE_KEY_HELP, Translator
from tui.legend import legend_for
from tui.render import plain
from tui.widgets.text_label import TextLabel

TOPIC_KEYS = {"main": KEY_HELP, "timeline": TIMELINE_KEY_HELP, "detail": DETAIL_KEY_HELP}


@dataclass(frozen=True, slots=True)
class HelpSection:
    """Keys a console adds to its help (the console on several sites: `]`, `:site NAME`), and what they draw."""

    id: str
    title: str
    keys: Sequence[tuple[str, str]]
    legend: Sequence[tuple[str, str]] = ()


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
        .help-section { text-style: bold; color: $text-secondary; margin-top: 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("question_mark", "close", show=False),
        Binding("q", "close", show=False),
    ]

    def __init__(
        self,
        translate: Translator,
        *,
        topic: str = "",
        ascii_only: bool | None = None,
        more: Sequence[HelpSection] = (),
    ) -> None:
        """`topic` ('main', 'timeline', 'detail') and `ascii_only` default to the screen below and the app's look;
        `more`: sections after the topic's keys, their legends after its legend."""
        super().__init__()
        self._more = tuple(more)
        self._translate = translate
        self._topic = topic
        self._ascii_only = ascii_only

    @property
    def topic(self) -> str:
        if self._topic:
            return self._topic
        below = [screen for screen in self.app.screen_stack if screen is not self]
        found = getattr(below[-1], "HELP_TOPIC", "main") if below else "main"
        return found if found in TOPIC_KEYS else "main"

    def compose(self) -> ComposeResult:
        translate, topic = self._translate, self.topic
        ascii_only = self.app.has_class("-ascii") if self._ascii_only is None else self._ascii_only
        with VerticalScroll(id="help") as box:
            box.border_title = plain(translate("help.title"))
            yield TextLabel(plain(translate(f"help.screen.{topic}")), id="help-title", classes="help-section")
            yield Static(key_grid(translate.key_help(TOPIC_KEYS[topic])), id="help-keys")
            if topic == "main":
                yield TextLabel(plain(translate("help.run_keys")), id="help-run-title", classes="help-section")
                yield Static(key_grid(translate.key_help(RUN_KEY_HELP)), id="help-run-keys")
            for section in self._more:
                yield TextLabel(plain(section.title), id=f"{section.id}-title", classes="help-section")
                yield Static(key_grid(list(section.keys)), id=section.id)
            yield TextLabel(plain(translate("help.legend")), id="help-legend-title", classes="help-section")
            legend = legend_for(topic, translate, ascii_only=ascii_only)
            legend += [row for section in self._more for row in section.legend]
            yield Static(key_grid(legend), id="help-legend")
            yield TextLabel(plain(translate("help.close")), id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def key_grid(keys: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold", min_width=7)
    grid.add_column(ratio=1)
    for key, description in keys:
        grid.add_row(plain(key), plain(description))
    return grid
