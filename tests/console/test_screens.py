"""Pilot tests of the other screens and keys: detail, timeline, help, palette, quit, escape, steps, handover."""

from __future__ import annotations

from dataclasses import replace

from textual.command import CommandPalette
from textual.widgets import Input, Static

from dutyroom.actions_model import StepConfirm, StepUndo
from tui.app import DutyroomApp
from tui.i18n import KEY_HELP, RUN_KEY_HELP
from tui.screens.confirm import ConfirmDialog
from tui.screens.detail import TargetDetailScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.line_table import LineTable
from tui.widgets.playbook_pane import PlaybookPane

from .apps import console_app, notification_messages
from .fakes import BOB, RUN_ID, FakeSource, sample_detail, sample_timeline, ups_run


async def test_enter_opens_the_target_detail_and_escape_returns(source: FakeSource) -> None:
    source.details["ups-a"] = sample_detail()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDetailScreen)
        rows = app.screen.query_one(LineTable).rows
        assert [row.cells[0].plain for row in rows] == [
            "ups.runtime_min",
            "ups.battery_pct",
            "ups.on_battery",
            "ups.load_pct",
        ]
        assert rows[0].cells[2].plain == "8min"
        assert rows[3].cells[1].plain == "phase=L1"
        assert set(rows[2].cells[4].plain) <= set("▁▂▃▄▅▆▇█")
        assert rows[2].cells[4].plain.endswith("█")
        assert "timeout after 2.0s" in str(app.screen.query_one("#detail-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert source.submitted == []


async def test_detail_of_an_unknown_target_says_so(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert "no longer known" in str(app.screen.query_one("#detail-error").render())


async def test_timeline_newest_first_filtered_by_kind_and_text(source: FakeSource) -> None:
    source.timeline_entries = sample_timeline()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TimelineScreen)
        table = app.screen.query_one(LineTable)
        texts = [row.cells[4].plain for row in table.rows]
        assert texts[0] == "[DRILL] trap received: highTemp"
        assert texts[-1] == "ups-runtime-low pending -> firing crit: 8 min"
        await pilot.press("3")
        assert all(row.cells[1].plain != "action" for row in table.rows)
        await pilot.press("3", "slash", *"ups-a", "enter")
        assert {row.cells[2].plain for row in table.rows} == {"ups-a"}
        assert len(table.rows) == 6
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_every_key(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rendered = ""
        for grid in ("#help-keys", "#help-run-keys"):
            table = app.screen.query_one(grid, Static).content
            wide = app.console.options.update_width(200)  # one line per key, whatever the terminal
            rendered += "".join(segment.text for segment in app.console.render(table, wide))  # type: ignore[arg-type]
        for key, description, _ in (*KEY_HELP, *RUN_KEY_HELP):
            assert key in rendered
            assert description in rendered
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_every_main_screen_key_is_in_the_help() -> None:
    documented = {key for key, _, _ in (*KEY_HELP, *RUN_KEY_HELP)}
    names = {"slash": "/", "colon": ":", "question_mark": "?", "escape": "esc", "minus": "-"}
    for binding in MainScreen.BINDINGS:
        key = binding.key if isinstance(binding.key, str) else ""  # type: ignore[union-attr]
        assert names.get(key, key) in documented, key


async def test_quit_asks_first_and_defaults_to_no(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert app.return_code is None
        await pilot.press("q", "escape")
        assert isinstance(app.screen, MainScreen)
        assert app.return_code is None
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        assert app.return_code == 0


async def test_a_bare_escape_never_records_or_quits(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "escape")
        await pilot.press("a", *"typed but not sent", "escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("s", "escape", "n", *"x", "escape", "u", "escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("tab", "u", "escape")
        assert source.submitted == []
        assert app.return_code is None
        assert app.is_running


async def test_a_second_operator_confirms_a_two_person_step() -> None:
    source = FakeSource(identity=BOB, runs={"a1": ups_run(ticked=(1,), awaiting=(4,))})
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "down", "down")
        assert app.screen.query_one(PlaybookPane).highlighted_step == 4
        await pilot.press("c")
        assert [item.intent for item in source.submitted] == [StepConfirm(run=RUN_ID, step=4)]
        await pilot.press("up", "c")
        assert len(source.submitted) == 1
        assert any("not awaiting" in message for message in notification_messages(app))


async def test_undo_asks_first(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "u")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert source.submitted == []
        await pilot.press("u", "y")
        assert [item.intent for item in source.submitted] == [StepUndo(run=RUN_ID, step=1)]


async def test_a_step_without_a_run_cannot_be_ticked(source: FakeSource) -> None:
    source.runs.clear()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Not started" in str(app.screen.query_one("#playbook-note").render())
        await pilot.press("space")
        assert source.submitted == []
        assert any("no open playbook run" in message for message in notification_messages(app))


async def test_the_palette_offers_dutyroom_commands(source: FakeSource) -> None:
    app = console_app(source, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[:4] == ["时间线", "交班", "帮助", "退出"]
        await pilot.press("colon")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        quit_command = next(command for command in app.get_system_commands(app.screen) if command.title == "退出")
        quit_command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog), "quitting from the palette asks first too"


async def test_handover_calls_the_callback_and_reports_failures(source: FakeSource) -> None:
    written: list[str] = []

    def handover() -> str:
        written.append("yes")
        return "handover written to /var/lib/dutyroom/handover-2026-03-02.md"

    app = console_app(source, on_handover=handover)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert written == ["yes"]
        assert "handover written to" in notification_messages(app)[-1]

    def broken() -> str:
        raise OSError(28, "No space left on device")

    app = console_app(FakeSource(), on_handover=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert notification_messages(app)[-1].startswith("handover failed: OSError")
    app = console_app(FakeSource())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        assert "dutyroom handover" in notification_messages(app)[-1]


async def test_a_handover_written_message_shows_the_file_once_as_a_notification(source: FakeSource) -> None:
    """`HandoverWritten` is the fact the app hears; whoever wrote the file, the operator sees its path once."""
    app = console_app(source, on_handover=lambda: "handover written: /srv/dutyroom/handover-a.md")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert notification_messages(app) == ["handover written: /srv/dutyroom/handover-a.md"]
        app.post_message(DutyroomApp.HandoverWritten("handover written: /srv/dutyroom/handover-b.md\x1b[2J"))
        await pilot.pause()
        assert notification_messages(app)[-1] == "handover written: /srv/dutyroom/handover-b.md\\x1b[2J"
        assert len(notification_messages(app)) == 2


async def test_banners_for_failed_reload_and_failing_source(source: FakeSource) -> None:
    source.reload_status = "reload failed: checks.toml:12:5: unknown key 'intervall'"
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        banner = app.screen.query_one("#status-reload")
        assert banner.has_class("-shown")
        assert "checks.toml:12:5" in str(banner.render())
        source.snapshot_error = RuntimeError("database is locked")
        app.refresh_snapshot()
        assert "state unavailable: RuntimeError: database is locked" in str(
            app.screen.query_one("#status-source").render()
        )
        assert len(app.main_screen.alert_table.rows) == len(source.alerts), "the last snapshot stays on screen"


async def test_an_unchanged_snapshot_repaints_no_line(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)):
        table = app.main_screen.alert_table
        before = table.lines_refreshed
        app.refresh_snapshot()
        assert table.lines_refreshed == before
        source.alerts = [replace(source.alerts[0], value=7.0), *source.alerts[1:]]
        app.refresh_snapshot()
        assert table.lines_refreshed == before + 1


async def test_a_refresh_that_fires_while_the_console_shuts_down_is_quiet(source: FakeSource) -> None:
    """The refresh timer can tick after the screens are gone and before the app stops its timers (CI saw it)."""
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        pass
    assert app.screen_stack == []
    taken = source.snapshots_taken
    app.refresh_snapshot()
    assert source.snapshots_taken == taken, "a console on its way out reads nothing more"


async def test_a_detail_or_timeline_tick_after_the_screen_is_closed_is_quiet(source: FakeSource) -> None:
    """A screen's own timer can tick while Textual prunes its widgets (they go first, the screen's timers last)."""
    source.details["ups-a"] = sample_detail()
    source.timeline_entries = sample_timeline()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        detail = app.screen
        assert isinstance(detail, TargetDetailScreen)
        await pilot.press("escape")
        await pilot.press("t")
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not detail.children
        assert not timeline.children
        detail.refresh_detail()
        timeline.reload()
