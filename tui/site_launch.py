"""`dutyroom --site NAME=URL ...`: the console on several sites' services at once (`tui.site_source`).

Each site gets four clients of its service: one for its feed's thread (snapshots), one for the screens'
reads (details, timeline), one for its playbooks' thread, one for actions, so a slow read never holds up an
ack. Over SSH each is its own `ssh host dutyroom api-bridge`, run as the SSH login user: the remote service
records that person. The playbooks beside a site's alerts are that site's (`GET /v1/playbook`), never the seat's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutyroom.operators.identity import current_identity
from dutyroom.views.console_source import ConsoleSnapshot
from tui.launch import ConsoleOptions
from tui.screens.terminal_profile import prepare_environment
from tui.service_client import ServiceClient
from tui.service_source import CONSOLE_TIMEOUT_S, ServiceDesk, ServiceSource
from tui.site_links import SOCKET_NAME, LinkKind, SiteLink, SshSiteClient
from tui.site_playbook_shelf import PlaybookShelf
from tui.site_playbooks import SitePlaybooks
from tui.site_source import MultiSiteSource, Site, SiteDesk, SiteFeed, SitePollerDown

if TYPE_CHECKING:
    from dutyroom.room import Room

SITE_READ_TIMEOUT_S = 5.0
"""A feed reads off the UI loop, so it may wait for a slow link longer than a console's own read."""


def site_client(link: SiteLink, timeout_s: float) -> ServiceClient:
    """A client of the site's service that connects on its first request (a site down now may come back)."""
    import os

    if link.kind is LinkKind.SSH:
        return SshSiteClient(link, os.environ, timeout_s=timeout_s)
    path = link.path / SOCKET_NAME if link.kind is LinkKind.STATE else link.path
    return ServiceClient(path, timeout_s=timeout_s)


def run_console_on_sites(room: Room, links: list[SiteLink], options: ConsoleOptions) -> int:
    """The console on every site of `links`; `room` gives the language (each site gives its own playbooks)."""
    from tui.app import create_app
    from tui.site_app import sites_app

    remote = prepare_environment(options.remote)
    language = options.language or room.config.parsed.site.language
    lang = "zh" if language == "zh" else "en"
    clients: list[ServiceClient] = []

    def client(link: SiteLink, timeout_s: float) -> ServiceClient:
        clients.append(site_client(link, timeout_s))
        return clients[-1]

    sites = []
    desks = {}
    for link in links:
        feed_client = client(link, SITE_READ_TIMEOUT_S)

        def read(feed_client: ServiceClient = feed_client) -> ConsoleSnapshot:
            poller = feed_client.status().poller  # first: a snapshot read hands out its transitions once
            if poller.down:
                raise SitePollerDown(f"its poller is down ({poller.reason})")
            return feed_client.get(f"/v1/console/snapshot?lang={lang}", ConsoleSnapshot)

        reads = ServiceSource(client(link, CONSOLE_TIMEOUT_S), room, lang)
        asked = SitePlaybooks(link.name, client(link, SITE_READ_TIMEOUT_S), keep_s=0.0)  # the shelf keeps them
        sites.append(Site(link.name, SiteFeed(link.name, read), reads, PlaybookShelf(link.name, asked.answer)))
        desks[link.name] = ServiceDesk(client(link, SITE_READ_TIMEOUT_S), current_identity())
    source = MultiSiteSource(sites, lang)
    for site in sites:
        site.feed.start()
        site.playbooks.start()
    desk = SiteDesk(desks)
    like = create_app(
        source,
        desk,
        language=language,
        remote=remote,
        ascii_only=options.ascii_only,
        bell=options.bell is not False,
        mouse=options.mouse,
        live_clock=options.live_clock,
        sixteen_colors=options.sixteen_colors,
        on_handover=None,
    )
    app = sites_app(source, desk, like)  # the settings `create_app` works out; the app that names lost sites
    try:
        app.run()
    finally:
        for site in sites:
            site.feed.stop(0.0)  # every feed told at once: a quit waits for no link in turn
            site.playbooks.stop(0.0)
        for site in sites:
            site.feed.stop(1.0)
            site.playbooks.stop(1.0)
        for each in clients:
            each.close()
    return 0
