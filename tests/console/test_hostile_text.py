"""R13: device text with markup, escape sequences, NUL and 100 KB strings is shown as inert text, never run."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest

from dutyroom.model import Identity, State
from dutyroom.playbooks.model import Step
from dutyroom.views.alerts import GroupCount
from dutyroom.views.console_source import MetricLine, TargetDetail, TimelineEntry
from tui.screens.detail import TargetDetailScreen
from tui.screens.main import MainScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.alert_table import AlertTable

from .apps import console_app, notification_messages
from .fakes import FakeSource, make_playbook, room_alerts

CLICK = "[@click=app.quit]"
BOLD = "[bold red]CRITICAL[/]"
NESTED = "nested [a[0]] and [/] [link=file:///etc/passwd]x[/link]"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m \x00 \x1bP+q\x1b\\ end"
HUGE = "H" * 100_000
FORBIDDEN = ("\x1b", "\x00", "\x9b", "\x07", "\x90")


def hostile_source() -> FakeSource:
    alerts = room_alerts()
    alerts[0] = replace(alerts[0], target_name=CLICK, rule=BOLD, reason=NESTED, summary=ESCAPES)
    alerts[1] = replace(alerts[1], target_name=ESCAPES, rule=HUGE, value=NESTED, suppressed_by=CLICK)
    alerts[2] = replace(alerts[2], target_name=HUGE, group=BOLD)
    playbook = make_playbook("en")
    steps = (Step(1, BOLD + " " + CLICK, command=ESCAPES), Step(2, NESTED, two_person=True), Step(3, HUGE))
    playbook = replace(playbook, title=CLICK, steps=steps)
    source = FakeSource(
        alerts=alerts,
        site=BOLD,
        reload_status="reload failed: " + ESCAPES,
        identity=Identity(NESTED),
        playbooks={("ups-battery-low", "en"): playbook},
    )
    source.runs.clear()
    source.details[alerts[0].target] = TargetDetail(
        target=alerts[0].target,
        name=CLICK,
        group=BOLD,
        kind=ESCAPES,
        state=State.UNKNOWN,
        last_error=HUGE,
        metrics=(MetricLine(BOLD, (("if", CLICK),), NESTED, ESCAPES, 3.0, (1.0, float("nan"), 2.0)),),
    )
    source.timeline_entries = [TimelineEntry(1772417000.0, "event", CLICK, ESCAPES + BOLD, who=NESTED)]
    return source


def assert_inert(svg: str) -> str:
    """Check no control byte reached the screenshot; return its text with SVG escapes undone."""
    for byte in FORBIDDEN:
        assert byte not in svg, f"{byte!r} reached the screen"
    return html.unescape(svg).replace("\xa0", " ")


async def test_hostile_text_renders_as_plain_text_everywhere() -> None:
    source = hostile_source()
    overview = (GroupCount(CLICK, BOLD, NESTED, {State.CRITICAL: 1}),)
    source_snapshot = source.snapshot
    source.snapshot = lambda now: replace(source_snapshot(now), overview=overview)  # type: ignore[method-assign]
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        svg = assert_inert(app.export_screenshot())
        assert "[@click=" in svg
        assert "[bold red]CRITICAL[/]" in svg
        assert "[a[0]]" in svg
        assert "\\x1b[2J" in svg, "escape bytes are shown as visible text"
        table = app.screen.query_one(AlertTable)
        await pilot.click(AlertTable, offset=(20, 1))
        await pilot.click(AlertTable, offset=(40, 1))
        assert app.return_code is None, "markup in a device name never becomes an action"
        assert app.is_running
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDetailScreen)
        assert_inert(app.export_screenshot())
        await pilot.press("escape", "t")
        assert isinstance(app.screen, TimelineScreen)
        assert_inert(app.export_screenshot())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert table.rows[0].cells[3].plain == CLICK
        assert len(table.rows[2].cells[3].plain) == 81
        assert table.rows[2].cells[3].plain.endswith("…")


async def test_refusal_reasons_with_markup_are_shown_literally() -> None:
    source = FakeSource(refuse="[bold]no[/] " + CLICK + ESCAPES)
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"why", "enter")
        message = notification_messages(app)[-1]
        assert message.startswith("[bold]no[/] [@click=app.quit]")
        assert "\x1b" not in message
        assert "\\x1b" in message
        assert_inert(app.export_screenshot())
        assert app.is_running


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_hostile_text_in_chinese_console_too(language: str) -> None:
    app = console_app(hostile_source(), language=language)
    async with app.run_test(size=(80, 24)):
        assert_inert(app.export_screenshot())
