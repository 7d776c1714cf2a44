"""After a gap in the watch longer than the staleness limit (a restart, a SIGKILL, a clock jump forward), data
from before the gap fires nothing: silence counts from the gap's end, and fresh polls decide (RELIABILITY R18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample, State
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "gap"
[defaults]
interval = "10s"
[[target]]
id = "t"
group = "g"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "up"
metric = "tcp.up"
critical = "== 0"
[[rule]]
id = "slow"
metric = "tcp.connect_ms"
warning = "> 100"
for = "30s"
"""
T0 = 1_800_000_000.0
STALE_AFTER = 35.0  # 2 x 10 s + 15 s


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def poll(at: float, up: float = 1.0, connect_ms: float = 5.0) -> PollResult:
    return PollResult("t", at, (Sample("t", "tcp.up", up, at), Sample("t", "tcp.connect_ms", connect_ms, at)))


def watch(engine: Engine, start: float, until: float, **values: float) -> None:
    """Poll every 10 s and evaluate every 5 s, as the poller does (more often, but the same idea)."""
    at = start
    while at <= until:
        engine.evaluate([poll(at, **values)] if (at - start) % 10 == 0 else [], at)
        at += 5


def restarted(engine: Engine) -> Engine:
    fresh = Engine(engine.config)
    fresh.restore(engine.export_all())
    return fresh


def active(engine: Engine) -> list[tuple[str, AlertPhase, State]]:
    return sorted((check.rule, check.phase, check.state) for check in engine.checks.values() if check.active)


def test_a_restart_after_a_long_gap_fires_nothing_from_old_data(engine: Engine) -> None:
    watch(engine, T0, T0 + 60)
    after = restarted(engine)
    out = after.evaluate([], T0 + 600)  # the first step of the restarted poller, before any poll
    assert out.transitions == []
    assert [event.kind for event in out.events] == ["watch-resumed"]
    watch(after, T0 + 605, T0 + 700)
    assert active(after) == []


def test_a_series_silent_after_the_gap_goes_stale_a_staleness_limit_later(engine: Engine) -> None:
    watch(engine, T0, T0 + 60)
    after = restarted(engine)
    after.evaluate([], T0 + 600)
    after.evaluate([], T0 + 600 + STALE_AFTER)
    assert active(after) == []
    after.evaluate([], T0 + 600 + STALE_AFTER + 5)
    assert active(after) == [("slow", AlertPhase.PENDING, State.STALE), ("up", AlertPhase.FIRING, State.STALE)]


def test_a_real_change_during_the_gap_fires_from_the_first_poll_after_it(engine: Engine) -> None:
    watch(engine, T0, T0 + 60)
    after = restarted(engine)
    after.evaluate([], T0 + 600)
    out = after.evaluate([poll(T0 + 603, up=0.0)], T0 + 603)
    assert [(item.rule, item.after, item.notify) for item in out.transitions] == [("up", AlertPhase.FIRING, True)]


def test_a_clock_jump_forward_is_a_gap_too(engine: Engine) -> None:
    watch(engine, T0, T0 + 60)
    out = engine.evaluate([], T0 + 3660)  # the same process, its wall clock one hour on
    assert out.transitions == []
    watch(engine, T0 + 3665, T0 + 3700)
    assert active(engine) == []


def test_a_short_restart_changes_nothing(engine: Engine) -> None:
    watch(engine, T0, T0 + 60)
    after = restarted(engine)
    after.evaluate([], T0 + 80)  # 20 s after the last poll: no gap
    after.evaluate([], T0 + 60 + STALE_AFTER + 5)
    assert ("up", AlertPhase.FIRING, State.STALE) in active(after)


def test_pending_from_before_the_gap_fires_only_when_fresh_data_confirms_it(engine: Engine) -> None:
    watch(engine, T0, T0 + 20, connect_ms=500.0)
    after = restarted(engine)
    assert active(after) == [("slow", AlertPhase.PENDING, State.WARNING)]
    after.evaluate([], T0 + 600)
    assert active(after) == [("slow", AlertPhase.PENDING, State.WARNING)]
    after.evaluate([poll(T0 + 605, connect_ms=500.0)], T0 + 605)
    assert active(after) == [("slow", AlertPhase.FIRING, State.WARNING)]
