"""`[[duty]]` problems are reported as file:line:col, every one at once; the shipped duties load."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from dutyroom.room import check_room

BASE = """\
[site]
name = "room"

[groups.power]
label = "Power"

[[target]]
id = "ups-a"
group = "power"
kind = "tcp"
address = "tcp://127.0.0.1:9"

[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(BASE + text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]


def test_bad_times_unknown_references_and_half_conditions_are_each_placed(tmp_path: Path) -> None:
    text = """
[[duty]]
id = "pre-open"
playbook = "pre-open-check"
start = "8:15"
due = "09:00"

[[duty.check]]
step = 1
rules = ["no-such-rule"]
groups = ["nowhere"]

[[duty.check]]
step = 1
metric = "ups.runtime_min"

[[duty]]
id = "pre-open"
playbook = "pre-open-check"
start = "09:00"
due = "08:00"
days = "someday"
"""
    problems = problems_of(tmp_path, text)
    assert problems == [
        "21:9: bad time '8:15' (use HH:MM, local time)",
        "26:1: duty 'pre-open' step 1: unknown rule 'no-such-rule'",
        "27:1: duty 'pre-open' step 1: unknown group 'nowhere'",
        "30:1: duty 'pre-open': step 1 is verified twice",
        "31:1: duty 'pre-open' step 1: 'metric' and 'condition' go together",
        "34:1: duplicate duty id 'pre-open' (first defined at line 19)",
        "37:7: duty 'pre-open': due 08:00 must be after start 09:00",
        "38:8: Invalid enum value 'someday' for 'duty.days'",
    ]


def test_a_duty_whose_playbook_is_missing_or_not_a_checklist_fails_the_room(tmp_path: Path) -> None:
    (tmp_path / "playbooks").symlink_to(Path(__file__).resolve().parents[2] / "playbooks")
    text = """
[[duty]]
id = "pre-open"
playbook = "no-such-checklist"
start = "08:15"
due = "09:00"

[[duty]]
id = "battery"
playbook = "mains-failure"
start = "08:15"
due = "09:00"
"""
    (tmp_path / "checks.toml").write_text(BASE + text)
    room, problems = check_room(tmp_path / "checks.toml")
    messages = [f"{problem.line}:{problem.col}: {problem.message}" for problem in problems]
    assert "20:12: duty 'pre-open': no playbook 'no-such-checklist'" in messages
    assert "26:12: duty 'battery': playbook 'mains-failure' is not a checklist (kind = \"checklist\")" in messages
    assert room is None
