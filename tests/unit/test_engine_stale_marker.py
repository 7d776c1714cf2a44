"""A staleness marker ends a series at once, as Prometheus's stale NaN does (promtool's `stale`).

Without a marker a series goes STALE only once its last value is older than the staleness limit
(2 x interval + 15 s); with one, from the marker's time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample, State
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "marker"
[defaults]
interval = "10s"
[[target]]
id = "t"
group = "g"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "r"
metric = "m"
critical = "> 10"
[[rule]]
id = "down"
kind = "reachability"
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def feed(engine: Engine, at: float, value: float) -> None:
    engine.evaluate([PollResult("t", at, (Sample("t", "m", value, at),))], at)


def check_of(engine: Engine, rule: str) -> Check:
    return next(check for check in engine.checks.values() if check.rule == rule)


def test_a_marker_makes_the_series_stale_at_its_own_time(engine: Engine) -> None:
    feed(engine, 1000.0, 50)
    evaluation = engine.mark_series_stale("t", "m", (), 1010.0)
    check = check_of(engine, "r")
    assert check.state is State.STALE
    assert check.reason == "the series ended (staleness marker)"
    assert check.value_at == 1000.0  # the last value keeps its age
    assert check.phase is AlertPhase.FIRING
    (transition,) = evaluation.transitions  # still firing, now as a stale warning: told, but nobody woken
    assert (transition.at, transition.state, transition.severity, transition.notify) == (
        1010.0,
        State.STALE,
        "warning",
        False,
    )


def test_a_marker_for_a_series_never_seen_changes_nothing(engine: Engine) -> None:
    feed(engine, 1000.0, 5)
    before = {key: (check.state, check.phase) for key, check in engine.checks.items()}
    engine.mark_series_stale("t", "other-metric", (), 1010.0)
    engine.mark_series_stale("t", "m", (("if", "eth0"),), 1010.0)
    assert {key: (check.state, check.phase) for key, check in engine.checks.items()} == before


def test_an_ok_series_that_ends_goes_pending_stale_and_fresh_data_clears_it(engine: Engine) -> None:
    feed(engine, 1000.0, 5)
    evaluation = engine.mark_series_stale("t", "m", (), 1010.0)
    (transition,) = evaluation.transitions
    assert (transition.before, transition.after, transition.state) == (
        AlertPhase.INACTIVE,
        AlertPhase.FIRING,
        State.STALE,
    )
    feed(engine, 1020.0, 5)
    assert check_of(engine, "r").state is State.OK


def test_a_series_of_a_hard_down_target_is_explained_by_its_reachability_alert(engine: Engine) -> None:
    feed(engine, 1000.0, 5)
    for at in (1010.0, 1020.0, 1030.0):
        engine.evaluate([PollResult("t", at, failure=State.UNREACHABLE, reason="timeout")], at)
    engine.mark_series_stale("t", "m", (), 1035.0)
    assert check_of(engine, "r").state is State.OK
