"""Acks, silences and notes folded from the action log, and how they change the alert views."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.actions_model import Ack, Note, OperatorAction, Silence
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.config.types import Roles
from dutyroom.model import Identity, State
from dutyroom.operators.roles import role_of
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.store.records import StoredAction
from dutyroom.views.alerts import alert_views

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALICE = Identity("alice", ssh_client="10.9.0.5")
CONFIG = """
[site]
name = "room"
[defaults]
escalate_after = "10m"
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"
[[target]]
id = "sw1"
group = "links"
kind = "snmp"
address = "udp://127.0.0.1:162"
profile = "if-mib"
[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"
[[rule]]
id = "port-down"
metric = "if.oper_status"
warning = "!= up"
[[silence]]
id = "night-work"
match = { group = "links" }
comment = "link work every night"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
from = "23:00"
to = "01:00"
"""


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return load_config(path)


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def firing(rule: str, target: str, since: float, severity: str = "critical") -> Check:
    return Check(
        fingerprint=f"{rule}@{target}",
        rule=rule,
        target=target,
        state=State.CRITICAL,
        phase=AlertPhase.FIRING,
        severity=severity,
        active_since=since,
        fired_at=since,
        value=1.0,
        value_at=since,
    )


def action(action_id: int, typed: OperatorAction, when: float, alert: str = "") -> StoredAction:
    return StoredAction(action_id, typed, ALICE, when, alert)


def test_ack_shows_who_and_why_and_lapses_when_it_expires(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    state = OperatorState()
    state.apply(action(1, Ack(comment="vendor called", expires_at=start + 3600), start + 60, "on-battery@ups-a"))
    (view,) = alert_views(config, [firing("on-battery", "ups-a", start)], state, start + 120)
    assert view.ack is not None
    assert (view.ack.by.describe(), view.ack.comment) == ("alice from 10.9.0.5", "vendor called")
    assert not view.needs_human
    (later,) = alert_views(config, [firing("on-battery", "ups-a", start)], state, start + 3601)
    assert later.ack is None
    assert later.needs_human


def test_ack_clears_itself_when_the_alert_recovers_and_fires_again(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    state = OperatorState()
    state.apply(action(1, Ack(comment="on it"), start + 60, "on-battery@ups-a"))
    (again,) = alert_views(config, [firing("on-battery", "ups-a", start + 600)], state, start + 660)
    assert again.ack is None


def test_unacknowledged_critical_escalates_after_the_configured_time(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    (early,) = alert_views(config, [firing("on-battery", "ups-a", start)], OperatorState(), start + 599)
    (late,) = alert_views(config, [firing("on-battery", "ups-a", start)], OperatorState(), start + 600)
    assert (early.escalated, late.escalated) == (False, True)


def test_recurring_maintenance_window_crosses_midnight(config: LoadedConfig) -> None:
    check = firing("port-down", "sw1", at("2026-11-23T22:00:00"), "warning")
    for moment, silenced in [
        ("2026-11-23T22:59:00", ""),
        ("2026-11-23T23:30:00", "night-work"),
        ("2026-11-24T00:59:00", "night-work"),
        ("2026-11-24T01:00:00", ""),
    ]:
        (view,) = alert_views(config, [check], OperatorState(), at(moment))
        assert view.silenced_by == silenced, moment


def test_operator_silence_matches_and_ends(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    state = OperatorState()
    state.apply(
        action(
            1,
            Silence(rule="", target="ups-a", group="", comment="battery swap", start=start, end=start + 7200),
            start,
        )
    )
    (inside,) = alert_views(config, [firing("on-battery", "ups-a", start)], state, start + 60)
    (after,) = alert_views(config, [firing("on-battery", "ups-a", start)], state, start + 7200)
    assert (inside.silenced_by, after.silenced_by) == ("s1", "")


def test_what_needs_a_human_comes_first(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    state = OperatorState()
    state.apply(action(1, Ack(comment="on it"), start, "on-battery@ups-a"))
    checks = [firing("on-battery", "ups-a", start), firing("port-down", "sw1", start + 10, "warning")]
    views = alert_views(config, checks, state, start + 20)
    assert [view.rule for view in views] == ["port-down", "on-battery"]


def test_notes_are_kept_in_order(config: LoadedConfig) -> None:
    start = at("2026-11-23T10:00:00")
    state = OperatorState()
    state.apply(action(1, Note(text="runtime 40 min"), start + 1, "on-battery@ups-a"))
    state.apply(action(2, Note(text="mains back"), start + 2, "on-battery@ups-a"))
    (view,) = alert_views(config, [firing("on-battery", "ups-a", start)], state, start + 3)
    assert [note.text for note in view.notes] == ["runtime 40 min", "mains back"]


@pytest.mark.parametrize(
    ("roles", "identity", "expected"),
    [
        (Roles(), Identity("anyone"), "operator"),
        (Roles(viewers=["manager"]), Identity("manager"), "viewer"),
        (Roles(operators=["alice"]), Identity("bob"), "viewer"),
        (Roles(operators=["@duty"]), Identity("bob"), "operator"),
        (Roles(operators=["alice"]), Identity("root", sudo_user="alice"), "viewer"),
        (Roles(viewers=["bob"]), Identity("bob", sudo_user="alice"), "viewer"),
    ],
)
def test_roles_by_user_and_group(roles: Roles, identity: Identity, expected: str) -> None:
    assert role_of(identity, roles, groups_of=lambda user: {"duty"} if user == "bob" else set()) == expected
