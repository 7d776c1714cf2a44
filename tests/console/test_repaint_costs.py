"""What a tick costs on screen: rows never drawn are never built, the scroll indicator stays put while rows
come and go, ages other than the selected alert's change once a minute, one-line labels repaint without a layout."""

from __future__ import annotations

import re

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.alert_rows import coarse_age, coarse_age_changes_at
from tui.widgets.alert_table import AlertTable
from tui.widgets.line_table import THUMB, Column, LazyRow, LineTable, Row, thumb_span
from tui.widgets.text_label import TextLabel

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LineTable([Column("name", 10, flex=1)], "empty")
        yield TextLabel(Text("one line"), id="label")


class Counted:
    """Row builders that count how often they ran."""

    def __init__(self) -> None:
        self.built: list[str] = []

    def row(self, key: str, text: str | None = None) -> LazyRow:
        def build() -> Row:
            self.built.append(key)
            return Row(key, (Text(text or key),))

        return LazyRow(key, build)


async def test_rows_out_of_view_are_never_built_and_unchanged_rows_cost_nothing() -> None:
    app = TableApp()
    counted = Counted()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        rows = [counted.row(f"r{index}") for index in range(500)]
        table.set_rows(rows)
        await pilot.pause()
        assert set(counted.built) == {f"r{index}" for index in range(table.visible_rows)}
        assert table.set_rows(rows) == 0, "the very same rows"
        rows[400] = counted.row("r400", "changed far below")
        assert table.set_rows(rows) == 0
        rows[2] = counted.row("r2")
        assert table.set_rows(rows) == 0, "a new row object drawing the same text repaints nothing"
        rows[3] = counted.row("r3", "changed")
        assert table.set_rows(rows) == 1
        await pilot.pause()
        assert "r400" not in counted.built


def thumb_lines(table: LineTable) -> list[int]:
    return [y for y in range(1, table.visible_rows + 1) if table.render_line(y).text.endswith(THUMB)]


async def test_the_scroll_indicator_moves_in_whole_cells_only_when_the_view_moves() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LineTable)
        rows = [Row(f"r{index}", (Text(f"row {index}"),)) for index in range(500)]
        table.set_rows(rows)
        await pilot.pause()
        at_top = thumb_lines(table)
        assert at_top == [1]
        assert table.set_rows([*rows, Row("extra", (Text("one more"),))]) == 0
        assert thumb_lines(table) == at_top, "a row more or less far below does not move the indicator"
        await pilot.press("end")
        assert thumb_lines(table) == [table.visible_rows]
        assert table.render_line(table.visible_rows).text.startswith("one more")


@pytest.mark.parametrize(("visible", "total"), [(9, 10), (10, 11), (36, 1000), (1, 5), (20, 21)])
def test_the_indicator_fits_from_top_to_bottom(visible: int, total: int) -> None:
    hidden = total - visible
    for top in range(hidden + 1):
        start, size = thumb_span(top, visible, total)
        assert size >= 1
        assert 0 <= start <= visible - size
    assert thumb_span(0, visible, total)[0] == 0
    start, size = thumb_span(hidden, visible, total)
    assert start + size == visible
    assert thumb_span(0, visible, visible) == (0, 0)


def test_coarse_ages_change_exactly_when_they_say() -> None:
    value_at = 1_000_000.0
    for age in [0, 1, 59, 59.9, 60, 61, 3599, 3600, 7199, 47 * 3600, 48 * 3600, 100 * 3600, -5]:
        now = value_at + age
        changes = coarse_age_changes_at(value_at, now)
        assert changes > now
        shown = coarse_age(now - value_at)
        for moment in (now, (now + changes) / 2, changes - 0.001):
            assert coarse_age(moment - value_at) == shown, (age, moment)
        assert coarse_age(changes - value_at) != shown, age
    assert [coarse_age(seconds) for seconds in (0, 59, 60, 3599, 3600, 47 * 3600, 48 * 3600)] == [
        "<1m",
        "<1m",
        "1m",
        "59m",
        "1h",
        "47h",
        "2d",
    ]


async def test_remote_ages_repaint_once_a_minute_not_every_second() -> None:
    now = [FIXED_NOW]
    source = FakeSource()
    app = console_app(source, remote=True)
    app.context = type(app.context)(
        app.context.source, app.context.settings, app.context.translate, lambda: now[0], app.context.record
    )
    async with app.run_test(size=(120, 40)):
        table = app.main_screen.alert_table
        values = [" ".join(cell.plain for cell in row.cells) for row in table.rows]
        assert any("<1m" in text for text in values), values
        before = table.lines_refreshed
        for second in range(1, 47):  # the fake's fresh values are 12 s old: "<1m" until 48 s from now
            now[0] = FIXED_NOW + second
            app.refresh_snapshot()
        assert table.lines_refreshed == before
        now[0] = FIXED_NOW + 48
        app.refresh_snapshot()
        fresh = [alert for alert in source.alerts if alert.value is not None and FIXED_NOW - alert.value_at < 60]
        assert table.lines_refreshed == before + len(fresh)


def seconds_ages(table: AlertTable) -> dict[str, str]:
    """Rows whose value age is shown to the second (`12s`), by key."""
    texts = {row.key: " ".join(cell.plain for cell in row.cells) for row in table.rows}
    return {key: text for key, text in texts.items() if re.search(r"\b\d+s\b", text)}


async def test_on_site_only_the_selected_alerts_age_ticks_and_a_second_repaints_only_its_line() -> None:
    now = [FIXED_NOW]
    source = FakeSource()
    app = console_app(source, remote=False)
    app.context = type(app.context)(
        app.context.source, app.context.settings, app.context.translate, lambda: now[0], app.context.record
    )
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.main_screen.alert_table
        app.refresh_snapshot()
        assert list(seconds_ages(table)) == [table.cursor_key], "the selected alert only"
        assert "12s" in seconds_ages(table)[table.cursor_key]
        before = table.lines_refreshed
        for second in range(1, 6):
            now[0] = FIXED_NOW + second
            app.refresh_snapshot()
        assert table.lines_refreshed == before + 5, "one line a second: the selected alert's"
        assert "17s" in seconds_ages(table)[table.cursor_key]
        for _ in range(len(table.rows)):  # down to another alert with a value (a3: 87.5 %, 12 s before the start)
            if table.cursor_key == "a3":
                break
            await pilot.press("down")
        app.refresh_snapshot()
        assert list(seconds_ages(table)) == ["a3"], "the exact age follows the selection"


async def test_a_one_line_label_repaints_without_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)):
        label = app.query_one(TextLabel)
        layouts: list[bool] = []
        refresh = label.refresh

        def recording_refresh(*regions: object, layout: bool = False, **options: bool) -> object:
            layouts.append(layout)
            return refresh(layout=layout, **options)

        monkeypatch.setattr(label, "refresh", recording_refresh)
        assert label.show(Text("another line"))
        assert not label.show(Text("another line")), "the same text: nothing"
        assert label.show(Text("a line far too long to fit on one line of a forty cell screen"))
        assert layouts == [False, True]
