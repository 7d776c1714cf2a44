"""The red line across the top of the console while nobody polls: "✖ POLLER DOWN since 14:02: nothing is
being watched".

A symbol and words, so it reads with 16 colours, with NO_COLOR and in ASCII; docked at the top of the main
screen above the status line, and hidden (taking no room) while the poller is alive.
"""

from __future__ import annotations

from rich.text import Text

from dutyroom.model import State
from dutyroom.store.liveness import PollerLiveness
from tui.i18n import Translator
from tui.render import since_text
from tui.widgets.text_label import TextLabel


class PollerBanner(TextLabel):
    DEFAULT_CSS = """
    PollerBanner {
        dock: top;
        display: none;
        width: 100%;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    PollerBanner.-down { display: block; }
    """

    def __init__(self, translate: Translator, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._translate = translate
        self._symbol = State.CRITICAL.ascii_symbol if ascii_only else State.CRITICAL.symbol

    def show_liveness(self, liveness: PollerLiveness | None, now: float, timezone: str) -> None:
        """Show the banner while `liveness` says down; hide it otherwise (None: nothing known, hidden)."""
        down = liveness is not None and liveness.down
        self.set_class(down, "-down")
        self.show(self.banner_text(liveness, now, timezone) if down and liveness is not None else Text(""))

    def banner_text(self, liveness: PollerLiveness, now: float, timezone: str) -> Text:
        if liveness.since > 0:
            since = since_text(liveness.since, now, timezone, with_time=True)
            words = self._translate("poller.down", since=since)
        else:
            words = self._translate("poller.down.never")
        return Text(f"{self._symbol} {words}", end="")
