"""Fake sites for the console on several sites: each a fake room read through a switch that can fail (a lost link)."""

from __future__ import annotations

from collections.abc import Callable

from dutyroom.views.console_source import ConsoleSnapshot
from tui.site_source import MultiSiteSource, Site, SiteFeed

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
    sites = [Site(name, SiteFeed(name, reads[name], clock=lambda: next(clock)), rooms[name]) for name in rooms]
    return MultiSiteSource(sites, rooms[names[0]], language), reads, rooms


def read_all(source: MultiSiteSource) -> None:
    """Every site's feed reads once, here (the console's feeds read on threads of their own)."""
    for site in source.sites.values():
        site.feed.read_once()
