"""The engine's keys in checks.toml: redundancy groups in `depends_on` and trap `hold`, each problem at
file:line:col (the old `depends_on = ["ups-a"]` stays valid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from dutyroom.config.types import parent_groups

BASE = """\
[site]
name = "room"

[defaults]
interval = "10s"
timeout = "2s"

[[target]]
id = "sw-1"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9001"

[[target]]
id = "sw-2"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9002"

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.21"]

[[target]]
id = "gw"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9003"
depends_on = [["sw-1", "sw-2"], "ups-a"]

[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


def load(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(text)
    try:
        load_config(path, environ={})
    except ConfigError as error:
        return [str(problem).replace(str(path), "checks.toml") for problem in error.problems]
    return []


def test_a_redundancy_group_beside_a_plain_parent_is_valid(tmp_path: Path) -> None:
    assert load(tmp_path, BASE) == []
    config = load_config(tmp_path / "checks.toml", environ={})
    gateway = config.target("gw")
    assert gateway is not None
    assert parent_groups(gateway.depends_on) == (("sw-1", "sw-2"), ("ups-a",))


def test_holds_compile_to_seconds(tmp_path: Path) -> None:
    text = BASE.replace('trap_sources = ["127.0.0.21"]', 'trap_sources = ["127.0.0.21"]\nhold = "15m"')
    text += 'hold = "1h"\n'
    assert load(tmp_path, text) == []
    config = load_config(tmp_path / "checks.toml", environ={})
    assert config.timings["ups-a"].trap_hold_s == 900.0
    assert config.timings["sw-1"].trap_hold_s is None
    (rule,) = config.rules
    assert rule.hold_s == 3600.0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ('depends_on = [["sw-1", "sw-2"], "ups-a"]', 'depends_on = [["sw-1", "sw-9"], "ups-a"]'),
            "checks.toml:31:1: target 'gw' depends on unknown target 'sw-9'",
            id="unknown-member-of-a-group",
        ),
        pytest.param(
            ('depends_on = [["sw-1", "sw-2"], "ups-a"]', 'depends_on = [[], "ups-a"]'),
            "checks.toml:31:14: target 'gw': an empty redundancy group",
            id="empty-group",
        ),
        pytest.param(
            ('depends_on = [["sw-1", "sw-2"], "ups-a"]', 'depends_on = [[["sw-1"]]]'),
            "checks.toml:31:14: Expected `str`, got `array` for 'target.depends_on'",
            id="nested-too-deep",
        ),
        pytest.param(
            ('address = "tcp://127.0.0.1:9001"', 'address = "tcp://127.0.0.1:9001"\ndepends_on = [["gw", "sw-2"]]'),
            "checks.toml:13:1: dependency cycle: sw-1 -> gw -> sw-1",
            id="cycle-through-a-group",
        ),
        pytest.param(
            ('trap_sources = ["127.0.0.21"]', 'trap_sources = ["127.0.0.21"]\nhold = "soon"'),
            "checks.toml:25:8: bad duration 'soon' (use e.g. 30s, 5m, 1h30m, 365d)",
            id="bad-target-hold",
        ),
        pytest.param(
            ('address = "tcp://127.0.0.1:9002"', 'address = "tcp://127.0.0.1:9002"\nhold = "5m"'),
            "checks.toml:19:1: 'hold' is not a key of tcp targets (snmp, trap and alertmanager targets have it)",
            id="hold-on-a-target-without-traps",
        ),
        pytest.param(
            ('critical = "== 1"', 'critical = "== 1"\nhold = "0s"'),
            "checks.toml:37:8: a hold must be longer than 0s",
            id="zero-rule-hold",
        ),
    ],
)
def test_each_problem_names_its_place(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in BASE
    assert expected in load(tmp_path, BASE.replace(old, new))
