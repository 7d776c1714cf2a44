"""Issue 12.11: expiry is decided once. A clock jump (+1 h and back) brings back no expired silence and no lapsed
ack; a recurring silence that crosses midnight covers the night it starts. Times are explicit throughout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.actions_model import Ack, Lapse, OperatorAction, Silence
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import Identity, State
from dutyroom.operators.lapses import LapseWatch, due_lapses
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, StoredAction
from dutyroom.views.alerts import AlertView, alert_views, all_silences

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALICE = Identity("alice")
ENGINE = Identity("dutyroom-engine")
HOUR = 3600.0
CONFIG = """
[site]
name = "room"
timezone = "Asia/Shanghai"
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
[[rule]]
id = "port-down"
metric = "if.oper_status"
warning = "!= up"
[[silence]]
id = "ups-swap"
match = { target = "ups-a" }
comment = "battery swap"
start = "{swap_start}"
end = "{swap_end}"
[[silence]]
id = "friday-night"
match = { group = "links" }
comment = "carrier works on Friday nights"
days = ["fri"]
from = "22:00"
to = "06:00"
"""


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


T = at("2026-11-23T10:00:00")
"""A Monday morning: the clock jumps forward an hour at T + 10 min and back again a little later."""


def write_config(tmp_path: Path, swap_end: str = "2026-11-23T10:30:00") -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.replace("{swap_start}", "2026-11-23T09:00:00").replace("{swap_end}", swap_end))
    return load_config(path)


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    return write_config(tmp_path)


def firing(rule: str, target: str, since: float, state: State = State.CRITICAL) -> Check:
    severity = "critical" if state is State.CRITICAL else "warning"
    return Check(
        fingerprint=f"{rule}@{target}",
        rule=rule,
        target=target,
        state=state,
        phase=AlertPhase.FIRING,
        severity=severity,
        active_since=since,
        fired_at=since,
        value=1.0,
        value_at=since,
    )


UPS = firing("on-battery", "ups-a", T - 600)
PORT = firing("port-down", "sw1", T - 600, State.WARNING)


def fold(*actions: tuple[OperatorAction, float, str]) -> OperatorState:
    state = OperatorState()
    for number, (action, when, alert) in enumerate(actions, start=1):
        state.apply(StoredAction(number, action, ALICE, when, alert))
    return state


def record_due(config: LoadedConfig, state: OperatorState, checks: list[Check], now: float) -> list[Lapse]:
    """What the poller does after a batch at `now`: record every lapse due (here straight into the fold)."""
    due = due_lapses(config, checks, state, now)
    for lapse, alert in due:
        state.apply(StoredAction(state.last_action_id + 1, lapse, ENGINE, now, alert))
    return [lapse for lapse, _ in due]


def view(config: LoadedConfig, check: Check, state: OperatorState, now: float) -> AlertView:
    (only,) = alert_views(config, [check], state, now)
    return only


def test_an_ack_that_expired_during_a_jump_forward_stays_lapsed_when_the_clock_goes_back(
    config: LoadedConfig,
) -> None:
    state = fold((Ack(comment="vendor called", expires_at=T + 30 * 60, severity="critical"), T, UPS.fingerprint))
    assert record_due(config, state, [UPS], T + 5 * 60) == []
    assert view(config, UPS, state, T + 5 * 60).ack is not None

    assert Lapse(reason="expired", ack=1) in record_due(config, state, [UPS], T + 10 * 60 + HOUR)
    assert view(config, UPS, state, T + 10 * 60 + HOUR).ack is None

    back = view(config, UPS, state, T + 11 * 60)
    assert back.ack is None
    assert back.needs_human


def test_an_operator_silence_that_expired_during_a_jump_forward_stays_lapsed_when_the_clock_goes_back(
    config: LoadedConfig,
) -> None:
    silence = Silence(rule="port-down", target="", group="", comment="fibre swap", start=T, end=T + 30 * 60)
    state = fold((silence, T, ""))
    assert view(config, PORT, state, T + 5 * 60).silenced_by == "s1"

    assert Lapse(reason="expired", silence="s1", end=T + 30 * 60) in record_due(
        config, state, [PORT], T + 10 * 60 + HOUR
    )
    assert view(config, PORT, state, T + 11 * 60).silenced_by == ""
    assert "s1" not in {window.id for window in all_silences(config, state)}


def test_a_configured_silence_that_expired_stays_lapsed_and_a_later_end_makes_it_a_new_window(
    tmp_path: Path, config: LoadedConfig
) -> None:
    state = OperatorState()
    assert view(config, UPS, state, T + 5 * 60).silenced_by == "ups-swap"

    assert record_due(config, state, [UPS], T + 10 * 60 + HOUR) == [
        Lapse(reason="expired", silence="ups-swap", end=at("2026-11-23T10:30:00"))
    ]
    assert view(config, UPS, state, T + 11 * 60).silenced_by == ""

    extended = write_config(tmp_path, swap_end="2026-11-23T12:00:00")
    assert view(extended, UPS, state, T + 11 * 60).silenced_by == "ups-swap"


def test_a_silence_made_after_the_clock_went_back_holds_for_its_own_time(config: LoadedConfig) -> None:
    state = fold((Silence(rule="port-down", target="", group="", comment="x", start=T, end=T + 15 * 60), T, ""))
    record_due(config, state, [PORT], T + 10 * 60 + HOUR)
    fresh = Silence(rule="port-down", target="", group="", comment="fibre again", start=T + 11 * 60, end=T + HOUR)
    state.apply(StoredAction(state.last_action_id + 1, fresh, ALICE, T + 11 * 60, ""))

    assert view(config, PORT, state, T + 12 * 60).silenced_by == f"s{state.last_action_id}"


def test_the_lapse_of_an_older_ack_leaves_a_newer_one_alone(config: LoadedConfig) -> None:
    state = fold(
        (Ack(comment="first", expires_at=T + 60, severity="critical"), T, UPS.fingerprint),
        (Ack(comment="second, no expiry", severity="critical"), T + 61, UPS.fingerprint),
        (Lapse(reason="expired", ack=1), T + 62, UPS.fingerprint),
    )

    kept = view(config, UPS, state, T + 120)
    assert kept.ack is not None
    assert kept.ack.comment == "second, no expiry"


def test_nothing_is_due_for_an_ack_of_an_earlier_incident_nor_for_a_recurring_window(config: LoadedConfig) -> None:
    state = fold((Ack(comment="old", expires_at=T - 700, severity="critical"), T - 1800, UPS.fingerprint))
    friday_night = at("2026-11-28T07:00:00")  # after the recurring window's end: nothing to decide

    assert [lapse.silence for lapse in record_due(config, state, [UPS, PORT], friday_night)] == ["ups-swap"]


@pytest.mark.parametrize(
    ("moment", "silenced"),
    [
        ("2026-11-27T01:00:00", False),  # Friday's small hours belong to Thursday night
        ("2026-11-27T21:59:00", False),
        ("2026-11-27T22:00:00", True),  # Friday night
        ("2026-11-28T05:59:00", True),  # ... into Saturday morning
        ("2026-11-28T06:00:00", False),
        ("2026-11-28T23:00:00", False),  # Saturday night is not Friday's
    ],
)
def test_a_recurring_silence_that_crosses_midnight_covers_the_night_it_starts(
    config: LoadedConfig, moment: str, silenced: bool
) -> None:
    assert (view(config, PORT, OperatorState(), at(moment)).silenced_by == "friday-night") is silenced


def test_the_watch_asks_for_each_lapse_once_even_before_the_store_has_it(tmp_path: Path, config: LoadedConfig) -> None:
    late = T + 2 * HOUR  # the configured swap window is over too
    with Store.open(tmp_path / "state") as store:
        ack = Ack(comment="on it", expires_at=T + 60, severity="critical")
        store.record_action(ActionRecord(ack, ALICE, T, UPS.fingerprint))
        watch = LapseWatch(ENGINE)

        first = watch.due(store, config, [UPS], late)
        assert [(record.action, record.actor, record.alert, record.at) for record in first] == [
            (Lapse(reason="expired", ack=1), ENGINE, UPS.fingerprint, late),
            (Lapse(reason="expired", silence="ups-swap", end=at("2026-11-23T10:30:00")), ENGINE, "", late),
        ]
        assert watch.due(store, config, [UPS], late + 1) == []  # not written yet (a full disk): not asked again
        for record in first:
            store.record_action(record)
        assert watch.due(store, config, [UPS], late + 2) == []
        assert LapseWatch(ENGINE).due(store, config, [UPS], late + 3) == []  # a restarted poller reads them back
