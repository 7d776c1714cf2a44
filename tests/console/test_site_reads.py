"""The detail and the timeline of a site just lost never block the console (issue 17), against fake sites.

"Just lost": the site's feed has not noticed yet, and its reads hang (a broken SSH link does, for seconds).
Opening its target's detail says "reading…" at once, keeps handling keys, and says "SITE SH-DR unreachable"
when no answer comes in time; an answer that comes later is shown. The timeline shows the sites that answered
and names the one that did not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import pytest
from textual.pilot import Pilot

from dutyroom.views.console_source import TargetDetail, TimelineEntry
from tui.service_client import ServiceUnreachable
from tui.site_app import SitesApp, sites_app
from tui.site_screens import SiteDetailScreen, SiteTimelineScreen
from tui.site_source import SiteDesk
from tui.widgets.text_label import TextLabel

from .apps import console_app, wait_until
from .fakes import FIXED_NOW, FakeSource, sample_detail, sample_timeline
from .site_rooms import Switch, fake_sites, read_all

"""How many short pauses a test waits at most for something the console does on another thread."""


@dataclass
class HangingRoom(FakeSource):
    """A site whose reads hang until `answer` is set (its feed's snapshots still come: it is only just lost)."""

    answer: threading.Event = field(default_factory=threading.Event)
    asked: int = 0

    def detail(self, target_id: str, now: float) -> TargetDetail | None:
        self.asked += 1
        self.answer.wait(30)
        return super().detail(target_id, now)

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        self.asked += 1
        self.answer.wait(30)
        return super().timeline(since, until, kinds)


@pytest.fixture
def hanging_room() -> Iterator[HangingRoom]:
    room = HangingRoom()
    try:
        yield room
    finally:
        room.answer.set()  # no thread is left waiting on the test


@pytest.fixture(autouse=True)
def short_deadlines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screens give up on a site sooner than in service, so the tests wait less."""
    monkeypatch.setattr("tui.site_screens.READ_TIMEOUT_S", 0.3)
    monkeypatch.setattr("tui.site_screens.TIMELINE_WAIT_S", 0.3)


def console_with(hanging: HangingRoom) -> tuple[SitesApp, dict[str, Switch], dict[str, FakeSource]]:
    """SZ-MAIN answers; SH-DR's feed still has its snapshot, but its reads go to `hanging`."""
    source, reads, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    detail = sample_detail()
    for room in (*rooms.values(), hanging):
        room.details[detail.target] = detail
        room.timeline_entries = sample_timeline()
    read_all(source)
    source.sites["SH-DR"] = replace(source.sites["SH-DR"], source=hanging)
    return sites_app(source, SiteDesk(rooms), console_app(rooms["SZ-MAIN"])), reads, dict(rooms)


def label(app: SitesApp, selector: str) -> str:
    return app.screen.query_one(selector, TextLabel).text.plain


async def open_detail(pilot: Pilot[None], app: SitesApp, site: str) -> None:
    """Narrow to `site` and press Enter on its first alert: the target's detail opens."""
    app.narrow(site)
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, SiteDetailScreen), "the detail screen")


async def test_the_detail_of_a_site_just_lost_says_reading_then_unreachable_and_keys_still_work(
    hanging_room: HangingRoom,
) -> None:
    app, _, _ = console_with(hanging_room)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, app, "SH-DR")
        assert label(app, "#detail-error") in ("reading…", "SITE SH-DR unreachable")
        await wait_until(pilot, lambda: hanging_room.asked, "the read to reach SH-DR")
        await pilot.press("question_mark")  # the UI loop handles keys while the read hangs
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await wait_until(pilot, lambda: label(app, "#detail-error") == "SITE SH-DR unreachable", "unreachable")
        assert hanging_room.asked == 1, "one read at a time: a hanging site never stacks reads"
        hanging_room.answer.set()  # the link answers after all: what it said is shown
        await wait_until(pilot, lambda: "UPS A" in label(app, "#detail-head"), "the late answer shown")
        assert "unreachable" not in label(app, "#detail-error")


async def test_the_detail_of_a_site_known_lost_says_so_at_once(hanging_room: HangingRoom) -> None:
    app, reads, _ = console_with(hanging_room)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, app, "SH-DR")
        reads["SH-DR"].failure = ServiceUnreachable("ssh: Connection refused")
        app.sites.sites["SH-DR"].feed.read_once()  # its feed notices
        hanging_room.answer.set()
        await wait_until(pilot, lambda: label(app, "#detail-error") == "SITE SH-DR unreachable", "unreachable")
        assert "UPS A" not in label(app, "#detail-head"), "nothing of a lost site is shown as current"
        assert not app.screen.query_one("#detail-alerts", TextLabel).display, "nor its alerts"


async def test_the_detail_of_a_site_that_answers_is_shown(hanging_room: HangingRoom) -> None:
    app, _, _ = console_with(hanging_room)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, app, "SZ-MAIN")
        await wait_until(pilot, lambda: "SZ-MAIN UPS A" in label(app, "#detail-head"), "SZ-MAIN's detail")
        assert label(app, "#detail-error") != "reading…"


async def test_the_timeline_shows_the_sites_that_answered_and_names_the_one_that_did_not(
    hanging_room: HangingRoom,
) -> None:
    app, _, _ = console_with(hanging_room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, SiteTimelineScreen), "the timeline")
        screen = app.screen
        assert isinstance(screen, SiteTimelineScreen)
        head = "Timeline (last 24h, newest first)"
        assert label(app, "#timeline-head") in (f"{head}  reading…", f"{head}  SITE SH-DR unreachable")
        await wait_until(pilot, lambda: label(app, "#timeline-head").endswith("SITE SH-DR unreachable"), "SH-DR")
        targets = {entry.target.partition(":")[0] for entry in screen.entries}
        assert targets == {"SZ-MAIN"}, "the site that answered is shown, the one that did not is named"
        assert len(screen.entries) == len(sample_timeline())
        hanging_room.answer.set()
        screen.reload()  # the next read (every REFRESH_S in service) finds both sites
        await wait_until(pilot, lambda: label(app, "#timeline-head") == head, "both sites answered")
        assert {entry.target.partition(":")[0] for entry in screen.entries} == {"SZ-MAIN", "SH-DR"}
        assert min(entry.at for entry in screen.entries) >= FIXED_NOW - 24 * 3600
