"""The site column (issue 17): with several sites the alert list has a Site column of its own, cut safely at
80x24, and the rest of each row reads as on the one-site console; one site, and the layout is unchanged."""

from __future__ import annotations

from rich.cells import cell_len

from tui.i18n import Translator
from tui.render import ELLIPSIS
from tui.site_app import site_column, sites_app
from tui.site_source import split_key
from tui.widgets.alert_rows import build_row
from tui.widgets.alert_table import AlertTable

from .apps import console_app
from .site_rooms import fake_sites, read_all

EN = Translator("en")


def lines(table: AlertTable) -> list[str]:
    """What the table draws, line by line (the header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_several_sites_get_a_site_column_and_the_target_loses_its_prefix() -> None:
    source, _, rooms = fake_sites()
    read_all(source)
    app = sites_app(source, rooms["SZ-MAIN"], console_app(rooms["SZ-MAIN"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.main_screen.query_one(AlertTable)
        header, *rows = lines(table)
        words = header.split()
        assert words.index("Site") + 1 == words.index("Target")
        row = next(each for each in table.rows if split_key(each.key)[0] == "SZ-BAK")
        assert row.cells[3].plain == "SZ-BAK"
        assert not row.cells[4].plain.startswith("SZ-BAK")
        assert any(" SZ-MAIN " in line for line in rows)


async def test_one_site_keeps_its_columns() -> None:
    app = console_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = lines(app.main_screen.query_one(AlertTable))[0]
        assert header.split()[:3] == ["State", "Sev", "Target"]
        assert "Site" not in header


def test_the_rest_of_the_row_is_the_one_site_row() -> None:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    read_all(source)
    column = site_column(source.sites)
    merged = source.snapshot(0.0).alerts
    for alert in rooms["SH-DR"].alerts:
        tagged = next(each for each in merged if each.fingerprint == f"SH-DR:{alert.fingerprint}")
        alone = build_row(alert, "1m", "10:05", EN, ascii_only=False)
        with_site = build_row(tagged, "1m", "10:05", EN, ascii_only=False, site=column)
        assert with_site.cells[3].plain == "SH-DR"
        assert with_site.cells[:3] + with_site.cells[4:] == alone.cells
        assert with_site.cell_styles[:3] + with_site.cell_styles[4:] == alone.cell_styles


async def test_a_long_site_name_is_cut_safely_at_80_columns() -> None:
    source, _, rooms = fake_sites(("SZ-MAIN", "SHANGHAI-DR-ROOM-2"))
    read_all(source)
    column = site_column(source.sites)
    assert column.width <= 10
    app = sites_app(source, rooms["SZ-MAIN"], console_app(rooms["SZ-MAIN"]))
    async with app.run_test(size=(80, 24)) as pilot:
        app.narrow("SHANGHAI-DR-ROOM-2")
        await pilot.pause()
        rows = lines(app.main_screen.query_one(AlertTable))[1:]
        assert any(f"SHANGHAI-{ELLIPSIS} " in line for line in rows), rows
        widths = {cell_len(line) for line in rows}
        assert len(widths) == 1, rows  # every line as wide as the table: nothing spills
