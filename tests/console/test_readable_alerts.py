"""A readable alert list (issue 14.4): rows that tell alerts apart, the full width at 120x40, firing rows never
lost above the view, the severity that holds, utilisation above 100 % flagged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView
from tui.app import DutyroomApp

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource, make_alert, room_alerts


def row_texts(app: DutyroomApp) -> dict[str, str]:
    """Each row as drawn (cells fitted to their widths), by alert fingerprint."""
    table = app.main_screen.alert_table
    return {row.key: table.render_line(index - table.top + 1).text for index, row in enumerate(table.rows)}


def twin_probes() -> list[AlertView]:
    """Two inlet sensors of one probe over the same rule: only their labels tell them apart."""
    twin = {
        "rule": "room-temp-high",
        "target": "probe-r3",
        "target_name": "Sensor probe rack 3",
        "group": "cooling",
        "state": State.WARNING,
        "severity": "warning",
        "unit": "°C",
        "summary": "Room inlet temperature above 27 °C",
        "playbook": None,
    }
    return [
        make_alert("t1", labels=(("aisle", "B"), ("sensor", "inlet-1")), value=27.9, **twin),
        make_alert("t2", labels=(("aisle", "B"), ("sensor", "inlet-2")), value=28.4, **twin),
    ]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_rows_that_differ_only_by_labels_read_differently(size: tuple[int, int]) -> None:
    app = console_app(FakeSource(alerts=twin_probes(), runs={}))
    async with app.run_test(size=size):
        rows = row_texts(app)
        assert "inlet-1" in rows["t1"], rows["t1"]
        assert "inlet-2" in rows["t2"], rows["t2"]


async def test_the_summary_and_all_labels_show_at_120_columns() -> None:
    app = console_app(FakeSource(alerts=twin_probes(), runs={}))
    async with app.run_test(size=(120, 40)):
        row = row_texts(app)["t1"]
        assert "Room inlet temp" in row, row
        assert "Sensor probe rack 3 B inlet-1" in row, row
        assert "room-temp-high" in row, row


async def test_the_list_takes_the_whole_width_at_120_columns() -> None:
    app = console_app(FakeSource())
    async with app.run_test(size=(120, 40)):
        assert app.main_screen.alert_table.size.width == 120


def resolved_pile(count: int) -> list[AlertView]:
    return [
        make_alert(
            f"r{index}",
            rule="pdu-load",
            target=f"pdu-{index}",
            target_name=f"PDU {index}",
            phase=AlertPhase.RESOLVED,
            state=State.OK,
            resolved_at=FIXED_NOW - 60,
            playbook=None,
        )
        for index in range(count)
    ]


async def test_when_the_selected_alert_resolves_the_firing_rows_above_are_counted() -> None:
    firing = [replace(alert, playbook=None) for alert in room_alerts()[:3]]
    source = FakeSource(alerts=[*firing, *resolved_pile(12)], runs={})
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.main_screen.alert_table
        assert "above" not in str(table.border_title)
        resolved = replace(firing[0], phase=AlertPhase.RESOLVED, state=State.OK, resolved_at=FIXED_NOW)
        source.alerts = [*firing[1:], *resolved_pile(12), resolved]  # it sorts below the resolved pile
        app.refresh_snapshot()
        await pilot.pause()
        assert table.cursor_key == firing[0].fingerprint, "the cursor follows the alert it was on"
        assert table.top > 0
        assert "2 firing above" in str(table.border_title), table.border_title
        await pilot.press("home")
        assert "above" not in str(table.border_title)


async def test_a_capped_alert_shows_the_severity_that_holds_not_the_raw_state() -> None:
    app = console_app(FakeSource())
    async with app.run_test(size=(120, 40)):
        row = row_texts(app)["a8"]
        assert "CRITICAL" not in row, row
        assert "WARNING" in row, row


async def test_utilisation_above_100_percent_is_flagged() -> None:
    over = make_alert("o1", rule="link-util", target="sz-line", target_name="SZSE line", value=112.0, unit="%")
    app = console_app(FakeSource(alerts=[over], runs={}))
    async with app.run_test(size=(80, 24)):
        row = row_texts(app)["o1"]
        assert "112%" in row, row
        assert "OVER100%" in row, row


async def test_the_filter_finds_a_row_by_a_label_it_shows() -> None:
    app = console_app(FakeSource(alerts=twin_probes(), runs={}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"inlet-2", "enter")
        assert [row.key for row in app.main_screen.alert_table.rows] == ["t2"]


async def test_new_rows_do_not_set_the_border_title_again_while_it_reads_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = FakeSource(alerts=twin_probes(), runs={})
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        table = app.main_screen.alert_table
        refreshes: list[object] = []
        refresh = table.refresh

        def counting(*regions: object, **options: bool) -> object:
            refreshes.append(regions)
            return refresh(*regions, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(table, "refresh", counting)
        source.alerts = [replace(alert, value=30.0) for alert in source.alerts]
        app.refresh_snapshot()
        assert refreshes, "the changed rows repaint"
        assert all(regions for regions in refreshes), "lines only: never the whole table"
