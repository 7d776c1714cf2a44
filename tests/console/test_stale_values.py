"""A value older than its target's staleness limit is greyed, not only aged, whatever the state beside it
(issue 14.4): a trap-set value that holds, or a check the engine has not looked at again yet."""

from __future__ import annotations

from tui.app import DutyroomApp

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource, make_alert


def value_style(app: DutyroomApp, key: str) -> str:
    row = next(row for row in app.main_screen.alert_table.rows if row.key == key)
    return row.cell_styles[5]


async def test_a_value_older_than_the_staleness_limit_is_greyed_and_a_fresh_one_is_not() -> None:
    old = make_alert("old", value_at=FIXED_NOW - 400, stale_after_s=300.0)
    fresh = make_alert("fresh", target="ups-b", value_at=FIXED_NOW - 12, stale_after_s=300.0)
    unknown_limit = make_alert("nolimit", target="ups-c", value_at=FIXED_NOW - 4000)
    app = console_app(FakeSource(alerts=[old, fresh, unknown_limit], runs={}))
    async with app.run_test(size=(120, 40)):
        assert value_style(app, "old") == "alert-table--muted"
        assert value_style(app, "fresh") == ""
        assert value_style(app, "nolimit") == ""


async def test_a_remote_screen_greys_a_value_when_it_goes_stale_not_only_when_its_coarse_age_ticks() -> None:
    now = [FIXED_NOW]
    alert = make_alert("ageing", value_at=FIXED_NOW - 245, stale_after_s=250.0)  # "4m" until 300 s old
    app = console_app(FakeSource(alerts=[alert], runs={}), remote=True)
    app.context = type(app.context)(
        app.context.source, app.context.settings, app.context.translate, lambda: now[0], app.context.record
    )
    async with app.run_test(size=(120, 40)):
        app.refresh_snapshot()
        assert value_style(app, "ageing") == ""
        now[0] = FIXED_NOW + 10
        app.refresh_snapshot()
        assert value_style(app, "ageing") == "alert-table--muted"
