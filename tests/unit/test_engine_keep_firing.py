"""`keep_firing_for` counts from the first false evaluation, as Prometheus does (rules/alerting.go,
`AlertingRule.Eval`: `KeepFiringSince = ts` at the first evaluation without the alert, firing kept while
`ts - KeepFiringSince < keepFiringFor`), so a hold of one interval or less still has an effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "keep"
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
keep_firing_for = "{keep}"
"""


def engine_keeping(tmp_path: Path, keep: str) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.format(keep=keep))
    return Engine(load_config(path))


def feed(engine: Engine, at: float, value: float) -> AlertPhase:
    engine.evaluate([PollResult("t", at, (Sample("t", "m", value, at),))], at)
    (check,) = engine.checks.values()
    return check.phase


@pytest.mark.parametrize("keep", ["10s", "5s"])
def test_a_hold_no_longer_than_the_interval_keeps_the_alert_for_one_more_poll(tmp_path: Path, keep: str) -> None:
    engine = engine_keeping(tmp_path, keep)
    assert feed(engine, 1000.0, 50) is AlertPhase.FIRING
    assert feed(engine, 1010.0, 1) is AlertPhase.FIRING  # the first false evaluation starts the count
    assert feed(engine, 1020.0, 1) is AlertPhase.RESOLVED


def test_a_true_evaluation_while_kept_firing_starts_the_count_again(tmp_path: Path) -> None:
    engine = engine_keeping(tmp_path, "30s")
    feed(engine, 1000.0, 50)
    assert feed(engine, 1010.0, 1) is AlertPhase.FIRING
    assert feed(engine, 1030.0, 50) is AlertPhase.FIRING
    assert feed(engine, 1040.0, 1) is AlertPhase.FIRING
    assert feed(engine, 1060.0, 1) is AlertPhase.FIRING  # 20 s since 1040, not 50 s since 1010
    assert feed(engine, 1070.0, 1) is AlertPhase.RESOLVED
