"""Issue 12.13: a view says when a session cap lowered its severity below what its state means, and in which phase."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import State
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.views.alerts import AlertView, alert_views

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = Path(__file__).resolve().parents[2] / "calendars" / "cn-a-share-2026.toml"
CONFIG = f"""
[site]
name = "room"
timezone = "Asia/Shanghai"
calendar = "{CALENDAR}"
[[target]]
id = "sz-line"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "link-loss"
metric = "tcp.loss_pct"
warning = "> 1"
critical = "> 5"
severity = {{ break = "warning", off-hours = "warning" }}
"""
OFF_HOURS = datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI).timestamp()
TRADING = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI).timestamp()
LUNCH_BREAK = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI).timestamp()


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return load_config(path)


def alert(config: LoadedConfig, state: State, severity: str, now: float, **changes: object) -> AlertView:
    fields: dict[str, object] = {
        "fingerprint": "f1",
        "rule": "link-loss",
        "target": "sz-line",
        "state": state,
        "phase": AlertPhase.FIRING,
        "severity": severity,
        "active_since": now - 60,
        "fired_at": now - 60,
        "value": 7.0,
        "value_at": now,
    }
    fields.update(changes)
    (view,) = alert_views(config, [Check(**fields)], OperatorState(), now)  # type: ignore[arg-type]
    return view


def test_a_critical_capped_off_hours_says_so(config: LoadedConfig) -> None:
    view = alert(config, State.CRITICAL, "warning", OFF_HOURS)

    assert (view.state, view.severity) == (State.CRITICAL, "warning")
    assert (view.capped_from, view.capped_in) == ("critical", "off-hours")


def test_the_phase_named_is_the_one_whose_cap_explains_the_severity(config: LoadedConfig) -> None:
    assert alert(config, State.CRITICAL, "warning", LUNCH_BREAK).capped_in == "break"
    # still capped from the break, looked at in trading: the engine lowered it in a phase that caps
    assert alert(config, State.CRITICAL, "warning", TRADING).capped_in == "break"


def test_an_uncapped_alert_has_no_cap(config: LoadedConfig) -> None:
    view = alert(config, State.CRITICAL, "critical", TRADING)

    assert (view.capped_from, view.capped_in) == ("", "")
    assert alert(config, State.WARNING, "warning", OFF_HOURS).capped_from == ""


def test_a_resolved_alert_shows_no_severity_beside_its_ok(config: LoadedConfig) -> None:
    view = alert(config, State.OK, "critical", TRADING, phase=AlertPhase.RESOLVED, resolved_at=TRADING)

    assert view.state is State.OK
    assert (view.severity, view.shown_severity, view.capped_from) == ("critical", "", "")
