"""The site strip (issue 17): one line per site with its phase, collector health and poller, or since when it is
lost, in symbol + word, at 80x24 with three sites, in English, Chinese and ASCII."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from dutyroom.views.alerts import CollectorHealth
from tui.i18n import Translator
from tui.service_client import ServiceUnreachable
from tui.site_app import sites_app
from tui.site_source import SiteCondition, SitePollerDown
from tui.widgets.site_strip import SiteStrip

from .apps import console_app
from .fakes import TIMEZONE
from .site_rooms import fake_sites, read_all


def test_each_site_has_its_own_status_phase_health_and_poller() -> None:
    source, reads, _ = fake_sites()
    assert [each.condition for each in source.site_statuses()] == [SiteCondition.CONNECTING] * 3
    read_all(source)
    reads["SZ-BAK"].failure = SitePollerDown("its poller is down (no heartbeat)")
    reads["SH-DR"].failure = ServiceUnreachable("ssh: Connection refused")
    read_all(source)
    main, backup, remote = source.site_statuses()
    assert (main.name, main.condition, main.phase) == ("SZ-MAIN", SiteCondition.LIVE, "continuous trading")
    assert main.health == CollectorHealth(42, 40, 1, 1)
    assert backup.condition is SiteCondition.POLLER_DOWN
    assert remote.condition is SiteCondition.LOST
    assert remote.since is not None
    assert remote.health is None, "nothing of a lost site is shown as current"
    assert remote.phase == ""


def test_a_narrowed_console_marks_the_sites_it_does_not_show() -> None:
    source, _, _ = fake_sites()
    read_all(source)
    source.narrow("SH-DR")
    assert [each.shown for each in source.site_statuses()] == [False, False, True]


def strip_lines(language: str = "en", *, ascii_only: bool = False, sending: dict[str, int] | None = None) -> list[str]:
    source, reads, _ = fake_sites(language=language)
    read_all(source)
    reads["SH-DR"].failure = ServiceUnreachable("ssh: Connection refused")
    read_all(source)
    strip = SiteStrip(Translator("zh" if language == "zh" else "en"), ascii_only=ascii_only)
    return strip.strip_text(source.site_statuses(), TIMEZONE, sending or {}).plain.split("\n")


def test_the_strip_says_each_state_in_symbol_and_word() -> None:
    main, backup, remote = strip_lines(sending={"SZ-BAK": 1})
    assert main.startswith("SZ-MAIN ")
    assert "✔ OK" not in main, "a site with failing collectors is not OK"
    assert "▲ DEGRADED" in main
    assert "continuous trading" in main
    assert "40/42 ok 1 stale 1 failing" in main
    assert "poller up" in main
    assert "sending 1" in backup
    assert remote.startswith("SH-DR ")
    assert "⊘ UNREACHABLE since 10:15" in remote
    assert "trading" not in remote


@pytest.mark.parametrize(("language", "ascii_only"), [("en", False), ("en", True), ("zh", False), ("zh", True)])
def test_three_sites_fit_80_columns(language: str, ascii_only: bool) -> None:
    lines = strip_lines(language, ascii_only=ascii_only)
    assert len(lines) == 3
    for line in lines:
        assert cell_len(line) <= 78, line  # 80 columns less the strip's padding
        if ascii_only:
            assert line.isascii() or language == "zh", line
            assert not set(line) & set("✔▲⊘✖◌")


def test_the_strip_in_chinese() -> None:
    main, _, remote = strip_lines("zh")
    assert "采集运行" in main
    assert "无法连接" in remote


async def test_the_sites_console_shows_one_strip_line_per_site_at_80x24() -> None:
    source, _, rooms = fake_sites()
    read_all(source)
    app = sites_app(source, rooms["SZ-MAIN"], console_app(rooms["SZ-MAIN"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = app.query_one(SiteStrip)
        assert strip.region.height == 3
        assert strip.text.plain.split("\n")[2].startswith("SH-DR ")
    one_site = console_app(rooms["SZ-MAIN"])
    async with one_site.run_test(size=(80, 24)):
        assert not one_site.query(SiteStrip), "the one-site console's layout is unchanged"
