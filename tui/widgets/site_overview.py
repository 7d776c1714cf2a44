"""The site at a glance: per group, how many targets are in each state (symbol + number, worst first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text

from dutyroom.model import STATE_RANKS, State
from dutyroom.views.alerts import GroupCount
from tui.i18n import Translator
from tui.render import device_text
from tui.widgets.text_label import TextLabel

STATES_WORST_FIRST = sorted(State, key=lambda state: -STATE_RANKS[state])


class SiteOverview(TextLabel):
    DEFAULT_CSS = """
    SiteOverview {
        height: auto;
        & > .site-overview--group { text-style: bold; }
        & > .site-overview--critical { color: $text-error; text-style: bold; }
        & > .site-overview--unreachable { color: $text-error; text-style: bold; }
        & > .site-overview--warning { color: $text-warning; text-style: bold; }
        & > .site-overview--unknown { color: $text-warning; }
        & > .site-overview--stale { color: $text-muted; }
        & > .site-overview--ok { color: $text-success; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"site-overview--group"} | {
        f"site-overview--{state.value}" for state in State
    }

    def __init__(self, translate: Translator, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._translate = translate
        self._ascii_only = ascii_only

    def show_groups(self, groups: Sequence[GroupCount]) -> bool:
        return self.show(self.overview_text(groups))

    def overview_text(self, groups: Sequence[GroupCount]) -> Text:
        separator = " | " if self._ascii_only else " │ "
        text = Text(end="")
        for position, group in enumerate(groups):
            if position:
                text.append(separator)
            label = group.label_zh if self._translate.language == "zh" else group.label
            start = len(text)
            text.append_text(device_text(label or group.group, 40))
            text.stylize(self._style("group"), start, len(text))
            for state in STATES_WORST_FIRST:
                count = group.counts.get(state, 0)
                if count:
                    symbol = state.ascii_symbol if self._ascii_only else state.symbol
                    text.append(f" {symbol}{count}", self._style(state.value))
        return text

    def _style(self, name: str) -> Style:
        # Plain until Textual has computed the component styles (a snapshot can arrive before the first style
        # pass); the next snapshot restyles it, as LineTable does.
        return self.get_component_rich_style(f"site-overview--{name}", partial=True, default=Style())
