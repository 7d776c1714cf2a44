"""Keys and help (issue 14 item 6): help per screen with a legend of every mark, j/k, the focused pane shown,
Ctrl+C says how to quit, a viewer sees what it may not do greyed out, a drill from the palette asks first, the
80-column hint line, ASCII symbols that mean one thing each, and TERM=linux choosing them."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Input, Static

from dutyroom.model import State
from tui.app import create_app
from tui.render import ASCII_ELLIPSIS
from tui.screens.confirm import ConfirmDialog
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.alert_rows import EYE
from tui.widgets.alert_table import AlertTable
from tui.widgets.text_label import TextLabel

from .apps import console_app, notification_messages
from .fakes import FIXED_NOW, FakeSource, sample_detail, sample_timeline


def static_text(screen: HelpScreen, selector: str) -> str:
    table = screen.query_one(selector, Static).content
    wide = screen.app.console.options.update_width(200)
    return "".join(segment.text for segment in screen.app.console.render(table, wide))  # type: ignore[arg-type]


async def test_the_main_help_has_a_legend_of_every_mark_and_symbol(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        legend = static_text(app.screen, "#help-legend")
        for mark in ("!", "SUPP<parent", "[2P]", "[/]", "[x]", "[-]", "FLAP", "SIL", "ACK:who", "DRILL", "warn↓"):
            assert mark in legend, mark
        for state in State:
            assert f"{state.symbol} {state.name}" in legend
        assert "nobody has acknowledged" in legend
        assert "…" in legend
        await pilot.press("j", "k", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_ascii_legend_shows_the_ascii_symbols(source: FakeSource) -> None:
    app = console_app(source, ascii_only=True, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        legend = static_text(app.screen, "#help-legend")  # type: ignore[arg-type]
        assert "~ 过期" in legend
        assert "^ 警告" in legend
        assert "[双人]" in legend
        assert "..." in legend
        assert "◌" not in legend


async def test_each_screen_has_its_own_help(source: FakeSource) -> None:
    source.timeline_entries = sample_timeline()
    source.details["ups-a"] = sample_detail()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.topic == "timeline"
        keys = static_text(app.screen, "#help-keys")
        assert "1 2 3" in keys
        assert "Open the line in full" in keys
        assert "an operator acted" in static_text(app.screen, "#help-legend")
        assert not app.screen.query("#help-run-keys")
        await pilot.press("escape", "escape", "enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.topic == "detail"
        assert "last hour, lowest to highest" in static_text(app.screen, "#help-legend")


async def test_j_and_k_move_like_down_and_up_but_type_in_a_text_field(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(AlertTable)
        first = table.cursor_key
        await pilot.press("j")
        assert table.cursor_key != first
        await pilot.press("k")
        assert table.cursor_key == first
        await pilot.press("slash", "j", "k")
        assert app.screen.query_one("#filter", Input).value == "jk"


async def test_the_focused_pane_has_its_title_in_reverse_video(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        alerts, playbook = app.screen.query_one("#alerts"), app.screen.query_one("#playbook")
        assert alerts.styles.border_title_style.reverse
        assert not playbook.styles.border_title_style.reverse
        await pilot.press("tab")
        assert not alerts.styles.border_title_style.reverse
        assert playbook.styles.border_title_style.reverse


async def test_ctrl_c_says_how_to_quit_and_does_not_quit(source: FakeSource) -> None:
    app = console_app(source, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        assert app.is_running
        assert isinstance(app.screen, MainScreen)
        assert any("请按 q" in message for message in notification_messages(app))


async def test_a_viewer_sees_the_keys_it_may_not_use_greyed_out(source: FakeSource) -> None:
    source.role = "viewer"
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        hints = app.screen.query_one("#hints-narrow", TextLabel).text
        greyed = {hints.plain[span.start : span.end] for span in hints.spans if "dim" in str(span.style)}
        assert {"a ack", "s silence", "space tick", "c confirm"} <= greyed
        assert not greyed & {"? help", "/ filter", ": cmds", "h handover"}


async def test_an_operator_sees_no_key_greyed_out(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        hints = app.screen.query_one("#hints-narrow", TextLabel).text
        assert not [span for span in hints.spans if "dim" in str(span.style)]


async def test_a_drill_from_the_palette_asks_first_and_no_records_nothing(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        drill = next(command for command in app.get_system_commands(app.screen) if command.title == "Drill")
        drill.callback()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the default is No
        assert isinstance(app.screen, MainScreen)
        assert not any("plans no drills" in message for message in notification_messages(app))
        drill.callback()
        await pilot.pause()
        await pilot.press("y")
        assert any("plans no drills" in message for message in notification_messages(app)), "submitted on yes"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_80_column_hint_line_shows_filter_palette_confirm_and_handover(language: str) -> None:
    app = console_app(FakeSource(), language=language)
    async with app.run_test(size=(80, 24)):
        hints = app.screen.query_one("#hints-narrow", TextLabel)
        assert hints.display
        assert not app.screen.query_one("#hints-wide").display
        text = hints.text.plain
        assert cell_len(text) <= 80
        for key in ("? ", "/ ", ": ", "a ", "s ", "c ", "h "):
            assert f"  {key}" in f"  {text}", key


def test_no_ascii_symbol_means_two_things() -> None:
    symbols = [state.ascii_symbol for state in State]
    assert len(set(symbols)) == len(symbols)
    assert EYE not in symbols, "the unhandled mark is not a state"
    assert ASCII_ELLIPSIS not in symbols, "the ellipsis is not a state"
    assert EYE != ASCII_ELLIPSIS


@pytest.mark.parametrize(("term", "ascii_only"), [("linux", True), ("vt220", True), ("xterm-256color", False)])
def test_term_linux_implies_the_ascii_symbols(monkeypatch: pytest.MonkeyPatch, term: str, ascii_only: bool) -> None:
    monkeypatch.setenv("TERM", term)
    source = FakeSource()
    app = create_app(source, source, remote=False, clock=lambda: FIXED_NOW, sixteen_colors=False)
    assert app.context.settings.ascii_only is ascii_only
    forced = create_app(source, source, remote=False, ascii_only=False, clock=lambda: FIXED_NOW)
    assert forced.context.settings.ascii_only is False


async def test_keys_typed_right_after_the_slash_reach_the_filter(source: FakeSource) -> None:
    """Over SSH keys arrive in batches: `/ups` typed fast is one read. Every key after `/` must land in the filter
    (Widget.focus() defers the focus change behind keys already queued: the table took 'ups' and the filter stayed
    empty; the sites console's e2e test saw it under load)."""
    from textual import events

    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        for key, character in (("slash", "/"), ("u", "u"), ("p", "p"), ("s", "s")):
            app.post_message(events.Key(key, character))  # queued together, as one read of a batch
        await pilot.pause()
        field = app.screen.query_one("#filter", Input)
        assert field.value == "ups"
        assert app.screen.focused is field


async def test_a_slash_typed_in_the_filter_is_a_character(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "a", "slash", "b")
        assert app.screen.query_one("#filter", Input).value == "a/b"


async def test_a_comment_typed_right_behind_a_is_the_comment_and_acts_on_nothing(source: FakeSource) -> None:
    """`a` and a comment read in one batch over SSH: the comment is the dialog's, and its `x`, space or `h` never
    reach the main screen's keys (close run, tick a step, write a handover)."""
    from textual import events

    from tui.screens.dialogs import ActionDialog

    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        for character in "ax h":
            key = "space" if character == " " else character
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen.query_one("#field-comment", Input).value == "x h"
        assert source.submitted == []


async def test_letters_typed_in_the_filter_are_its_text(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "h", "a", "q", "question_mark", "space", "x")
        assert app.screen.query_one("#filter", Input).value == "haq? x"
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize(("close", "kept"), [("enter", "links"), ("escape", "")])
async def test_a_key_typed_right_behind_enter_or_escape_in_the_filter_acts_on_the_alert(
    source: FakeSource, close: str, kept: str
) -> None:
    """`/links⏎a` read in one batch over SSH: Enter (or Esc) hands the keys back to the list at once, so `a` opens
    the acknowledge dialog instead of being typed into the filter (the shared-consoles e2e test saw it)."""
    from textual import events

    from tui.screens.dialogs import ActionDialog

    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        batch = [("slash", "/"), *((c, c) for c in "links"), (close, "\r" if close == "enter" else "\x1b"), ("a", "a")]
        for key, character in batch:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ActionDialog)
        assert app.screen_stack[0].query_one("#filter", Input).value == kept


