"""Pilot tests of the poller-down banner: red and worded while nobody polls, gone when the heartbeat is back,
the bell once per outage, every value shown as stale with its age."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.color import Color

from dutyroom.store.liveness import PollerLiveness, PollerState
from tui.widgets.alert_table import AlertTable
from tui.widgets.poller_banner import PollerBanner
from tui.widgets.site_overview import SiteOverview

from .apps import console_app, notification_messages
from .fakes import FIXED_NOW, FakeSource

ALIVE = PollerLiveness(PollerState.ALIVE, "heartbeat 0.3 s ago", 0.0, 4242, FIXED_NOW - 0.3)
STOPPED_AT = FIXED_NOW - 180  # 10:12 in Asia/Shanghai
DOWN = PollerLiveness(PollerState.DOWN, "not running", STOPPED_AT, 4242, STOPPED_AT)


@dataclass
class FakePoller:
    """What the launcher's liveness reader would say; tests change `now_says` between ticks."""

    now_says: PollerLiveness = ALIVE
    looks: list[float] = field(default_factory=list)

    def __call__(self, now: float) -> PollerLiveness:
        self.looks.append(now)
        return self.now_says


def banner_text(app: object) -> str:
    from tui.app import DutyroomApp

    assert isinstance(app, DutyroomApp)
    banner = app.main_screen.query_one(PollerBanner)
    return banner.text.plain if banner.display else ""


def state_cells(table: AlertTable) -> list[str]:
    return [row.cells[1].plain for row in table.rows]


async def test_no_banner_while_the_poller_is_alive(source: FakeSource) -> None:
    poller = FakePoller()
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(80, 24)):
        assert poller.looks == [FIXED_NOW]
        assert banner_text(app) == ""
        assert app.bells_rung == 0
        assert "✔ OK" in state_cells(app.main_screen.alert_table)


async def test_a_dead_poller_shows_the_red_banner_with_when_it_stopped(source: FakeSource) -> None:
    poller = FakePoller()
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(80, 24)):
        poller.now_says = DOWN
        app.refresh_snapshot()
        assert banner_text(app) == "✖ POLLER DOWN since 10:12: nothing is being watched (values are stale)"
        banner = app.main_screen.query_one(PollerBanner)
        assert banner.region.y == 0, "the banner tops the screen, above the status line"
        assert banner.styles.background == Color.parse(app.get_css_variables()["error"]), "red: the theme's error"
        poller.now_says = ALIVE
        app.refresh_snapshot()
        assert banner_text(app) == ""


async def test_while_down_every_value_shows_as_stale_with_its_age(source: FakeSource) -> None:
    poller = FakePoller()
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(120, 40)):
        table = app.main_screen.alert_table
        values_when_watched = [row.cells[5].plain for row in table.rows]
        assert values_when_watched[0] == "8min 12s", "value 8 min, 12 s old"
        poller.now_says = DOWN
        app.refresh_snapshot()
        assert set(state_cells(table)) == {"◌ STALE"}
        assert [row.cells[5].plain for row in table.rows] == values_when_watched, "values kept, with their ages"
        overview = app.main_screen.query_one(SiteOverview).text.plain
        assert "◌" in overview
        assert "✔" not in overview, "no group is said to be OK while unwatched"
        assert "✖" not in overview, "nor critical: nothing is known"
        assert table.rows[0].cells[0].plain == "!", "an unacknowledged critical still draws the eye"
        poller.now_says = ALIVE
        app.refresh_snapshot()
        assert "✖ CRITICAL" in state_cells(table)


async def test_the_bell_rings_once_per_outage_and_a_notice_reaches_every_screen(source: FakeSource) -> None:
    poller = FakePoller()
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")  # the timeline screen: the banner is not visible there, the notice is
        poller.now_says = DOWN
        for _ in range(5):
            app.refresh_snapshot()
        await pilot.pause()
        assert app.bells_rung == 1
        assert notification_messages(app) == ["✖ POLLER DOWN since 10:12: nothing is being watched (values are stale)"]
        poller.now_says = ALIVE
        app.refresh_snapshot()
        poller.now_says = DOWN
        app.refresh_snapshot()
        app.refresh_snapshot()
        assert app.bells_rung == 2, "a second outage rings again"


