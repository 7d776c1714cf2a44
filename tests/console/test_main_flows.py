"""Pilot tests of the main screen: select, read the playbook, tick, acknowledge, silence, note, filter, refuse."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from dutyroom.actions_model import Ack, Note, Silence, StepTick
from tui.screens.dialogs import ActionDialog, YesNoBox
from tui.widgets.alert_table import AlertTable
from tui.widgets.playbook_pane import PlaybookPane

from .apps import console_app, notification_messages
from .fakes import FIXED_NOW, RUN_ID, FakeSource


def row_texts(table: AlertTable) -> list[str]:
    return [" ".join(cell.plain for cell in row.cells) for row in table.rows]


async def test_selecting_an_alert_shows_its_playbook(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.screen.query_one(PlaybookPane)
        assert app.main_screen.selected_alert is not None
        assert app.main_screen.selected_alert.fingerprint == "a1"
        assert pane.playbook is not None
        assert pane.playbook.title == "UPS battery low or failed"
        assert pane.run is not None
        assert pane.run.run_id == RUN_ID
        await pilot.press("down")
        assert app.main_screen.selected_alert.fingerprint == "a2"
        assert pane.playbook is None
        note = app.screen.query_one("#playbook-note")
        assert "core-switch-down" in str(note.render())
        await pilot.press("up")
        assert pane.playbook is not None


async def test_the_list_keeps_the_snapshot_order_and_shows_markers_as_words(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)):
        texts = row_texts(app.screen.query_one(AlertTable))
        assert [row.key for row in app.screen.query_one(AlertTable).rows] == [a.fingerprint for a in source.alerts]
        assert texts[0].startswith("! ✖ CRITICAL")
        assert "ACK:bob" in texts[2]
        assert "SUPP<core-sw1" in texts[3]
        assert "FLAP" in texts[4]
        assert "resolved" in texts[6]
        assert "DRILL" in texts[6]


async def test_a_capped_severity_and_a_resolved_alert_never_contradict_their_state(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)):
        texts = row_texts(app.screen.query_one(AlertTable))
        capped = next(text for text in texts if "backup" in text)
        assert capped.startswith(" ▲ WARNING warn↓ backup switch"), "the severity that holds, not the raw state"
        assert "CAP:trading" in capped
        assert "STICKY-ACK:carol" in capped
        resolved = next(text for text in texts if "PDU 3" in text)
        assert resolved.startswith(" ✔ OK - PDU 3")


async def test_space_ticks_the_highlighted_step_and_shows_it_done_only_after_submit(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.screen.query_one(PlaybookPane)
        await pilot.press("tab", "down")
        assert pane.highlighted_step == 2
        await pilot.press("space")
        assert [(item.intent, item.alert) for item in source.submitted] == [(StepTick(run=RUN_ID, step=2), "a1")]
        assert pane.run is not None
        step = pane.run.step(2)
        assert step is not None
        assert step.ticked is not None


async def test_ticking_a_done_step_again_is_explained_not_submitted(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        assert source.submitted == []
        assert any("already done" in message for message in notification_messages(app))


async def test_acknowledge_with_a_comment(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, ActionDialog)
        await pilot.press(*"vendor called", "enter")
        assert not isinstance(app.screen, ActionDialog)
        acked = Ack(comment="vendor called", severity="critical")
        assert [(item.intent, item.alert) for item in source.submitted] == [(acked, "a1")]
        assert "ACK:alice" in row_texts(app.screen.query_one(AlertTable))[0]
        assert "STICKY" not in row_texts(app.screen.query_one(AlertTable))[0]


async def test_a_sticky_ack_is_ticked_with_space_and_shows_as_sticky(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"vendor on site", "tab", "tab")
        box = app.screen.query_one("#field-sticky", YesNoBox)
        assert "[ ]" in str(box.render())
        await pilot.press("space")
        assert "[x]" in str(box.render())
        assert source.submitted == []
        await pilot.press("enter")
        assert not isinstance(app.screen, ActionDialog)
        sticky = Ack(comment="vendor on site", severity="critical", sticky=True)
        assert [(item.intent, item.alert) for item in source.submitted] == [(sticky, "a1")]
        assert "STICKY-ACK:alice" in row_texts(app.screen.query_one(AlertTable))[0]


async def test_an_ack_records_the_severity_shown_not_the_state(source: FakeSource) -> None:
    source.alerts = [source.alerts[-1]]  # a critical condition capped to a warning, acked sticky by carol
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"taking over", "enter")
        assert source.submitted[0].intent == Ack(comment="taking over", severity="warning")


async def test_acknowledge_with_an_expiry(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"on it", "tab", *"2h", "enter")
        assert source.submitted[0].intent == Ack(comment="on it", expires_at=FIXED_NOW + 7200, severity="critical")


async def test_acknowledge_without_a_comment_is_refused_and_nothing_is_recorded(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", "enter")
        assert isinstance(app.screen, ActionDialog)
        assert "comment is required" in str(app.screen.query_one("#dialog-error").render())
        assert source.submitted == []
        assert "ACK" not in row_texts(app.screen_stack[0].query_one(AlertTable))[0]


async def test_a_bad_expiry_is_explained(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"on it", "tab", *"soon", "enter")
        assert isinstance(app.screen, ActionDialog)
        assert "Not a duration: soon" in str(app.screen.query_one("#dialog-error").render())
        assert source.submitted == []


async def test_silence_prefills_the_matcher_from_the_selected_alert(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"planned UPS test", "enter")
        assert len(source.submitted) == 1
        item = source.submitted[0]
        assert item.alert == ""
        assert item.intent == Silence(
            rule="ups-runtime-low",
            target="ups-a",
            group="power",
            comment="planned UPS test",
            start=FIXED_NOW,
            end=FIXED_NOW + 3600,
        )


async def test_silence_needs_a_comment(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "enter")
        assert isinstance(app.screen, ActionDialog)
        assert source.submitted == []


async def test_note(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "n", *"called the carrier", "enter")
        assert [(item.intent, item.alert) for item in source.submitted] == [(Note(text="called the carrier"), "a2")]


async def test_filter_narrows_the_list_and_escape_clears_it(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(AlertTable)
        await pilot.press("slash", *"links")
        assert [row.key for row in table.rows] == ["a2", "a3"]
        await pilot.press("enter")
        assert [row.key for row in table.rows] == ["a2", "a3"]
        assert app.focused is table
        await pilot.press("slash", "escape")
        assert len(table.rows) == len(source.alerts)
        assert source.submitted == []


@pytest.mark.parametrize("key", ["a", "s", "n"])
async def test_a_viewer_sees_the_form_greyed_out_with_the_reason_before_typing(key: str) -> None:
    source = FakeSource(role="viewer")
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, ActionDialog)
        error = str(app.screen.query_one("#dialog-error").render())
        assert "You are a viewer" in error
        assert "operator role" in error
        assert all(field.disabled for field in app.screen.query(Input))
        assert app.screen.query_one("#submit", Button).disabled
        before = [field.value for field in app.screen.query(Input)]
        await pilot.press(*"trying")
        assert [field.value for field in app.screen.query(Input)] == before, "nothing can be typed into it"
        await pilot.press("escape")
        assert source.submitted == []
        assert "ACK" not in row_texts(app.screen.query_one(AlertTable))[0]


async def test_a_failing_store_shows_a_short_reason_not_a_traceback() -> None:
    source = FakeSource(fail_with=OSError(28, "No space left on device"))
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "space")
        messages = notification_messages(app)
        assert any("could not record the action: OSError" in message for message in messages)
        assert not any("Traceback" in message for message in messages)
        assert app.is_running
        assert source.runs["a1"].step(2).ticked is None  # type: ignore[union-attr]
