"""The timeline reads as a duty engineer speaks: actions on a target found by its name, kinds and changes in the
console's language, no internal tags, and any line opened in full with Enter."""

from __future__ import annotations

from textual.widgets import Static

from tui.screens.timeline import TimelineScreen
from tui.screens.timeline_entry import TimelineEntryScreen
from tui.widgets.line_table import LineTable

from .apps import console_app
from .fakes import LONG_ACK_COMMENT, FakeSource, sample_timeline


def shown_text(screen: TimelineEntryScreen) -> str:
    grid = screen.query_one("#timeline-entry-fields", Static).content
    lines = screen.app.console.render_lines(grid, screen.app.console.options.update_width(76))  # type: ignore[arg-type]
    return " ".join("".join(segment.text for segment in line).strip() for line in lines)


async def test_filtering_by_a_target_finds_the_operator_actions_on_it(source: FakeSource) -> None:
    source.timeline_entries = sample_timeline()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t", "1", "2", "slash", *"ups-a", "enter")
        table = app.screen.query_one(LineTable)
        assert [row.cells[4].plain for row in table.rows] == [
            f"acknowledged: {LONG_ACK_COMMENT} (ups-runtime-low)",
            "ticked step 1 (ups-runtime-low)",
            "joined a playbook run (ups-runtime-low)",
            "playbook run started (ups-on-battery)",
        ]
        assert {row.cells[2].plain for row in table.rows} == {"ups-a"}


async def test_kinds_and_changes_are_in_chinese_and_no_internal_tag_shows(source: FakeSource) -> None:
    source.timeline_entries = sample_timeline()
    app = console_app(source, language="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        table = app.screen.query_one(LineTable)
        kinds = {row.cells[1].plain for row in table.rows}
        texts = [row.cells[4].plain for row in table.rows]
        assert kinds == {"事件", "状态变化", "操作"}
        assert "ups-runtime-low 待定 -> 告警中 严重：8 min" in texts
        assert "并入预案执行（ups-runtime-low）" in texts
        assert "勾选步骤 第 1 步（ups-runtime-low）" in texts
        assert not any(tag in text for text in texts for tag in ("run-join", "run-start", "pending", "firing"))
        await pilot.press("slash", *"step", "enter")  # the stored kind still finds the ticks
        assert [row.cells[4].plain for row in table.rows] == ["勾选步骤 第 1 步（ups-runtime-low）"]


async def test_enter_opens_a_line_in_full_and_escape_goes_back_to_the_list(source: FakeSource) -> None:
    source.timeline_entries = sample_timeline()
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "slash", *"ticket", "enter")
        table = app.screen.query_one(LineTable)
        assert len(table.rows) == 1
        assert LONG_ACK_COMMENT in table.rows[0].cells[4].plain  # in the row; cut on screen at 80 columns
        await pilot.press("enter")
        assert isinstance(app.screen, TimelineEntryScreen)
        text = shown_text(app.screen)
        assert " ".join(LONG_ACK_COMMENT.split()) in " ".join(text.split())
        assert "ups-runtime-low" in text
        assert "bob" in text
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)
