"""An alert read from an Alertmanager (issue 16 item 4) as the console shows it: its `runbook_url` annotation,
carried as a label, is a link in the playbook pane (with or without a mapped playbook, in English and Chinese),
never part of the target cell, where it pushed the alert's own labels out of sight; nor is a `severity` label
the severity column already shows. An
Alertmanager that cannot be reached has no values: its detail says why, and not that the target is gone. What
the alert's Prometheus rule wrote (its summary and description) is in its row, in its detail, and in the pane
when no playbook speaks, as plain text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dutyroom.model import State
from dutyroom.views.alerts import AlertView
from dutyroom.views.console_source import TargetDetail
from tui.app import DutyroomApp
from tui.screens.detail import TargetDetailScreen
from tui.widgets.line_table import LineTable

from .apps import console_app
from .fakes import FakeSource, make_alert

RUNBOOK = "https://wiki.example/oms-slow"


def firm_alert(playbook: str | None) -> AlertView:
    """`OrderGatewaySlow` as the Alertmanager source lists it, labels sorted as samples keep them."""
    labels = (("alertname", "OrderGatewaySlow"), ("runbook_url", RUNBOOK), ("service", "oms"), ("severity", "warning"))
    return make_alert(
        "am1",
        rule="firm-oms-slow",
        target="firm-am",
        target_name="",
        group="monitoring",
        labels=labels,
        state=State.WARNING,
        severity="warning",
        value=1.0,
        unit="",
        playbook=playbook,
        metric="alertmanager.alert",
    )


def note_text(app: DutyroomApp) -> str:
    return str(app.screen.query_one("#playbook-note").render())


def target_cell(app: DutyroomApp) -> str:
    table = app.main_screen.alert_table
    return table.render_line(1).text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_an_alert_without_a_playbook_shows_its_runbook_link(size: tuple[int, int]) -> None:
    app = console_app(FakeSource(alerts=[firm_alert(None)], runs={}))
    async with app.run_test(size=size):
        note = note_text(app)
        assert "No playbook for this alert." in note, note
        assert f"Runbook: {RUNBOOK}" in note, note


async def test_an_alert_with_a_playbook_shows_both_and_the_link_in_chinese() -> None:
    app = console_app(FakeSource(alerts=[firm_alert("ups-battery-low")], runs={}), language="zh")
    async with app.run_test(size=(80, 24)):
        assert app.main_screen.query_one("#playbook-title").display
        assert f"运维手册：{RUNBOOK}" in note_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_link_is_not_part_of_the_target(size: tuple[int, int]) -> None:
    app = console_app(FakeSource(alerts=[firm_alert(None)], runs={}))
    async with app.run_test(size=size):
        row = target_cell(app)
        assert "wiki" not in row, row
        assert "firm-am" in row, row
        if size == (120, 40):  # the severity label is left out: the severity column already says it
            assert "firm-am OrderGatewaySlow oms firm-oms-slow" in " ".join(row.split()), row


async def test_a_severity_label_that_disagrees_with_the_severity_column_stays() -> None:
    alert = firm_alert(None)
    app = console_app(FakeSource(alerts=[replace(alert, severity="critical", state=State.CRITICAL)], runs={}))
    async with app.run_test(size=(120, 40)):
        assert "oms warning" in target_cell(app)


async def test_a_source_that_never_answered_shows_why_and_no_values_yet_in_its_detail() -> None:
    down = make_alert("d1", rule="source-down", target="firm-am", target_name="", group="monitoring", value=None)
    detail = TargetDetail("firm-am", "", "monitoring", "alertmanager", State.UNREACHABLE, "connection refused", ())
    app = console_app(FakeSource(alerts=[down], runs={}, details={"firm-am": detail}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDetailScreen)
        assert "Last error: connection refused" in str(app.screen.query_one("#detail-error").render())
        shown = app.screen.query_one(LineTable).render_line(1).text
        assert "No values yet." in shown, shown


@pytest.mark.parametrize(("language", "word"), [("en", "firing"), ("zh", "告警中")])
async def test_the_value_of_an_alertmanager_alert_is_a_word_not_its_severity_code(language: str, word: str) -> None:
    critical = replace(firm_alert(None), value=2.0, severity="critical", state=State.CRITICAL)
    app = console_app(FakeSource(alerts=[critical], runs={}), language=language)
    async with app.run_test(size=(80, 24)):
        cells = target_cell(app).split()
        assert word in cells, cells
        assert "2" not in cells, cells


SUMMARY = "p99 of oms-gw1 above 100 ms for 5m"
DESCRIPTION = "orders queue behind the second leg; 312 ms now"


def worded_alert(playbook: str | None) -> AlertView:
    """`OrderGatewaySlow` with the summary and description its Prometheus rule wrote (the view's own fields)."""
    return replace(firm_alert(playbook), summary=SUMMARY, description=DESCRIPTION)


async def test_the_sources_summary_is_in_the_alerts_row() -> None:
    app = console_app(FakeSource(alerts=[worded_alert("ups-battery-low")], runs={}))
    async with app.run_test(size=(160, 40)):
        assert SUMMARY in target_cell(app), target_cell(app)


@pytest.mark.parametrize(
    ("language", "summary_word", "description_word"), [("en", "Summary", "Description"), ("zh", "说明", "描述")]
)
async def test_an_alert_without_a_playbook_shows_what_its_source_wrote(
    language: str, summary_word: str, description_word: str
) -> None:
    app = console_app(FakeSource(alerts=[worded_alert(None)], runs={}), language=language)
    async with app.run_test(size=(120, 40)):
        note = " ".join(note_text(app).split())
        assert SUMMARY in note, note
        assert DESCRIPTION in note, note
        assert note.index(summary_word) < note.index(SUMMARY) < note.index(description_word), note


async def test_the_detail_shows_the_alerts_summary_and_description_as_plain_text() -> None:
    hostile = replace(worded_alert(None), description="[bold red]look[/] \x1b[31m")
    detail = TargetDetail("firm-am", "", "monitoring", "alertmanager", State.WARNING, "", ())
    app = console_app(FakeSource(alerts=[hostile], runs={}, details={"firm-am": detail}))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, TargetDetailScreen)
        shown = " ".join(str(app.screen.query_one("#detail-alerts").render()).split())
        assert SUMMARY in shown, shown
        assert "[bold red]look[/] \\x1b[31m" in shown, shown
