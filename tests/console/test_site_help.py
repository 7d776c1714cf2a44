"""The sites console's help (issue 17) lists `]` and `:site NAME`, and its legend says what the site strip draws;
the one-site console's help has neither."""

from __future__ import annotations

from tui.screens.help import HelpScreen
from tui.site_app import sites_app

from .apps import console_app
from .site_rooms import fake_sites, read_all
from .test_keys_and_help import static_text


async def test_the_sites_help_lists_the_site_keys_and_the_strips_symbols() -> None:
    source, _, rooms = fake_sites()
    read_all(source)
    app = sites_app(source, rooms["SZ-MAIN"], console_app(rooms["SZ-MAIN"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = static_text(app.screen, "#help-site-keys")
        assert "]" in keys
        assert "next site" in keys
        assert ": site NAME" in keys
        legend = static_text(app.screen, "#help-legend")
        for drawn in ("✔ OK", "▲ DEGRADED", "⊘ UNREACHABLE since", "✖ POLLER DOWN since", "◌ CONNECTING"):
            assert drawn in legend, drawn
        await pilot.press("escape")
        assert app.screen is app.main_screen


async def test_the_sites_help_in_chinese_and_ascii() -> None:
    source, _, rooms = fake_sites(language="zh")
    read_all(source)
    app = sites_app(source, rooms["SZ-MAIN"], console_app(rooms["SZ-MAIN"], language="zh", ascii_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert "下一个站点" in static_text(app.screen, "#help-site-keys")  # type: ignore[arg-type]
        legend = static_text(app.screen, "#help-legend")  # type: ignore[arg-type]
        assert "# 无法连接" in legend
        assert "⊘" not in legend


async def test_the_one_site_help_has_no_site_keys() -> None:
    app = console_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert not app.screen.query("#help-site-keys")
        assert "DEGRADED" not in static_text(app.screen, "#help-legend")
