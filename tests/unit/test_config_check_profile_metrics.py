"""A rule for a metric some profile gives waits for such a device, even when a room's device gives a name close
to it: `ups.battery_module_fault` (APC Symmetra) beside an Eaton's `ups.battery_fault` is no typo.

The shipped checks.toml is a library of rules for many kinds of device; a room that pastes in one device must
still pass `check`. A name that no profile gives and that is close to a given one stays refused as a typo.
"""

from __future__ import annotations

from pathlib import Path

from collectors.config_check import assess_collectors
from dutyroom.config.load import load_config

ROOM = """\
[site]
name = "room"

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16101"
profile = "eaton-mge"

[[target]]
id = "core-sw"
group = "links"
kind = "snmp"
address = "udp://127.0.0.1:16102"
profile = "cisco-envmon"

[[rule]]
id = "under-test"
metric = "{metric}"
warning = "== 1"
"""


def assess(tmp_path: Path, metric: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(metric=metric), encoding="utf-8")
    assessed = assess_collectors(load_config(path, environ={}))
    return [problem.message for problem in assessed.problems], assessed.waiting_rules


def test_a_metric_another_profile_gives_waits_beside_a_close_name(tmp_path: Path) -> None:
    assert assess(tmp_path, "ups.battery_module_fault") == ([], ["under-test"])  # eaton-mge: ups.battery_fault
    assert assess(tmp_path, "sensor.temperature_headroom_c") == ([], ["under-test"])  # cisco: sensor.temperature_c


def test_a_close_name_no_profile_gives_is_still_a_typo(tmp_path: Path) -> None:
    found, waiting = assess(tmp_path, "ups.battery_faults")
    assert found == [
        "rule 'under-test' reads 'ups.battery_faults', which no target gives (did you mean 'ups.battery_fault'?)"
    ]
    assert waiting == []
