"""Staleness alone never starts a playbook run: a series going quiet is a warning to look, not an emergency
(before, every restart started the fire-alarm run, regulator deadlines and all). A real firing still does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.service.poller import Poller
from dutyroom.model import PollResult, Sample, State
from dutyroom.room import load_room
from dutyroom.store.database import Store

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
CONFIG = """
[site]
name = "runs"
[defaults]
interval = "10s"
[[target]]
id = "ups-a"
group = "power"
kind = "host"
[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
playbook = "mains-failure"
[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
warning = "< 20"
playbook = "mains-failure"
[[rule]]
id = "ups-output-off"
metric = "ups.output_source"
critical = "== none"
playbook = "mains-failure"
"""
T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def poller(tmp_path: Path) -> Iterator[tuple[Poller, Clock]]:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    for language in ("en", "zh"):
        (tmp_path / "playbooks" / language).mkdir(parents=True)
        shutil.copy(PLAYBOOKS / language / "mains-failure.md", tmp_path / "playbooks" / language)
    clock = Clock()
    with Store.open(tmp_path / "state") as store:
        yield Poller(load_room(config), store, clock=clock, watch_files=False), clock


def step(poller: Poller, clock: Clock, at: float, on_battery: float | None = None) -> None:
    clock.now = at
    if on_battery is not None:
        poller.intake(PollResult("ups-a", at, (Sample("ups-a", "ups.on_battery", on_battery, at),)))
    poller.step()


def test_a_stale_alert_fires_without_starting_a_run(poller: tuple[Poller, Clock]) -> None:
    engine_poller, clock = poller
    step(engine_poller, clock, T0, on_battery=0.0)
    for offset in range(5, 60, 5):
        step(engine_poller, clock, T0 + offset)
    (check,) = engine_poller.engine.checks.values()
    assert (check.firing, check.state) == (True, State.STALE)
    assert engine_poller.runs.open_runs() == ()


def test_a_real_firing_still_starts_its_run(poller: tuple[Poller, Clock]) -> None:
    engine_poller, clock = poller
    step(engine_poller, clock, T0, on_battery=1.0)
    (run,) = engine_poller.runs.open_runs()
    assert run.playbook_id == "mains-failure"
