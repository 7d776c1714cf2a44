"""Pilot tests of the keys that finish a run: skip a step (with a reason), a run note, close the run.

Each asks for its words in a dialog that names the run; Escape records nothing; closing asks first (default No)
and then for a comment; a closed run takes no more keys. The keys are in the pane's hint line and the help.
"""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Static

from dutyroom.actions_model import RunClose, StepNote, StepSkip
from tui.i18n import Translator
from tui.screens.confirm import ConfirmDialog
from tui.screens.dialogs import ActionDialog
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.step_keys import StepTarget, open_run, plan_skip, plan_step
from tui.widgets.playbook_pane import PlaybookPane

from .apps import console_app, notification_messages
from .fakes import BOB, FIXED_NOW, MAINS_RUN_ID, RUN_ID, FakeSource, joined_room, make_alert, ups_run


def label(app_screen: object, selector: str) -> str:
    return str(app_screen.query_one(selector).render())  # type: ignore[attr-defined]


async def test_minus_skips_the_highlighted_step_with_a_reason(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "down", "minus")
        assert isinstance(app.screen, ActionDialog)
        subject = label(app.screen, "#dialog-subject")
        assert RUN_ID in subject
        assert "3. Call the UPS vendor" in subject
        await pilot.press("enter")
        assert isinstance(app.screen, ActionDialog), "a skip without a reason stays open"
        assert "reason is required" in label(app.screen, "#dialog-error")
        await pilot.press(*"vendor already on site", "enter")
        assert isinstance(app.screen, MainScreen)
        assert [(item.intent, item.alert) for item in source.submitted] == [
            (StepSkip(run=RUN_ID, step=3, reason="vendor already on site"), "a1")
        ]
        assert f"Step 3 skipped on run {RUN_ID}." in notification_messages(app)
        pane = app.screen.query_one(PlaybookPane)
        assert pane.run is not None
        state = pane.run.step(3)
        assert state is not None
        assert state.skipped is not None


async def test_a_step_that_is_done_cannot_be_skipped(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "minus")
        assert isinstance(app.screen, MainScreen)
        assert any("already done" in message for message in notification_messages(app))
        assert source.submitted == []


async def test_r_writes_a_note_on_the_run_not_on_the_alert() -> None:
    source = joined_room()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "r")
        assert isinstance(app.screen, ActionDialog)
        assert "Mains failure / UPS on battery" in label(app.screen, "#dialog-subject")
        await pilot.press(*"runtime 42 min, inlet 24C", "enter")
        assert [(item.intent, item.alert) for item in source.submitted] == [
            (StepNote(run=MAINS_RUN_ID, text="runtime 42 min, inlet 24C", step=0), "a1")
        ]
        assert f"Run note recorded on {MAINS_RUN_ID}." in notification_messages(app)


async def test_x_asks_first_then_for_a_comment_and_closes_the_run(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        question = label(app.screen, "#confirm-question")
        assert "UPS battery low or failed" in question
        assert "4 of 5 steps are not done" in question
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen), "Enter answers the default, No"
        await pilot.press("x", "y")
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#field-comment", Input).has_focus
        await pilot.press("enter")
        assert "comment is required" in label(app.screen, "#dialog-error")
        await pilot.press(*"mains back 10:40, UPS online", "enter")
        assert isinstance(app.screen, MainScreen)
        assert [item.intent for item in source.submitted] == [
            RunClose(run=RUN_ID, reason="mains back 10:40, UPS online")
        ]
        pane = app.screen.query_one(PlaybookPane)
        assert "Run closed 10:15 by alice: mains back 10:40, UPS online" in label(pane, "#playbook-note")
        assert not pane.query_one("#playbook-keys").display, "a closed run shows no keys"
        await pilot.press("tab", "down", "space", "r", "x")
        assert isinstance(app.screen, MainScreen)
        assert len(source.submitted) == 1, "a closed run takes no tick, note or close"
        assert any(f"Run {RUN_ID} is closed" in message for message in notification_messages(app))


async def test_escape_at_either_question_of_close_records_nothing(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x", "escape", "x", "y", *"typed", "escape", "minus", "escape", "r", "escape")
        assert isinstance(app.screen, MainScreen)
        assert source.submitted == []


async def test_the_pane_hint_line_and_the_help_show_the_run_keys(source: FakeSource) -> None:
    app = console_app(source, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        keys = label(app.screen.query_one(PlaybookPane), "#playbook-keys")
        for word in ("空格 勾选", "- 跳过", "r 执行备注", "x 结束执行"):
            assert word in keys
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        grid = app.screen.query_one("#help-run-keys", Static).content
        rendered = "".join(segment.text for segment in app.console.render(grid))  # type: ignore[arg-type]
        assert "跳过当前步骤" in rendered
        assert "结束本次执行" in rendered


async def test_the_palette_offers_skip_run_note_and_close(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Skip step", "Run note", "Close run"} <= set(commands)
        commands["Close run"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog), "closing from the palette asks first too"


def test_the_step_keys_refuse_a_closed_run_and_a_skip_of_a_step_not_open() -> None:
    translate = Translator("en")
    alert = make_alert("a1")
    run = ups_run(ticked=(1,))
    assert plan_skip(alert, run, 2, translate) == StepTarget(run, 2, "a1")
    assert "already done" in str(plan_skip(alert, run, 1, translate))
    assert "Select a playbook step" in str(plan_skip(alert, run, None, translate))
    closed = replace(run, closed_at=FIXED_NOW, closed_by=BOB, close_reason="done")
    assert open_run(alert, run, translate) is run
    for refused in (open_run(alert, closed, translate), plan_step("step", alert, closed, 2, translate)):
        assert refused == f"Run {RUN_ID} is closed: nothing more is recorded on it."
