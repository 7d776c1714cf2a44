"""Screenshots of the console on three sites, one of them lost: the site strip, the banner and the Site column at
80x24 and 120x40, in English and Chinese, in ASCII, with NO_COLOR, and its help; the detail of a site just lost.

Regenerate with `pytest tests/console/test_sites_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tui.service_client import ServiceUnreachable
from tui.site_app import SitesApp, sites_app
from tui.widgets.text_label import TextLabel

from .fakes import sample_detail
from .site_rooms import fake_sites, read_all
from .test_snapshots import LANGUAGES, SIZE_IDS, SIZES, SnapCompare, room, snapshot_app


def three_sites_one_lost(language: str = "en", **options: Any) -> SitesApp:
    """SZ-MAIN and SZ-BAK answer; SH-DR's link is down since 10:15 (the frozen clock)."""
    source, reads, rooms = fake_sites(language=language, make_room=lambda: room(language))
    read_all(source)
    reads["SH-DR"].failure = ServiceUnreachable("ssh: connect to host 10.2.0.5 port 22: Connection refused")
    read_all(source)
    return sites_app(source, rooms["SZ-MAIN"], snapshot_app(language, rooms["SZ-MAIN"], **options))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_sites_main(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(three_sites_one_lost(language), terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sites_ascii(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(three_sites_one_lost(language, ascii_only=True), terminal_size=(80, 24))


def test_sites_no_color(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(three_sites_one_lost(), terminal_size=(80, 24))


HELP_VIEWS = [("en", False), ("en", True), ("zh", False)]


@pytest.mark.parametrize(("language", "at_end"), HELP_VIEWS, ids=["en", "en-legend", "zh"])
def test_sites_help(snap_compare: SnapCompare, language: str, at_end: bool) -> None:
    """The site keys (the top of the help), and what the strip draws (the end of its legend)."""
    press = ["question_mark", *(["end"] if at_end else [])]
    assert snap_compare(three_sites_one_lost(language), press=press, terminal_size=(120, 40))


def detail_of_a_site_then_lost(language: str) -> tuple[SitesApp, Callable[[Pilot[None]], Awaitable[None]]]:
    """SH-DR's target detail, opened while SH-DR answered; then SH-DR's link breaks: the screen says so."""
    source, reads, rooms = fake_sites(language=language, make_room=lambda: room(language))
    for each in rooms.values():
        each.details["ups-a"] = sample_detail()
    read_all(source)
    app = sites_app(source, rooms["SZ-MAIN"], snapshot_app(language, rooms["SZ-MAIN"]))

    async def open_then_lose(pilot: Pilot[None]) -> None:
        app.narrow("SH-DR")
        await pilot.pause()
        await pilot.press("enter")
        reads["SH-DR"].failure = ServiceUnreachable("ssh: connect to host 10.2.0.5 port 22: Connection refused")
        source.sites["SH-DR"].feed.read_once()
        unreachable = app.context.translate("site.unreachable", site="SH-DR")
        for _ in range(400):
            shown = app.screen.query("#detail-error")
            if shown and isinstance(shown.first(), TextLabel) and shown.first(TextLabel).text.plain == unreachable:
                return
            await pilot.pause(0.02)
        raise AssertionError("the detail never said SH-DR is unreachable")

    return app, open_then_lose


@pytest.mark.parametrize("language", LANGUAGES)
def test_sites_detail_of_a_lost_site(snap_compare: SnapCompare, language: str) -> None:
    app, run_before = detail_of_a_site_then_lost(language)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