async def test_keys_typed_fast_into_the_filter_take_effect_in_typing_order(source: FakeSource) -> None:
    """`/`, five backspaces and Enter read in one batch clear the filter: an editing key (bound in the Input, so
    acted on once it has bubbled up to the app) must not be overtaken by the Enter behind it, after which the list
    has the focus and the backspaces are nobody's (the sites e2e test saw the filter stay)."""
    from textual import events

    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"links", "enter")
        field = app.screen.query_one("#filter", Input)
        assert field.value == "links"
        batch = [("slash", "/"), *[("backspace", "\x7f")] * 5, ("enter", "\r")]
        for key, character in batch:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert field.value == ""
        assert not field.display
        assert app.focused is app.main_screen.alert_table


async def test_the_timeline_filter_takes_the_keys_typed_right_behind_its_slash(source: FakeSource) -> None:
    """`/q1⏎` read in one batch in the timeline: `q` and `1` are the filter's text (not "back" and a kind toggle),
    and Enter hands the keys back to the list at once."""
    from textual import events

    from tui.screens.timeline import TimelineScreen

    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        kinds = set(timeline.kinds)
        for key, character in (("slash", "/"), ("q", "q"), ("1", "1"), ("enter", "\r"), ("2", "2")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert app.screen is timeline
        assert timeline.query_one("#timeline-filter", Input).value == "q1"
        assert timeline.kinds == kinds - {"transition"}, "the 2 after Enter toggled its kind"
