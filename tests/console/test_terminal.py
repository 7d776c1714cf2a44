"""R11 and the terminal profiles: resizing to 1x1 and back, remote sessions, 16 colours, ASCII, CJK alignment."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from dutyroom.playbooks.library import read_playbooks
from tui.app import create_app, is_remote_session, terminal_has_16_colors
from tui.screens.dialogs import ActionDialog
from tui.screens.main import MainScreen
from tui.screens.terminal_profile import prepare_environment
from tui.widgets.alert_table import AlertTable
from tui.widgets.line_table import LineTable
from tui.widgets.playbook_pane import PlaybookPane, PlaybookSteps
from tui.widgets.too_small import TooSmallNotice

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource, room_alerts

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
BOX_DRAWING = {chr(code) for code in range(0x2500, 0x2580)} | set("✖⊘▲◌✔▁▂▃▄▅▆▇█")


def room_and_desk() -> tuple[FakeSource, FakeSource]:
    """A fresh fake room, as the console's source and its desk."""
    fake = FakeSource()
    return fake, fake


def notice_shown(screen: object) -> bool:
    assert isinstance(screen, MainScreen | ActionDialog)
    notices = screen.query(TooSmallNotice)
    return bool(notices) and notices.first().styles.display == "block"


async def test_resize_to_1x1_and_back_keeps_the_state(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(AlertTable)
        await pilot.press("slash", *"links", "enter", "down")
        assert table.cursor_key == "a3"
        for width, height in [(1, 1), (40, 10), (79, 24), (80, 23), (1, 1)]:
            await pilot.resize_terminal(width, height)
            app.refresh_snapshot()
            await pilot.pause()
            assert notice_shown(app.screen), (width, height)
            assert "too small" in str(app.screen.query_one(TooSmallNotice).render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not notice_shown(app.screen)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert table.cursor_key == "a3"
        assert [row.key for row in table.rows] == ["a2", "a3"]
        assert app.is_running
        assert source.submitted == []


async def test_a_dialog_survives_a_tiny_terminal(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"half typed")
        await pilot.resize_terminal(1, 1)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.values()["comment"] == "half typed"
        assert source.submitted == []


def test_remote_sessions_are_detected_and_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_remote_session({"SSH_CONNECTION": "10.0.0.9 51000 10.0.0.1 22"})
    assert not is_remote_session({"TERM": "xterm"})
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.9 51000 10.0.0.1 22")
    remote = create_app(*room_and_desk(), clock=lambda: FIXED_NOW, sixteen_colors=False)
    assert remote.context.settings.remote
    assert not remote.context.settings.mouse
    assert remote.animation_level == "none"
    local = create_app(*room_and_desk(), remote=False, clock=lambda: FIXED_NOW, sixteen_colors=False)
    assert not local.context.settings.remote
    assert local.context.settings.mouse
    assert create_app(*room_and_desk(), remote=True, mouse=True).context.settings.mouse


def test_sixteen_colour_terminals_get_the_ansi_theme() -> None:
    assert terminal_has_16_colors({"TERM": "xterm"})
    assert terminal_has_16_colors({"TERM": "linux"})
    assert terminal_has_16_colors({"TERM": "screen"})
    assert not terminal_has_16_colors({"TERM": "xterm-256color"})
    assert not terminal_has_16_colors({"TERM": "xterm", "COLORTERM": "truecolor"})
    assert create_app(*room_and_desk(), sixteen_colors=True).theme == "ansi-dark"


async def test_ascii_only_draws_no_box_characters(source: FakeSource) -> None:
    app = console_app(source, ascii_only=True)
    async with app.run_test(size=(80, 24)):
        screen_text = "".join(
            segment.text
            for line in app.screen._compositor.render_update(full=True).strips  # type: ignore[union-attr]
            for segment in line
        )
        assert "X CRITICAL" in screen_text
        assert "# UNREACHABLE" in screen_text
        assert not BOX_DRAWING & set(screen_text), sorted(BOX_DRAWING & set(screen_text))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_cjk_rows_fill_exactly_the_width(size: tuple[int, int]) -> None:
    app = console_app(FakeSource(alerts=room_alerts(cjk=True)), language="zh")
    async with app.run_test(size=size):
        for table in app.screen.query(LineTable):
            width = table.scrollable_content_region.width
            for y in range(table.scrollable_content_region.height):
                assert table.render_line(y).cell_length == width
        steps = app.screen.query_one(PlaybookSteps)
        for y in range(steps.size.height):
            assert steps.render_line(y).cell_length <= steps.size.width


async def test_a_real_chinese_playbook_renders_beside_its_alert() -> None:
    if not (PLAYBOOKS / "zh").is_dir():
        pytest.skip("playbooks/zh is absent")
    library, _problems = read_playbooks(PLAYBOOKS)
    loaded = {key: playbook for key, playbook in library.by_key.items() if key[0] == "ups-battery-low"}
    if ("ups-battery-low", "zh") not in loaded:
        pytest.skip("playbooks/zh/ups-battery-low.md is absent")
    source = FakeSource(alerts=room_alerts(cjk=True), playbooks=loaded)
    source.runs.clear()
    app = console_app(source, language="zh")
    async with app.run_test(size=(80, 24)):
        pane = app.screen.query_one(PlaybookPane)
        assert pane.playbook is not None
        assert pane.playbook.lang == "zh"
        steps = app.screen.query_one(PlaybookSteps)
        assert steps.option_count == len(pane.playbook.steps)
        two_person = [step.number for step in pane.playbook.steps if step.two_person]
        assert two_person, "the zh playbook marks two-person steps with 【双人确认】"
        for y in range(steps.size.height):
            assert steps.render_line(y).cell_length <= steps.size.width


def test_a_value_the_operator_set_wins_over_the_remote_profile() -> None:
    environ = {"SSH_CLIENT": "10.0.0.9 51000 22", "TEXTUAL_FPS": "5"}
    assert prepare_environment(environ=environ)
    assert environ["TEXTUAL_FPS"] == "5", "a value the operator set wins"
    assert not prepare_environment(environ={})


async def test_remote_sessions_run_without_the_mouse(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    async def fake_run_async(self: App[None], **options: object) -> None:
        seen.update(options)

    monkeypatch.setattr(App, "run_async", fake_run_async)
    await create_app(*room_and_desk(), remote=True).run_async()
    assert seen["mouse"] is False
    await create_app(*room_and_desk(), remote=False).run_async()
    assert seen["mouse"] is True
