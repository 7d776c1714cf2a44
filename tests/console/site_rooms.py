"""Fake sites for the console on several sites: each a fake room read through a switch that can fail (a lost link),
with the room's own playbooks on its shelf."""

from __future__ import annotations

from collections.abc import Callable

from dutyroom.playbooks.model import Playbook
from dutyroom.views.console_source import ConsoleSnapshot
from tui.site_playbook_shelf import PlaybookShelf
from tui.site_source import MultiSiteSource, Site, SiteFeed, site_key

from .fakes import FIXED_NOW, FakeSource


class Switch:
    """A site's reads: its fake room, or the failure it is given (a lost link)."""

    def __init__(self, source: FakeSource) -> None:
        self.source = source
        self.failure: Exception | None = None

    def __call__(self) -> ConsoleSnapshot:
        if self.failure is not None:
            raise self.failure
        return self.source.snapshot(FIXED_NOW)


def fake_sites(
    names: tuple[str, ...] = ("SZ-MAIN", "SZ-BAK", "SH-DR"),
    language: str = "en",
    make_room: Callable[[], FakeSource] = FakeSource,
) -> tuple[MultiSiteSource, dict[str, Switch], dict[str, FakeSource]]:
    """A source on one fake room per name (`make_room`'s devices in each), each read through its switch."""
    rooms = {name: make_room() for name in names}
    reads = {name: Switch(room) for name, room in rooms.items()}
    clock = iter(FIXED_NOW + step for step in range(1000))
    sites = [
        Site(name, SiteFeed(name, reads[name], clock=lambda: next(clock)), rooms[name], room_shelf(name, rooms[name]))
        for name in rooms
    ]
    return MultiSiteSource(sites, language), reads, rooms


def room_shelf(name: str, room: FakeSource) -> PlaybookShelf:
    """The site's playbooks as its fake room has them (a service's answer: the playbook, or why there is none)."""

    def read(playbook_id: str, lang: str) -> tuple[Playbook | None, str]:
        found = room.playbook(playbook_id, lang)
        return found, "" if found is not None else f"no playbook '{playbook_id}' in this room"

    return PlaybookShelf(name, read)


def read_all(source: MultiSiteSource) -> None:
    """Every site's feed reads once, here, and every live site's shelf the playbooks of its alerts and runs (the
    console's feeds and shelves read on threads of their own)."""
    for name, site in source.sites.items():
        site.feed.read_once()
        latest, lost_since, _ = site.feed.peek()
        if latest is None or lost_since is not None:
            continue
        named = {alert.playbook for alert in latest.alerts} | {run.playbook_id for run in latest.runs.values()}
        for playbook_id in sorted(each for each in named if each):
            source.playbook(site_key(name, playbook_id), source.translate.language)
        site.playbooks.read_waiting()
