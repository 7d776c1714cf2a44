"""The site strip of the console on several sites: one line per site, so each room's state reads at a glance.

`SZ-MAIN ✔ OK  continuous trading  42/42 ok  poller up` for a site that answers (`▲ DEGRADED` while
some of its collectors are stale or failing), `SH-DR   ⊘ UNREACHABLE since 10:02` for one that does not: a
symbol and a word for every state, so it reads with 16 colours, NO_COLOR and `--ascii`. Three sites take three
lines at 80x24; a line too long for the terminal is cut at its end, where the least urgent words are. Only
`SitesApp` uses it: the one-site console's layout is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text

from dutyroom.model import State
from tui.i18n import Translator
from tui.render import device_text
from tui.site_source import SiteCondition, SiteStatus, clock_time
from tui.widgets.text_label import TextLabel

NAME_CELLS = 10
"""A site's name is padded to the longest name, up to this many cells (longer names are cut)."""
PHASE_CELLS = 20
"""A site's trading phase in the strip is cut after this many characters (the status line has it in full)."""
CONDITION_STATES = {
    SiteCondition.LOST: State.UNREACHABLE,
    SiteCondition.POLLER_DOWN: State.CRITICAL,
    SiteCondition.CONNECTING: State.STALE,
}
"""The state symbol a site's condition is drawn with (a live site: OK, or WARNING while degraded)."""


STRIP_LEGEND = (
    (State.OK, "site.strip.ok", "legend.site.ok"),
    (State.WARNING, "site.strip.degraded", "legend.site.degraded"),
    (CONDITION_STATES[SiteCondition.LOST], "site.strip.lost", "legend.site.lost"),
    (CONDITION_STATES[SiteCondition.POLLER_DOWN], "site.strip.poller_down", "legend.site.poller_down"),
    (CONDITION_STATES[SiteCondition.CONNECTING], "site.strip.connecting", "legend.site.connecting"),
)
"""Each state a site's line can show: its symbol, its words, what it means."""


def strip_legend(translate: Translator, *, ascii_only: bool = False) -> list[tuple[str, str]]:
    """What the strip draws (symbol + word, in the set the console uses) beside what it means, for the help."""
    legend = [
        (f"{state.ascii_symbol if ascii_only else state.symbol} {translate(word, since='HH:MM')}", translate(meaning))
        for state, word, meaning in STRIP_LEGEND
    ]
    legend.append((translate("site.strip.sending", count="N"), translate("legend.site.sending")))
    return legend


class SiteStrip(TextLabel):
    DEFAULT_CSS = """
    SiteStrip {
        dock: top;
        width: 100%;
        height: auto;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .site-strip--ok { color: $text-success; text-style: bold; }
        & > .site-strip--degraded { color: $text-warning; text-style: bold; }
        & > .site-strip--lost { color: $text-error; text-style: bold; }
        & > .site-strip--connecting { color: $text-muted; }
        & > .site-strip--hidden { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "site-strip--ok",
        "site-strip--degraded",
        "site-strip--lost",
        "site-strip--connecting",
        "site-strip--hidden",
    }

    def __init__(self, translate: Translator, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._translate = translate
        self._ascii_only = ascii_only

    def show_sites(self, statuses: Sequence[SiteStatus], timezone: str, sending: Mapping[str, int]) -> bool:
        return self.show(self.strip_text(statuses, timezone, sending))

    def strip_text(self, statuses: Sequence[SiteStatus], timezone: str, sending: Mapping[str, int]) -> Text:
        """One line per site; `sending`: how many actions to each site are on their way (not yet confirmed)."""
        names = [device_text(status.name, 40) for status in statuses]
        width = min(NAME_CELLS, max((name.cell_len for name in names), default=0))
        text = Text(end="")
        for position, (status, name) in enumerate(zip(statuses, names, strict=True)):
            if position:
                text.append("\n")
            name.truncate(width, pad=True)
            text.append_text(name)
            text.append(" ")
            self._append_state(text, status, timezone)
            details = self._details(status, sending.get(status.name, 0))
            if details:
                text.append("  ")
                text.append("  ".join(details), self._style("hidden") if not status.shown else Style())
        return text

    def _append_state(self, text: Text, status: SiteStatus, timezone: str) -> None:
        translate = self._translate
        degraded = status.health is not None and (status.health.stale or status.health.failing)
        state = CONDITION_STATES.get(status.condition, State.WARNING if degraded else State.OK)
        symbol = state.ascii_symbol if self._ascii_only else state.symbol
        if status.condition is SiteCondition.LIVE:
            style = "degraded" if degraded else "ok"
            word = translate(f"site.strip.{style}")
        elif status.condition is SiteCondition.CONNECTING:
            word, style = translate("site.strip.connecting"), "connecting"
        else:
            key = "site.strip.poller_down" if status.condition is SiteCondition.POLLER_DOWN else "site.strip.lost"
            since = clock_time(status.since, timezone) if status.since is not None else "?"
            word, style = translate(key, since=since), "lost"
        text.append(f"{symbol} {word}", self._style(style))

    def _details(self, status: SiteStatus, sending: int) -> list[str]:
        translate = self._translate
        details = []
        if status.health is not None:
            details.append(device_text(status.phase, PHASE_CELLS).plain)
            health = status.health
            words = [translate("site.strip.on_time", on_time=health.on_time, targets=health.targets)]
            if health.stale:
                words.append(translate("site.strip.stale", count=health.stale))
            if health.failing:
                words.append(translate("site.strip.failing", count=health.failing))
            details.append(" ".join(words))
            details.append(translate("site.strip.poller_alive"))
        if sending:
            details.append(translate("site.strip.sending", count=sending))
        if not status.shown:
            details.append(translate("site.strip.not_shown"))
        return [detail for detail in details if detail]

    def _style(self, name: str) -> Style:
        # Plain until Textual has computed the component styles (as SiteOverview does).
        return self.get_component_rich_style(f"site-strip--{name}", partial=True, default=Style())
