"""A remote screen repaints a deadline's countdown once a minute, like its ages, not every 2 s tick (issue 14.8)."""

from __future__ import annotations

from tui.app import DutyroomApp
from tui.widgets.playbook_pane import DeadlineLabel

from .apps import console_app
from .fakes import FIXED_NOW, joined_room

DUE_AT = FIXED_NOW - 180
"""The mains-failure run's "call the building power duty room" deadline: 10 minutes after 10:02."""


def clocked(now: list[float], *, remote: bool) -> DutyroomApp:
    app = console_app(joined_room(), remote=remote)
    app.context = type(app.context)(
        app.context.source, app.context.settings, app.context.translate, lambda: now[0], app.context.record
    )
    return app


def deadline_texts(app: DutyroomApp) -> list[str]:
    return [label.text.plain for label in app.main_screen.query(DeadlineLabel)]


async def test_a_missed_deadline_on_a_remote_screen_repaints_once_a_minute() -> None:
    now = [DUE_AT + 29]
    app = clocked(now, remote=True)
    async with app.run_test(size=(80, 24)):
        app.refresh_snapshot()
        first = deadline_texts(app)
        assert first == ["Call the building power duty room: MISSED (<1m late)"], first
        shows = 0
        for tick in range(1, 15):  # a remote tick every 2 s until a minute late
            now[0] = DUE_AT + 29 + 2 * tick
            before = [label.text for label in app.main_screen.query(DeadlineLabel)]
            app.refresh_snapshot()
            after = [label.text for label in app.main_screen.query(DeadlineLabel)]
            shows += sum(1 for old, new in zip(before, after, strict=True) if old is not new)
        assert shows == 0, "nothing to repaint while the text cannot change"
        now[0] = DUE_AT + 60
        app.refresh_snapshot()
        assert deadline_texts(app) == ["Call the building power duty room: MISSED (1m late)"]


async def test_a_local_screen_still_counts_seconds() -> None:
    now = [DUE_AT + 29]
    app = clocked(now, remote=False)
    async with app.run_test(size=(80, 24)):
        app.refresh_snapshot()
        assert deadline_texts(app) == ["Call the building power duty room: MISSED (29s late)"]
