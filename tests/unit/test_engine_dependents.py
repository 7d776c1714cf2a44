"""A child's alert and its parent: held while the parent is being checked, then fired once, suppressed when the
parent is down (no notification), or as its own headline when the parent answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample, State, Transition
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "dependents"
[defaults]
interval = "10s"
attempts = 3
[[target]]
id = "sw"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[target]]
id = "gw"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:10"
depends_on = ["sw"]
[[rule]]
id = "unreachable"
kind = "reachability"
[[rule]]
id = "gw-queue"
metric = "queue"
targets = ["gw"]
critical = "> 100"
"""
T0 = 1_800_000_000.0


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def switch(at: float, *, ok: bool) -> PollResult:
    return PollResult("sw", at) if ok else PollResult("sw", at, failure=State.UNREACHABLE, reason="timeout")


def queue(at: float, depth: float) -> PollResult:
    return PollResult("gw", at, (Sample("gw", "queue", depth, at),))


def child(transitions: list[Transition]) -> list[tuple[AlertPhase, AlertPhase, bool, str]]:
    return [(t.before, t.after, t.notify, t.suppressed_by) for t in transitions if t.rule == "gw-queue"]


def test_held_while_the_parent_is_checked_then_one_notifying_firing_when_it_answers(engine: Engine) -> None:
    engine.evaluate([switch(T0, ok=True), queue(T0, 5)], T0)
    held = engine.evaluate([switch(T0 + 10, ok=False), queue(T0 + 10, 500)], T0 + 10)
    assert child(held.transitions) == [(AlertPhase.INACTIVE, AlertPhase.PENDING, False, "")]
    (check,) = [item for item in engine.checks.values() if item.rule == "gw-queue"]
    assert check.checking_parent == "sw"
    assert child(engine.evaluate([switch(T0 + 20, ok=False), queue(T0 + 20, 500)], T0 + 20).transitions) == []
    released = engine.evaluate([switch(T0 + 30, ok=True)], T0 + 30)  # the child has no new sample this batch
    assert child(released.transitions) == [(AlertPhase.PENDING, AlertPhase.FIRING, True, "")]
    assert check.checking_parent == ""


def test_a_child_firing_in_the_batch_its_parent_goes_down_is_suppressed_and_silent(engine: Engine) -> None:
    for offset in (0, 10):
        engine.evaluate([switch(T0 + offset, ok=offset == 0), queue(T0 + offset, 5)], T0 + offset)
    engine.evaluate([switch(T0 + 20, ok=False)], T0 + 20)
    out = engine.evaluate([queue(T0 + 30, 500), switch(T0 + 30, ok=False)], T0 + 30)  # child's result first
    assert child(out.transitions) == [(AlertPhase.INACTIVE, AlertPhase.FIRING, False, "sw")]


def test_a_parent_no_longer_polled_holds_nobody(engine: Engine) -> None:
    engine.evaluate([switch(T0, ok=False)], T0)
    at = T0 + 5
    while at <= T0 + 35:  # the switch's one failure is still fresh: the child waits
        engine.evaluate([queue(at, 500)], at)
        at += 5
    (check,) = [item for item in engine.checks.values() if item.rule == "gw-queue"]
    assert check.phase is AlertPhase.PENDING
    out = engine.evaluate([queue(T0 + 40, 500)], T0 + 40)  # 40 s without a result from it: not being checked
    assert child(out.transitions) == [(AlertPhase.PENDING, AlertPhase.FIRING, True, "")]
