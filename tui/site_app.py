"""The console on several sites: the one-site console, plus a banner and one bell for each site that is lost.

The red banner the console has for a poller down says, here, which site cannot be reached and since when
("✖ SITE SH-DR UNREACHABLE since 10:02"); the other sites keep updating under it, so nothing is greyed. When
no site answers at all, the console's own poller-down banner stands (nothing is watched from this seat).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import Screen

from dutyroom.model import State
from dutyroom.operators.desk import ActionDesk
from dutyroom.operators.planning import Intent
from dutyroom.textclean import clean_text
from tui.app import OUTAGE_NOTICE_S, DutyroomApp
from tui.i18n import SITE_KEY_HELP
from tui.screens.context import SubmitOutcome
from tui.screens.help import HelpScreen, HelpSection
from tui.screens.main import MainScreen
from tui.site_actions import SiteActionSettled, SiteSender
from tui.site_screens import SiteMainScreen
from tui.site_source import MultiSiteSource, site_and_target
from tui.widgets.alert_rows import SiteColumn
from tui.widgets.poller_banner import PollerBanner
from tui.widgets.site_strip import SiteStrip, strip_legend

SITE_CELLS = (4, 10)
"""The Site column's narrowest and widest (a site's name is short: SZ-MAIN, SH-DR)."""


class SitesApp(DutyroomApp):
    """DutyroomApp whose banner names the lost sites; a site newly lost rings once and leaves a notice.

    `]` shows the next site alone (and then all again), as `:site NAME` / `:site all` do from the palette."""

    CSS = """
    #site-top { dock: top; height: auto; }
    #site-top > PollerBanner, #site-top > SiteStrip { dock: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *DutyroomApp.BINDINGS,
        Binding("right_square_bracket", "next_site", show=False),
    ]

    def __init__(self, source: MultiSiteSource, desk: ActionDesk, like: DutyroomApp) -> None:
        context = like.context
        super().__init__(source, desk, context.settings, context.clock, None, source.poller_liveness)
        self.sites = source
        self._lost: set[str] = set()
        self.sending: dict[str, int] = {}
        """How many actions to each site are on their way (sent, not yet confirmed or refused)."""
        self._sender = SiteSender(desk, self.post_message)

    def get_default_screen(self) -> MainScreen:
        return SiteMainScreen(self.context, self.sites, site_column(self.sites.sites))

    def compose(self) -> ComposeResult:
        """The console's banner, then the site strip, docked together at the top (two docked widgets overlap)."""
        with Vertical(id="site-top"):
            yield from super().compose()
            yield SiteStrip(self.context.translate, ascii_only=self.context.settings.ascii_only, id="site-strip")

    def narrow(self, name: str | None) -> None:
        """Show site `name` alone (None: every site) from this tick on."""
        self.sites.narrow(name)
        self.refresh_snapshot()
        translate = self.context.translate
        self.notify(translate("site.only", site=name) if name is not None else translate("site.all"), markup=False)

    def action_next_site(self) -> None:
        names: list[str | None] = [*self.sites.sites, None]
        self.narrow(names[(names.index(self.sites.only) + 1) % len(names)])

    def action_help(self) -> None:
        """The main screen's help, with the site keys and what the site strip draws."""
        translate, ascii_only = self.context.translate, self.context.settings.ascii_only
        sites = HelpSection(
            "help-site-keys",
            translate("help.site_keys"),
            translate.key_help(SITE_KEY_HELP),
            strip_legend(translate, ascii_only=ascii_only),
        )
        self.push_screen(HelpScreen(translate, topic="main", ascii_only=ascii_only, more=[sites]))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for name in self.sites.sites:
            yield SystemCommand(f"site {name}", f"show only site {name}", partial(self.narrow, name))
        yield SystemCommand("site all", "show every site", partial(self.narrow, None))

    def refresh_snapshot(self) -> None:
        super().refresh_snapshot()
        self._show_strip()
        lost = self.sites.lost()
        newly = set(lost) - self._lost
        self._lost = set(lost)
        if not lost or (self.poller is not None and self.poller.down):
            return  # the console's own banner: hidden, or saying that nothing is watched
        shown = self.main_screen.snapshot if self.screen_stack else None
        timezone = shown.status.timezone if shown is not None else ""
        ascii_only = self.context.settings.ascii_only
        symbol = State.CRITICAL.ascii_symbol if ascii_only else State.CRITICAL.symbol
        words = "; ".join(self.sites.lost_text(name, at, timezone) for name, at in lost.items())
        text = f"{symbol} {words}{self.context.translate('site.hidden')}"
        try:
            banner = self.query_one(PollerBanner)
        except NoMatches:
            return
        banner.set_class(True, "-down")
        banner.show(Text(text, end=""))
        if newly:
            self.ring_bell()
            self.notify(text, severity="error", timeout=OUTAGE_NOTICE_S, markup=False)

    def record(self, intent: Intent, alert: str) -> SubmitOutcome:
        """Send the action to its site off the UI loop and say so; `action_settled` tells how it went."""
        sent = self._sender.send(intent, alert, self.context.clock())
        self.sending[sent.site] = self.sending.get(sent.site, 0) + 1
        self._show_strip()
        self.notify(self.context.translate("site.sending", action=sent.kind, site=sent.site), markup=False)
        return SubmitOutcome(None, pending=True)

    @on(SiteActionSettled)
    def action_settled(self, message: SiteActionSettled) -> None:
        """Recorded only when the site stored it; refused, or unconfirmed when the site did not answer (it may have
        stored it: its timeline says, once it is back), in one line that keeps what the operator typed."""
        sent, outcome, translate = message.sent, message.outcome, self.context.translate
        left = self.sending.get(sent.site, 0) - 1
        if left > 0:
            self.sending[sent.site] = left
        else:
            self.sending.pop(sent.site, None)
        if outcome.recorded:
            self.notify(f"{sent.site}: {self._done_text(sent.intent, sent.alert)}", markup=False)
            self.refresh_snapshot()
            return
        typed = clean_text(sent.operator_text, 300)
        key = "site.not_recorded" if message.answered else "site.not_confirmed"
        words = translate(key, action=sent.kind, site=sent.site, reason=outcome.reason)
        if typed:
            words += translate("site.your_text", text=typed)
        self.notify(words, title=translate("refused.title"), severity="error", timeout=OUTAGE_NOTICE_S, markup=False)
        self._show_strip()

    def strip_text(self) -> str:
        """What the site strip shows now."""
        return self.query_one(SiteStrip).text.plain

    def _show_strip(self) -> None:
        shown = self.main_screen.snapshot if self.screen_stack else None
        timezone = shown.status.timezone if shown is not None else ""
        try:
            strip = self.query_one(SiteStrip)
        except NoMatches:
            return  # the screen is being torn down while the app shuts down
        strip.show_sites(self.sites.site_statuses(), timezone, self.sending)


def site_column(sites: Iterable[str]) -> SiteColumn:
    """The alert list's Site column: as wide as the longest site name, within SITE_CELLS (longer ones are cut)."""
    longest = max((cell_len(clean_text(name, 40)) for name in sites), default=0)
    return SiteColumn(max(SITE_CELLS[0], min(SITE_CELLS[1], longest)), site_and_target)


def sites_app(source: MultiSiteSource, desk: ActionDesk, like: DutyroomApp) -> SitesApp:
    """The console on `source`'s sites, with the settings (terminal, language, bell) `like` was made with."""
    return SitesApp(source, desk, like)
