"""One console on several sites (tui.site_source), against fake sites (real serves and sshd: tests/e2e).

Two rooms with the same devices stay apart, an action goes to the alert's own site with that site's key, a
lost site leaves the list and its status says since when, and reading it again brings it back.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from dutyroom.actions_model import Ack
from dutyroom.operators.actions import ActionRefused
from dutyroom.store.liveness import PollerState
from dutyroom.views.alerts import CollectorHealth
from tui.service_client import ServiceUnreachable
from tui.site_app import sites_app
from tui.site_source import (
    BACKOFF_S,
    READ_EVERY_S,
    MultiSiteSource,
    SiteCondition,
    SiteDesk,
    SitePollerDown,
    split_key,
)
from tui.widgets.poller_banner import PollerBanner

from .apps import console_app, notification_messages
from .fakes import FIXED_NOW, TIMEZONE, FakeSource, make_transition, sample_detail
from .site_rooms import Switch, fake_sites, read_all


def two_sites(language: str = "en") -> tuple[MultiSiteSource, dict[str, Switch], dict[str, FakeSource]]:
    return fake_sites(("main", "SH-DR"), language)


def test_alerts_of_both_sites_carry_their_site_and_stay_apart() -> None:
    source, _, rooms = two_sites()
    read_all(source)
    snapshot = source.snapshot(FIXED_NOW)
    keys = [alert.fingerprint for alert in snapshot.alerts]
    assert len(keys) == len(set(keys)) == 2 * len(rooms["main"].alerts)
    assert {split_key(key)[0] for key in keys} == {"main", "SH-DR"}
    remote = next(alert for alert in snapshot.alerts if alert.fingerprint.startswith("SH-DR:"))
    assert remote.target_name.startswith("SH-DR ")
    assert set(snapshot.runs) == {"main:a1", "SH-DR:a1"}
    assert snapshot.status.site == "2 sites"
    assert snapshot.status.health == CollectorHealth(84, 80, 2, 2), "the collectors of every site shown"


def test_a_lost_site_leaves_the_list_is_named_with_since_when_and_comes_back() -> None:
    source, reads, _ = two_sites()
    read_all(source)
    reads["SH-DR"].failure = ServiceUnreachable("ssh: connect to host: Connection refused")
    waits = [source.sites["SH-DR"].feed.read_once() for _ in range(len(BACKOFF_S) + 2)]
    assert waits == sorted(waits)
    assert waits[0] == BACKOFF_S[0]
    assert waits[-1] == BACKOFF_S[-1]
    snapshot = source.snapshot(FIXED_NOW)
    assert {split_key(alert.fingerprint)[0] for alert in snapshot.alerts} == {"main"}
    assert source.site_statuses()[1].condition is SiteCondition.LOST
    assert source.lost_text("SH-DR", FIXED_NOW, TIMEZONE) == "SITE SH-DR UNREACHABLE since 10:15"
    assert source.poller_liveness(FIXED_NOW).state is PollerState.ALIVE  # main still watched
    reads["SH-DR"].failure = None
    assert source.sites["SH-DR"].feed.read_once() == READ_EVERY_S
    snapshot = source.snapshot(FIXED_NOW)
    assert {split_key(alert.fingerprint)[0] for alert in snapshot.alerts} == {"main", "SH-DR"}
    assert [each.condition for each in source.site_statuses()] == [SiteCondition.LIVE] * 2


def test_every_site_lost_is_the_console_banner() -> None:
    source, reads, _ = two_sites()
    read_all(source)
    for read in reads.values():
        read.failure = ServiceUnreachable("gone")
    read_all(source)
    assert source.poller_liveness(FIXED_NOW).state is PollerState.DOWN
    with pytest.raises(ServiceUnreachable, match="no site answers"):
        source.snapshot(FIXED_NOW)


def test_narrowing_shows_one_site_and_back() -> None:
    source, _, rooms = two_sites()
    read_all(source)
    source.narrow("SH-DR")
    snapshot = source.snapshot(FIXED_NOW)
    assert {split_key(alert.fingerprint)[0] for alert in snapshot.alerts} == {"SH-DR"}
    assert snapshot.status.site == "SH-DR"
    source.narrow(None)
    assert len(source.snapshot(FIXED_NOW).alerts) == 2 * len(rooms["main"].alerts)
    with pytest.raises(KeyError):
        source.narrow("nowhere")


def test_transitions_come_once_under_their_site() -> None:
    source, _, rooms = two_sites()
    rooms["SH-DR"].transitions.append(make_transition(rooms["SH-DR"].alerts[0]))
    read_all(source)
    first = source.snapshot(FIXED_NOW)
    assert [each.fingerprint for each in first.transitions] == [f"SH-DR:{rooms['SH-DR'].alerts[0].fingerprint}"]
    assert source.snapshot(FIXED_NOW).transitions == ()


def test_an_action_goes_to_its_own_site_with_that_sites_key() -> None:
    _, _, rooms = two_sites()
    desk = SiteDesk(rooms)
    fingerprint = rooms["SH-DR"].alerts[0].fingerprint
    stored = desk.submit(Ack(comment="on it"), f"SH-DR:{fingerprint}", FIXED_NOW)
    assert [each.alert for each in rooms["SH-DR"].submitted] == [fingerprint]
    assert rooms["main"].submitted == []
    assert stored.alert == f"SH-DR:{fingerprint}"
    with pytest.raises(ActionRefused):
        desk.submit(Ack(comment=""), fingerprint, FIXED_NOW)


def test_detail_asks_the_targets_site() -> None:
    source, _, rooms = two_sites()
    read_all(source)
    detail = sample_detail()
    rooms["SH-DR"].details[detail.target] = detail
    shown = source.detail(f"SH-DR:{detail.target}", FIXED_NOW)
    assert shown is not None
    assert shown.name == f"SH-DR {detail.name}"
    assert source.detail(f"main:{detail.target}", FIXED_NOW) is None
    assert replace(shown, target=detail.target, name=detail.name) == detail


async def test_a_lost_site_is_a_banner_and_one_bell_while_the_other_is_shown() -> None:
    source, reads, rooms = two_sites()
    read_all(source)
    app = sites_app(source, SiteDesk(rooms), console_app(rooms["main"]))
    async with app.run_test(size=(120, 40)) as pilot:
        banner = app.query_one(PollerBanner)
        assert not banner.has_class("-down")
        reads["SH-DR"].failure = ServiceUnreachable("ssh: Connection refused")
        read_all(source)
        for _ in range(3):
            app.refresh_snapshot()
        await pilot.pause()
        assert app.bells_rung == 1
        assert banner.has_class("-down")
        assert "SITE SH-DR UNREACHABLE since " in banner.text.plain
        assert "main" not in banner.text.plain
        assert notification_messages(app) == [banner.text.plain]
        reads["SH-DR"].failure = None
        read_all(source)
        app.refresh_snapshot()
        assert not banner.has_class("-down")
        reads["SH-DR"].failure = ServiceUnreachable("again")
        read_all(source)
        app.refresh_snapshot()
        assert app.bells_rung == 2, "a second loss rings again"


async def test_the_site_key_and_command_narrow_to_one_site_and_back() -> None:
    source, _, rooms = two_sites()
    read_all(source)
    app = sites_app(source, SiteDesk(rooms), console_app(rooms["main"]))
    async with app.run_test(size=(120, 40)) as pilot:
        seen = []
        for _ in range(3):
            await pilot.press("right_square_bracket")
            seen.append(source.only)
        assert seen == ["main", "SH-DR", None]
        assert {split_key(alert.fingerprint)[0] for alert in app.main_screen.snapshot.alerts} == {"main", "SH-DR"}
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"site main", "site SH-DR", "site all"} <= set(commands)
        commands["site SH-DR"].callback()
        await pilot.pause()
        assert {split_key(alert.fingerprint)[0] for alert in app.main_screen.snapshot.alerts} == {"SH-DR"}


def test_a_site_whose_poller_is_down_is_lost_and_says_so() -> None:
    source, reads, _ = two_sites()
    read_all(source)
    reads["SH-DR"].failure = SitePollerDown("its poller is down (no heartbeat for 42 s)")
    read_all(source)
    snapshot = source.snapshot(FIXED_NOW)
    assert source.site_statuses()[1].condition is SiteCondition.POLLER_DOWN
    assert "SH-DR POLLER DOWN since " in source.lost_text("SH-DR", FIXED_NOW, TIMEZONE)
    assert {split_key(alert.fingerprint)[0] for alert in snapshot.alerts} == {"main"}


def test_a_lost_site_is_named_in_chinese_too() -> None:
    source, reads, _ = two_sites("zh")
    read_all(source)
    reads["SH-DR"].failure = ServiceUnreachable("gone")
    read_all(source)
    assert "站点 SH-DR 无法连接（自 " in source.lost_text("SH-DR", FIXED_NOW, TIMEZONE)
    assert source.snapshot(FIXED_NOW).status.site == "2 个站点"
