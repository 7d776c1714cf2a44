"""`for` behaves as Prometheus's does, with explicit timestamps (the engine never reads the clock).

Prometheus (rules/alerting.go): an alert is pending at the first evaluation where the condition is true,
firing once `now - active_since >= for`, and a pending alert whose condition turns false is dropped
without ever firing; a firing one is resolved at the first false evaluation (no keep_firing_for).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "for"
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
for = "30s"
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def feed(engine: Engine, at: float, value: float) -> AlertPhase:
    engine.evaluate([PollResult("t", at, (Sample("t", "m", value, at),))], at)
    (check,) = engine.checks.values()
    return check.phase


def test_pending_at_first_true_then_firing_when_for_has_elapsed(engine: Engine) -> None:
    assert feed(engine, 1000.0, 5) is AlertPhase.INACTIVE
    assert feed(engine, 1010.0, 50) is AlertPhase.PENDING
    assert feed(engine, 1039.9, 50) is AlertPhase.PENDING  # 29.9 s < for
    assert feed(engine, 1040.0, 50) is AlertPhase.FIRING  # now - active_since == for
    (check,) = engine.checks.values()
    assert check.active_since == 1010.0
    assert check.fired_at == 1040.0


def test_resolved_on_the_first_false_evaluation(engine: Engine) -> None:
    for at in (1000.0, 1030.0):
        feed(engine, at, 50)
    assert feed(engine, 1040.0, 1) is AlertPhase.RESOLVED


def test_pending_that_turns_false_never_fires(engine: Engine) -> None:
    feed(engine, 1000.0, 50)
    assert feed(engine, 1010.0, 1) is AlertPhase.INACTIVE
    assert feed(engine, 1020.0, 50) is AlertPhase.PENDING
    (check,) = engine.checks.values()
    assert check.active_since == 1020.0  # the clock restarted


def test_transitions_say_what_changed_and_whether_to_notify(engine: Engine) -> None:
    out = engine.evaluate([PollResult("t", 1000.0, (Sample("t", "m", 50.0, 1000.0),))], 1000.0)
    assert [(item.before, item.after, item.notify) for item in out.transitions] == [
        (AlertPhase.INACTIVE, AlertPhase.PENDING, False)
    ]
    out = engine.evaluate([PollResult("t", 1030.0, (Sample("t", "m", 50.0, 1030.0),))], 1030.0)
    assert [(item.before, item.after, item.notify) for item in out.transitions] == [
        (AlertPhase.PENDING, AlertPhase.FIRING, True)
    ]


def test_state_survives_export_and_restore(engine: Engine, tmp_path: Path) -> None:
    feed(engine, 1000.0, 50)
    upserts, deletes = engine.export_changes()
    assert not deletes
    fresh = Engine(engine.config)
    fresh.restore(upserts)
    assert feed(fresh, 1030.0, 50) is AlertPhase.FIRING
