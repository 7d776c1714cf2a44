"""What the console says about severity and acks (issue 12.4 and 12.13): a capped severity is marked and
explained, a resolved alert shows no severity beside its OK, and a sticky ack reads as sticky everywhere."""

from __future__ import annotations

from dataclasses import replace

from dutyroom.actions_model import Ack
from tui.screens.detail import TargetDetailScreen
from tui.screens.dialogs import ActionDialog
from tui.text_format import alert_line, severity_text
from tui.widgets.alert_table import AlertTable

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource, sample_detail


def row_texts(table: AlertTable) -> list[str]:
    return [" ".join(cell.plain for cell in row.cells) for row in table.rows]


def room_with_details(language: str = "en") -> FakeSource:
    source = FakeSource()
    if language == "zh":
        source = FakeSource(alerts=[replace(alert, target_name=alert.target) for alert in source.alerts])
    for target in ("bk-sw1", "pdu-3"):
        source.details[target] = replace(sample_detail(), target=target, name=target)
    return source


async def open_detail(source: FakeSource, fingerprint: str, language: str = "en") -> str:
    app = console_app(source, language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(AlertTable)
        while table.cursor_key != fingerprint:
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDetailScreen)
        return str(app.screen.query_one("#detail-alerts").render())


async def test_the_detail_names_the_severity_that_holds_why_it_is_capped_and_the_sticky_ack() -> None:
    text = await open_detail(room_with_details(), "a8")

    assert "backup-window: ✖ CRITICAL, severity WARNING (capped in trading)" in text
    assert "acknowledged by carol at 10:11, sticky (kept if the severity rises)" in text


async def test_the_detail_says_so_in_chinese_too() -> None:
    text = await open_detail(room_with_details("zh"), "a8", language="zh")

    assert "backup-window：✖ 严重，级别 警告（交易时段降级）" in text
    assert "carol 于 10:11 持续确认" in text


async def test_the_detail_of_a_resolved_alert_says_resolved_not_a_severity() -> None:
    text = await open_detail(room_with_details(), "a7")

    assert "pdu-load: ✔ OK, resolved (was WARNING)" in text


async def test_ascii_terminals_mark_a_capped_severity_with_a_plain_character(source: FakeSource) -> None:
    app = console_app(source, ascii_only=True)
    async with app.run_test(size=(120, 40)):
        capped = next(text for text in row_texts(app.screen.query_one(AlertTable)) if "backup" in text)
        assert capped.startswith(" ^ WARNING warn- backup switch")


async def test_enter_on_the_sticky_box_submits_the_ack(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"on it", "tab", "tab", "space", "enter")
        assert not isinstance(app.screen, ActionDialog)
        assert source.submitted[0].intent == Ack(comment="on it", severity="critical", sticky=True)


def test_the_command_line_text_never_puts_a_severity_against_its_state(source: FakeSource) -> None:
    capped, resolved = source.alerts[-1], source.alerts[-2]

    assert severity_text(capped) == "warning (capped in trading)"
    assert severity_text(resolved) == "was warning"
    line = alert_line(capped, FIXED_NOW)
    assert line.startswith("✖ CRITICAL    warning (capped in trading) bk-sw1")
    assert "CAP" not in line  # the severity column says it in words
    assert "STICKY-ACK" in line
