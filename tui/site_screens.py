"""The screens of the console on several sites: each site's own playbook beside its alert; a target's detail and
the timeline read off the UI loop.

The one-site main screen draws the room's own playbooks; here an alert's playbook is its site's copy (the merged
snapshot names it `SITE:id`), and the pane says whose copy it shows, or that it is being read, or why that site
gives none. The one-site detail and timeline read their local store on the UI loop; here a read may wait for a
site just lost (its link hangs before its feed notices), so each read runs on a thread (`tui.site_reading`):
the screen says "reading…", then shows the answer, or "SITE X unreachable" when none comes in time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from textual import on
from textual.screen import Screen

from dutyroom.playbooks.model import Playbook
from dutyroom.textclean import clean_text
from dutyroom.views.console_source import ConsoleSnapshot, TargetDetail
from tui.render import plain
from tui.screens.context import REASON_LIMIT, ConsoleContext
from tui.screens.detail import TargetDetailScreen
from tui.screens.main import MainScreen
from tui.screens.timeline import KINDS, WINDOW_S, TimelineScreen
from tui.service_client import ServiceRefused, ServiceUnreachable
from tui.site_reading import READ_TIMEOUT_S, SiteReadDone, SiteReader
from tui.site_source import TIMELINE_WAIT_S, MultiSiteSource, split_key
from tui.site_timeline import SitesTimeline
from tui.widgets.alert_rows import SiteColumn
from tui.widgets.text_label import TextLabel


class SiteMainScreen(MainScreen):
    """MainScreen on a MultiSiteSource: the pane names the site whose playbook it shows; Enter and `t` open
    screens that read the sites off the UI loop."""

    def __init__(self, context: ConsoleContext, sites: MultiSiteSource, site: SiteColumn) -> None:
        super().__init__(context, site)
        self.sites = sites

    def playbook_origin(self, playbook_id: str, playbook: Playbook | None) -> str:
        return self.sites.playbook_origin(playbook_id, self.context.settings.language, shown=playbook is not None)

    def detail_screen(self, target_id: str) -> Screen[None]:
        return SiteDetailScreen(self.context, target_id, lambda: self.snapshot)

    def timeline_screen(self, timezone: str) -> Screen[None]:
        return SiteTimelineScreen(self.context, self.sites, timezone)


def failure_text(context: ConsoleContext, site: str, error: Exception) -> str:
    """A failed read of `site` in one line: unreachable, or the site's refusal, or the error's kind and words."""
    if isinstance(error, ServiceUnreachable):
        return context.translate("site.unreachable", site=site)
    reason = str(error) if isinstance(error, ServiceRefused) else f"{type(error).__name__}: {error}"
    return f"{site}: {clean_text(reason, REASON_LIMIT)}"


class SiteDetailScreen(TargetDetailScreen):
    """The detail of a site's target, read on a thread: "reading…" until the site answers; "SITE X unreachable"
    when it does not within READ_TIMEOUT_S (what was shown before is then no longer shown as current)."""

    def __init__(self, context: ConsoleContext, target_id: str, snapshot: Callable[[], ConsoleSnapshot | None]) -> None:
        super().__init__(context, target_id, snapshot)
        self.site = split_key(target_id)[0]
        self.read_state = context.translate("site.reading")
        """What the screen says in place of the detail while there is none to show ("" once one came)."""
        self._reader: SiteReader[TargetDetail | None] = SiteReader(self.post_message, timeout_s=READ_TIMEOUT_S)

    def refresh_detail(self) -> None:
        """Start the next read (when none is going), or say the site is unreachable when the one going is late."""
        if not self._reader.reading:
            read = partial(self.context.source.detail, self.target_id, self.context.clock())
            self._reader.start(read, f"detail-{self.site}")
        elif self._reader.late:
            self.detail = None
            self.read_state = self.context.translate("site.unreachable", site=self.site)
        self._show()
        self._show_alerts()

    @on(SiteReadDone)
    def detail_read(self, done: SiteReadDone[TargetDetail | None]) -> None:
        if not self._reader.settle(done):
            return
        if done.error is None:
            self.detail, self.read_state = done.value, ""
        else:
            self.detail, self.read_state = None, failure_text(self.context, self.site, done.error)
        self._show()
        self._show_alerts()

    @property
    def reading(self) -> bool:
        return self.read_state == self.context.translate("site.reading")

    def _show(self) -> None:
        super()._show()
        if self.detail is None and self.read_state:
            error = self.query_one("#detail-error", TextLabel)
            error.set_class(self.reading, "-none")  # muted while reading, in the error colour once it failed
            error.show(plain(self.read_state))

    def _show_alerts(self) -> None:
        """The target's alerts, unless its site failed to answer: its last alerts are not current then."""
        super()._show_alerts()
        if self.detail is None and self.read_state and not self.reading:
            self.query_one("#detail-alerts", TextLabel).display = False


class SiteTimelineScreen(TimelineScreen):
    """The timeline of every shown site, read on a thread; its head says "reading…", then names the sites that
    did not answer ("SITE SH-DR unreachable"), whose entries are then not shown."""

    def __init__(self, context: ConsoleContext, sites: MultiSiteSource, timezone: str = "") -> None:
        super().__init__(context, timezone)
        self.sites = sites
        self.read_state = context.translate("site.reading")
        """What the head says after the title: reading, the sites that did not answer, or ""."""
        self._reader: SiteReader[SitesTimeline] = SiteReader(self.post_message, timeout_s=READ_TIMEOUT_S)

    def reload(self) -> None:
        if not self._reader.reading:
            now = self.context.clock()
            read = partial(self.sites.timeline_of_sites, now - WINDOW_S, math.inf, KINDS, timeout_s=TIMELINE_WAIT_S)
            self._reader.start(read, "timeline")  # it returns within the sites' deadline (TIMELINE_WAIT_S)
        self._show_head()
        self._show()

    @on(SiteReadDone)
    def timeline_read(self, done: SiteReadDone[SitesTimeline]) -> None:
        if not self._reader.settle(done):
            return
        if done.error is not None or done.value is None:
            self.read_state = clean_text(f"{type(done.error).__name__}: {done.error}", REASON_LIMIT)
        else:
            self.entries = list(done.value.entries)
            translate = self.context.translate
            self.read_state = "; ".join(translate("site.unreachable", site=name) for name in done.value.unanswered)
        self._show_head()
        self._show()

    def _show_head(self) -> None:
        title = self.context.translate("timeline.title")
        head = self.query_one("#timeline-head", TextLabel)
        head.show(plain(f"{title}  {self.read_state}" if self.read_state else title))
