"""What a source says about an alert beside its labels (an Alertmanager alert's `summary` and `description`)
rides on the check, and never changes which alert it is: a Prometheus rule's templated text changes at every
evaluation, and an alert whose words changed is the same alert, neither a new one nor a flapping one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import SOURCE_ALERT_METRIC, Labels, PollResult, Sample
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "annotations"
[defaults]
interval = "10s"
[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "http://127.0.0.1:9093"
[[rule]]
id = "disk-filling"
metric = "alertmanager.alert"
labels = { alertname = "DiskFilling" }
warning = ">= 1"
critical = ">= 2"
"""
LABELS = (("alertname", "DiskFilling"), ("instance", "db1"))


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def listed(engine: Engine, at: float, value: float, annotations: Labels) -> list[object]:
    sample = Sample("firm-am", SOURCE_ALERT_METRIC, value, at, LABELS, annotations=annotations)
    return list(engine.evaluate([PollResult("firm-am", at, (sample,))], at).transitions)


def test_the_check_carries_the_latest_words_under_one_fingerprint(engine: Engine) -> None:
    assert len(listed(engine, 1000.0, 1.0, (("summary", "Disk /var on db1 will fill in 4h"),))) == 1
    [check] = [check for check in engine.checks.values() if check.rule == "disk-filling"]
    for minute in range(1, 11):
        words = (("description", f"{minute} GiB an hour"), ("summary", f"will fill in {4 * 60 - minute}m"))
        assert listed(engine, 1000.0 + 60 * minute, 1.0, words) == []
    [same] = [check for check in engine.checks.values() if check.rule == "disk-filling"]
    assert same.fingerprint == check.fingerprint
    assert same.phase is AlertPhase.FIRING
    assert not same.flapping
    assert same.annotations == (("description", "10 GiB an hour"), ("summary", "will fill in 230m"))


def test_the_words_stay_with_the_alert_when_it_resolves(engine: Engine) -> None:
    words = (("summary", "Disk /var on db1 will fill in 4h"),)
    listed(engine, 1000.0, 1.0, words)
    assert len(listed(engine, 1010.0, 0.0, words)) == 1
    [check] = [check for check in engine.checks.values() if check.rule == "disk-filling"]
    assert check.phase is AlertPhase.RESOLVED
    assert check.annotations == words


def test_a_check_saved_before_annotations_existed_restores_with_none(engine: Engine) -> None:
    listed(engine, 1000.0, 1.0, (("summary", "x"),))
    upserts, _ = engine.export_changes()
    key = next(key for key in upserts if not key.startswith("target:"))
    old_text = upserts[key].replace(',"annotations":[["summary","x"]]', "")
    assert "annotations" not in old_text
    restarted = Engine(engine.config)
    restarted.restore({key: old_text})
    assert restarted.checks[key].annotations == ()
    assert restarted.checks[key].phase is AlertPhase.FIRING
