"""A view names the metric its rule reads and its target's SNMP profile: where the console finds a flag's words."""

from __future__ import annotations

from pathlib import Path

from dutyroom.config.load import load_config
from dutyroom.model import State
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check
from dutyroom.views.alerts import alert_views

CONFIG = """
[site]
name = "room"
timezone = "Asia/Shanghai"
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:1161"
profile = "ups-mib"
[[target]]
id = "sz-line"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
[[rule]]
id = "line-down"
kind = "reachability"
"""


def test_the_view_carries_the_rules_metric_and_the_targets_profile(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    config = load_config(path, require_env=False)
    firing = {"phase": AlertPhase.FIRING, "state": State.CRITICAL, "severity": "critical", "value_at": 100.0}
    checks = [
        Check(fingerprint="f1", rule="ups-on-battery", target="ups-a", value=1.0, **firing),  # type: ignore[arg-type]
        Check(fingerprint="f2", rule="line-down", target="sz-line", **firing),  # type: ignore[arg-type]
    ]
    views = {view.fingerprint: view for view in alert_views(config, checks, OperatorState(), 100.0)}
    assert (views["f1"].metric, views["f1"].profile) == ("ups.on_battery", "ups-mib")
    assert (views["f2"].metric, views["f2"].profile) == ("", "")
