"""Issue 12.4: an ack made on a warning is cleared when the alert turns critical, unless it is sticky (Icinga)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.actions_model import Ack, Lapse, OperatorAction
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import Identity, State
from dutyroom.operators.lapses import due_lapses
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.store.records import StoredAction
from dutyroom.views.alerts import AlertView, alert_views

SHANGHAI = ZoneInfo("Asia/Shanghai")
BOB = Identity("bob")
ENGINE = Identity("dutyroom-engine")
CONFIG = """
[site]
name = "room"
[defaults]
escalate_after = "10m"
[[target]]
id = "sw1"
group = "links"
kind = "snmp"
address = "udp://127.0.0.1:162"
profile = "if-mib"
[[rule]]
id = "link-util"
metric = "if.util_pct"
warning = "> 80"
critical = "> 95"
"""
FINGERPRINT = "link-util@sw1"
START = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI).timestamp()


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return load_config(path)


def check(state: State, severity: str) -> Check:
    return Check(
        fingerprint=FINGERPRINT,
        rule="link-util",
        target="sw1",
        state=state,
        phase=AlertPhase.FIRING,
        severity=severity,
        active_since=START,
        fired_at=START,
        value=90.0,
        value_at=START,
    )


WARNING = check(State.WARNING, "warning")
CRITICAL = check(State.CRITICAL, "critical")


def acked(ack: Ack, *, at: float = START + 60) -> OperatorState:
    state = OperatorState()
    state.apply(StoredAction(1, ack, BOB, at, FINGERPRINT))
    return state


def view(config: LoadedConfig, current: Check, state: OperatorState, now: float) -> AlertView:
    (only,) = alert_views(config, [current], state, now)
    return only


def test_a_normal_ack_made_on_a_warning_is_cleared_when_the_alert_turns_critical(config: LoadedConfig) -> None:
    state = acked(Ack(comment="watching it", severity="warning"))

    assert view(config, WARNING, state, START + 120).ack is not None
    turned = view(config, CRITICAL, state, START + 180)
    assert turned.ack is None
    assert turned.needs_human


def test_escalation_resumes_once_the_rise_cleared_the_ack(config: LoadedConfig) -> None:
    state = acked(Ack(comment="watching it", severity="warning"))

    assert view(config, CRITICAL, state, START + 600).escalated


def test_a_sticky_ack_is_kept_when_the_severity_rises(config: LoadedConfig) -> None:
    state = acked(Ack(comment="vendor on site", severity="warning", sticky=True))

    kept = view(config, CRITICAL, state, START + 600)
    assert kept.ack is not None
    assert kept.ack.sticky
    assert not kept.escalated


def test_an_ack_holds_while_the_severity_stays_or_falls(config: LoadedConfig) -> None:
    state = acked(Ack(comment="on it", severity="critical"))

    assert view(config, CRITICAL, state, START + 120).ack is not None
    assert view(config, WARNING, state, START + 180).ack is not None


def test_an_ack_recorded_before_severities_were_kept_is_not_cleared_by_a_rise(config: LoadedConfig) -> None:
    state = acked(Ack(comment="on it"))

    assert view(config, CRITICAL, state, START + 120).ack is not None


def test_the_poller_records_the_rise_once_and_the_ack_stays_cleared_when_the_severity_falls_back(
    config: LoadedConfig,
) -> None:
    state = acked(Ack(comment="watching it", severity="warning"))
    assert due_lapses(config, [WARNING], state, START + 120) == []

    (due,) = due_lapses(config, [CRITICAL], state, START + 180)
    assert due == (Lapse(reason="severity rose to critical", ack=1), FINGERPRINT)
    lapse, alert = due
    state.apply(StoredAction(2, lapse, ENGINE, START + 180, alert))

    assert view(config, WARNING, state, START + 240).ack is None
    assert due_lapses(config, [CRITICAL], state, START + 240) == []


def test_a_sticky_ack_is_never_recorded_as_lapsed_by_a_rise(config: LoadedConfig) -> None:
    state = acked(Ack(comment="vendor on site", severity="warning", sticky=True))

    assert due_lapses(config, [CRITICAL], state, START + 180) == []


def test_a_new_ack_after_the_rise_holds_at_the_new_severity(config: LoadedConfig) -> None:
    actions: list[tuple[OperatorAction, float]] = [
        (Ack(comment="watching it", severity="warning"), START + 60),
        (Lapse(reason="severity rose to critical", ack=1), START + 180),
        (Ack(comment="calling the carrier", severity="critical"), START + 200),
    ]
    state = OperatorState()
    for number, (action, at) in enumerate(actions, start=1):
        state.apply(StoredAction(number, action, BOB, at, FINGERPRINT))

    again = view(config, CRITICAL, state, START + 240)
    assert again.ack is not None
    assert again.ack.comment == "calling the carrier"