async def test_a_console_started_while_the_poller_is_down_rings_at_once(source: FakeSource) -> None:
    app = console_app(source, poller_liveness=FakePoller(now_says=DOWN))
    async with app.run_test(size=(80, 24)):
        assert app.bells_rung == 1
        assert banner_text(app).startswith("✖ POLLER DOWN since 10:12")


async def test_no_bell_when_the_operator_turned_it_off(source: FakeSource) -> None:
    app = console_app(source, bell=False, poller_liveness=FakePoller(now_says=DOWN))
    async with app.run_test(size=(80, 24)):
        assert app.bells_rung == 0
        assert banner_text(app), "the banner shows anyway"


async def test_the_banner_in_chinese_and_in_ascii(source: FakeSource) -> None:
    app = console_app(source, language="zh", ascii_only=True, poller_liveness=FakePoller(now_says=DOWN))
    async with app.run_test(size=(80, 24)):
        assert banner_text(app) == "X 采集服务停止（自 10:12 起）：当前没有任何监控（数值已过期）"
        assert set(state_cells(app.main_screen.alert_table)) == {"~ 过期"}


async def test_an_outage_from_another_day_gives_the_date_and_one_without_a_heartbeat_says_so(
    source: FakeSource,
) -> None:
    poller = FakePoller(now_says=PollerLiveness(PollerState.DOWN, "not running", FIXED_NOW - 2 * 86400, None, None))
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(80, 24)):
        assert banner_text(app).startswith("✖ POLLER DOWN since 02-28 10:15:")
        poller.now_says = PollerLiveness(PollerState.DOWN, "not running", 0.0, None, None)
        app.refresh_snapshot()
        assert banner_text(app) == "✖ POLLER DOWN: nothing is being watched (no poller has run here yet)"


async def test_a_failing_look_at_the_poller_keeps_the_last_verdict(source: FakeSource) -> None:
    calls = []

    def flaky(now: float) -> PollerLiveness:
        calls.append(now)
        if len(calls) > 1:
            raise OSError("state directory unreadable")
        return DOWN

    app = console_app(source, poller_liveness=flaky)
    async with app.run_test(size=(80, 24)):
        app.refresh_snapshot()
        assert len(calls) == 2
        assert banner_text(app).startswith("✖ POLLER DOWN")
        assert app.bells_rung == 1


async def test_starting_is_not_down(source: FakeSource) -> None:
    starting = PollerLiveness(PollerState.STARTING, "started, no heartbeat yet", 0.0, 7, None)
    app = console_app(source, poller_liveness=FakePoller(now_says=starting))
    async with app.run_test(size=(80, 24)):
        assert banner_text(app) == ""
        assert app.bells_rung == 0
        assert "◌ STALE" not in state_cells(app.main_screen.alert_table)[:5]


async def test_while_down_the_status_line_counts_no_collector_as_on_time(source: FakeSource) -> None:
    """Nothing polls: the status line must not go on saying "N on time" under the POLLER DOWN banner."""
    poller = FakePoller()
    app = console_app(source, poller_liveness=poller)
    async with app.run_test(size=(120, 40)):
        status = app.main_screen.snapshot.status if app.main_screen.snapshot else None
        assert status is not None
        assert status.health.on_time > 0, "the fake room has targets polled on time"
        targets = status.health.targets
        poller.now_says = DOWN
        app.refresh_snapshot()
        shown = app.main_screen.snapshot
        assert shown is not None
        assert (shown.status.health.on_time, shown.status.health.stale) == (0, targets)
        assert f"collectors 0 on time, {targets} stale" in str(app.main_screen.query_one("#status-main").render())
        poller.now_says = ALIVE
        app.refresh_snapshot()
        shown = app.main_screen.snapshot
        assert shown is not None
        assert shown.status.health.on_time > 0
