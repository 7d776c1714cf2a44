"""`dutyroom demo --headless` through the scripted incident, asserted from the state it writes.

One run (clock speed 3: about a minute) is watched mid-run and read afterwards with `dutyroom alerts --json`:
which alerts fire, how severe they get (session-aware where the rule says so), which are suppressed by the
failed UPS A, that traps reach the right targets, and that everything resolves once mains is back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_harness import PROJECT, DemoRun, alerts_json, dutyroom_command, phase_kind, start_demo

from dutyroom.model import AlertPhase
from dutyroom.store.database import Store
from tui.demo.scenario import INCIDENT_LENGTH_S

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=70)]

CLOCK_SPEED = 3.0
SETTLE_S = 14.0
"""Real seconds after the last step for the last alerts to resolve (a poll or two at the 4 s interval)."""
RUN_SECONDS = INCIDENT_LENGTH_S / CLOCK_SPEED + SETTLE_S
CRITICAL_ALERTS = {
    ("ups-on-battery", "ups-a"), ("ups-on-battery", "ups-b"), ("ups-runtime-low", "ups-a"),
    ("ups-battery-fault", "ups-a"), ("ups-output-off", "ups-a"), ("cooling-temp-high", "crac-1"),
    ("room-temp-high", "env-1"), ("core-switch-down", "core-sw1"), ("target-unreachable", "pdu-a1"),
    ("gateway-down", "oms-gw1"),
}  # fmt: skip
SESSION_AWARE = ("link-congested", "core-sw2")
"""Critical in trading and pre-open, capped at warning in breaks and off-hours."""
MAY_FIRE = {("link-headroom", "core-sw2")}
"""Capacity headroom, checked only in trading hours: the congestion is a new peak then."""
BEHIND_UPS_A = [("core-switch-down", "core-sw1"), ("target-unreachable", "pdu-a1"), ("gateway-down", "oms-gw1")]


def _all_resolved(run: DemoRun) -> bool:
    expected = CRITICAL_ALERTS | {SESSION_AWARE}
    if not all(run.fired(*key) for key in expected):
        return False
    latest = {(alert.rule, alert.target, alert.labels): alert.phase.value for alert in run.observe()}
    return all(phase == "resolved" for key, phase in latest.items() if key[:2] in expected)


@pytest.fixture(scope="module")
def incident(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    state = tmp_path_factory.mktemp("demo-incident") / "state"
    run = start_demo(state, "--clock-speed", str(CLOCK_SPEED), "--seconds", str(RUN_SECONDS))
    try:
        run.watch_until(_all_resolved, RUN_SECONDS + 30)
    finally:
        status = run.stop()
    assert status == 0, run.output()
    return run


def test_the_incident_raises_its_alerts(incident: DemoRun) -> None:
    fired = {key for key, views in incident.seen.items() if any(view.phase.value == "firing" for view in views)}
    missing = (CRITICAL_ALERTS | {SESSION_AWARE}) - fired
    assert not missing, f"never fired: {sorted(missing)}\n{incident.output()}"
    unexpected = fired - CRITICAL_ALERTS - {SESSION_AWARE} - MAY_FIRE
    assert not unexpected, f"fired but not part of the incident: {sorted(unexpected)}"


def test_severities_follow_the_rules_and_the_session(incident: DemoRun) -> None:
    assert incident.config is not None
    worst: dict[tuple[str, str], str] = {}
    phases: dict[tuple[str, str], set[str]] = {}
    for transition in incident.transitions():
        key = (transition.rule, transition.target)
        if transition.after is AlertPhase.FIRING:
            if worst.get(key) != "critical":
                worst[key] = transition.severity
            phases.setdefault(key, set()).add(phase_kind(incident.config, transition.at))
    for key in CRITICAL_ALERTS:
        assert worst.get(key) == "critical", f"{key} reached {worst.get(key)}"
    in_session = bool(phases[SESSION_AWARE] & {"trading", "pre-open"})
    capped = bool(phases[SESSION_AWARE] - {"trading", "pre-open"})
    allowed = {"critical"} if not capped else {"warning"} if not in_session else {"critical", "warning"}
    assert worst[SESSION_AWARE] in allowed, f"link-congested was {worst[SESSION_AWARE]} in {phases[SESSION_AWARE]}"


def test_whatever_lost_power_with_ups_a_is_suppressed_by_it(incident: DemoRun) -> None:
    for key in BEHIND_UPS_A:
        causes = {view.suppressed_by for view in incident.fired(*key)}
        assert "ups-a" in causes, f"{key} was never suppressed by ups-a (seen: {causes})"
    assert all(not view.suppressed_by for view in incident.fired("ups-output-off", "ups-a"))


def test_traps_reach_the_target_that_sent_them(incident: DemoRun) -> None:
    with Store.open(incident.state) as store:
        events = [event for event in store.events_between(0.0, 4e9) if event.kind == "trap"]
    by_target = {(event.target, event.message.split(" (")[0]) for event in events}
    assert ("ups-a", "UPS on battery") in by_target
    assert ("ups-b", "UPS on battery") in by_target
    assert ("ups-b", "UPS back on mains power") in by_target
    assert len([event for event in events if event.message.startswith("UPS on battery")]) == 2


def test_everything_resolves_once_mains_is_back(incident: DemoRun) -> None:
    alerts = alerts_json(incident.state)
    by_key: dict[tuple[str, str], list[dict[str, object]]] = {}
    for alert in alerts:
        by_key.setdefault((str(alert["rule"]), str(alert["target"])), []).append(alert)
    for key in CRITICAL_ALERTS | {SESSION_AWARE}:
        assert key in by_key, f"{key} is not listed by `dutyroom alerts --json`"
        for alert in by_key[key]:
            assert alert["phase"] == "resolved", alert
            assert alert["resolved_at"], alert
            assert alert["playbook"], f"{key} has no playbook"
            assert alert["drill"] is False
    still_active = [alert for alert in alerts if alert["phase"] in ("firing", "pending")]
    assert all((alert["rule"], alert["target"]) in MAY_FIRE for alert in still_active), still_active


def test_the_run_config_is_a_valid_room_with_protected_secrets(incident: DemoRun) -> None:
    import subprocess

    command = [*dutyroom_command(), "check", "--config", str(incident.config_path)]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False, cwd=PROJECT)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    secrets = sorted((incident.state / "secrets").iterdir())
    assert secrets
    assert all(path.stat().st_mode & 0o077 == 0 for path in secrets)
    text = incident.config_path.read_text()
    assert "DUTYROOM_DEMO_COMMUNITY" not in text
    assert all(path.read_text().strip() not in text for path in secrets)


def test_playbook_runs_started_for_the_incident(incident: DemoRun) -> None:
    starts = [action for action in incident.actions() if action.kind == "run-start"]
    playbooks = {str(action.payload.get("playbook", "")) for action in starts}
    assert {"mains-failure", "cooling-failure"} <= playbooks, playbooks
    assert not any(action.drill for action in starts)


def test_shipped_config_passes_check_with_its_secrets_set(tmp_path: Path) -> None:
    import os
    import re
    import subprocess

    shipped = PROJECT / "checks.toml"
    names = set(re.findall(r'env = "([A-Z0-9_]+)"', shipped.read_text()))
    assert names, "the shipped checks.toml takes its secrets from the environment"
    env = {**os.environ, **dict.fromkeys(names, "placeholder")}
    command = [*dutyroom_command(), "check", "--config", str(shipped)]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
