"""A state set by a trap holds: never STALE between resends, ended by a clearing trap, by a poll that says
otherwise, or by the hold time. A trap reaches an SNMP target as a result carrying the receiver's "trap" event."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import Event, PollResult, Sample, State
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "traps"
[defaults]
interval = "10s"
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"
trap_sources = ["127.0.0.21"]
{hold}
[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""
T0 = 1_800_000_000.0


def engine_with(tmp_path: Path, hold: str = "") -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.format(hold=hold))
    return Engine(load_config(path))


def trap(at: float, value: float) -> PollResult:
    """What the trap receiver hands over for upsTrapOnBattery (1) or powerRestored (0)."""
    sample = Sample("ups-a", "ups.on_battery", value, at)
    return PollResult("ups-a", at, (sample,), events=(Event(at, "trap", "ups-a", "UPS on battery", State.CRITICAL),))


def poll(at: float, value: float) -> PollResult:
    return PollResult("ups-a", at, (Sample("ups-a", "ups.on_battery", value, at),))


def the_check(engine: Engine) -> Check:
    (check,) = engine.checks.values()
    return check


def test_a_trap_set_critical_stays_critical_between_resends(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    engine.evaluate([trap(T0, 1.0)], T0)
    for offset in range(5, 605, 5):  # far past the staleness limit (35 s)
        engine.evaluate([], T0 + offset)
    check = the_check(engine)
    assert (check.phase, check.state, check.severity) == (AlertPhase.FIRING, State.CRITICAL, "critical")


def test_a_poll_that_says_otherwise_ends_the_trap_state(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    engine.evaluate([trap(T0, 1.0)], T0)
    engine.evaluate([poll(T0 + 10, 0.0)], T0 + 10)
    assert the_check(engine).phase is AlertPhase.RESOLVED


def test_a_polled_value_goes_stale_as_before(tmp_path: Path) -> None:
    engine = engine_with(tmp_path)
    engine.evaluate([trap(T0, 1.0)], T0)
    engine.evaluate([poll(T0 + 10, 1.0)], T0 + 10)
    for offset in range(15, 55, 5):  # evaluated every 5 s: listening all along
        engine.evaluate([], T0 + offset)
    assert the_check(engine).state is State.STALE


@pytest.mark.parametrize(("resend_at", "resolved_at"), [(None, 300.0), (200.0, 500.0)])
def test_the_hold_time_ends_the_state_counted_from_the_last_trap(
    tmp_path: Path, resend_at: float | None, resolved_at: float
) -> None:
    engine = engine_with(tmp_path, 'hold = "5m"')
    engine.evaluate([trap(T0, 1.0)], T0)
    for offset in range(10, 600, 10):
        results = [trap(T0 + offset, 1.0)] if offset == resend_at else []
        out = engine.evaluate(results, T0 + offset)
        if offset < resolved_at:
            assert the_check(engine).phase is AlertPhase.FIRING, offset
        elif offset == resolved_at:
            (transition,) = out.transitions
            assert transition.after is AlertPhase.RESOLVED
            assert transition.reason == "no trap for 5m: hold ended"
    assert the_check(engine).phase is AlertPhase.RESOLVED
