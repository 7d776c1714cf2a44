"""The main screen of the console on several sites: each site's own playbook beside its alert, and its detail
and timeline read off the UI loop (`tui.site_reading`).

The one-site main screen draws the room's own playbooks; here an alert's playbook is its site's copy (the merged
snapshot names it `SITE:id`), and the pane says whose copy it shows, or that it is being read, or why that site
gives none.
"""

from __future__ import annotations

from dutyroom.playbooks.model import Playbook
from tui.screens.context import ConsoleContext
from tui.screens.main import MainScreen
from tui.site_source import MultiSiteSource
from tui.widgets.alert_rows import SiteColumn


class SiteMainScreen(MainScreen):
    """MainScreen on a MultiSiteSource: the pane names the site whose playbook it shows."""

    def __init__(self, context: ConsoleContext, sites: MultiSiteSource, site: SiteColumn) -> None:
        super().__init__(context, site)
        self.sites = sites

    def playbook_origin(self, playbook_id: str, playbook: Playbook | None) -> str:
        return self.sites.playbook_origin(playbook_id, self.context.settings.language, shown=playbook is not None)
