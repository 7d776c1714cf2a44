"""Every drill raises the alerts its playbook expects, marked as drill alerts, with its actions marked drill.

Drills that do not disturb each other share one demo run (`--drill A --drill B ...`); core-switch-down takes
the order gateway down with it, so it runs on its own and the gateway drill stays in the shared run. The two
runs are separate rooms (own state directory, own free ports) and play at the same time.
Rules limited to sessions (market-data-stale: pre-open and trading) are checked either way: firing in a
session, "not checked during ..." outside one.
"""

from __future__ import annotations

import functools
import time

import pytest
from demo_harness import DemoRun, launch_demo, phase_kind, watch_all_until

from dutyroom.store.database import Store
from dutyroom.views.snapshot import read_engine_state
from tui.demo.drills import DRILLS

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=40)]

ALONE = ("core-switch-down",)
BATCHES = {"shared": tuple(name for name in DRILLS if name not in ALONE), "alone": ALONE}
FIRE_WITHIN_S = 60.0
"""Bound on the wait for every drill alert (drills start 6 s in; reachability needs 3 polls of 4 s)."""
SESSION_RULES = {"market-data-stale": {"pre-open", "trading"}}


def _not_checked(run: DemoRun, rule: str, target: str) -> bool:
    """Whether the engine holds a check of `rule` on `target` that was skipped for the session phase."""
    with Store.open(run.state) as store:
        checks = read_engine_state(store).checks.values()
    return any(c.reason.startswith("not checked during") for c in checks if (c.rule, c.target) == (rule, target))


def _settled(run: DemoRun, names: tuple[str, ...]) -> bool:
    """Every drill alert fired; a session-limited rule outside its sessions was seen skipped instead."""
    assert run.config is not None
    kind = phase_kind(run.config, time.time())
    for name in names:
        for rule, target in DRILLS[name].alerts:
            outside = rule in SESSION_RULES and kind not in SESSION_RULES[rule]
            if not (run.fired(rule, target) or (outside and _not_checked(run, rule, target))):
                return False
    return True


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DemoRun]:
    """Both batches at once (two demos on their own free ports and state), each watched until it settled."""
    runs: dict[str, DemoRun] = {}
    try:
        for batch, names in BATCHES.items():
            state = tmp_path_factory.mktemp(f"demo-drills-{batch}") / "state"
            arguments = [argument for name in names for argument in ("--drill", name)]
            runs[batch] = launch_demo(state, *arguments, "--seconds", str(FIRE_WITHIN_S + 30))
        for run in runs.values():
            run.wait_started()
        watches = [(run, functools.partial(_settled, names=BATCHES[batch])) for batch, run in runs.items()]
        watch_all_until(watches, FIRE_WITHIN_S)
    finally:
        statuses = {batch: run.stop() for batch, run in runs.items()}
    for batch, status in statuses.items():
        assert status == 0, runs[batch].output()
    return runs


def _batch_of(name: str) -> str:
    return next(batch for batch, names in BATCHES.items() if name in names)


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_drill_raises_the_alerts_of_its_playbook(batches: dict[str, DemoRun], name: str) -> None:
    run = batches[_batch_of(name)]
    assert run.config is not None
    rules = {rule.id: rule.spec for rule in run.config.rules}
    for rule, target in DRILLS[name].alerts:
        views = run.fired(rule, target)
        if rule in SESSION_RULES and not views:
            assert _not_checked(run, rule, target), f"drill {name}: {rule}@{target} neither fired nor was skipped"
            continue
        assert views, f"drill {name}: {rule}@{target} never fired\n{run.output()}"
        assert all(view.drill for view in views), f"drill {name}: {rule}@{target} not marked as a drill alert"
        assert all(view.playbook == rules[rule].playbook for view in views)


@pytest.mark.parametrize("name", sorted(DRILLS))
def test_drill_is_recorded_as_a_drill_action(batches: dict[str, DemoRun], name: str) -> None:
    actions = [action for action in batches[_batch_of(name)].actions() if action.kind == "drill"]
    started = [action for action in actions if action.payload.get("drill") == name]
    assert [action.payload.get("event") for action in started][:1] == ["started"]
    assert all(action.drill for action in started)


def test_playbook_runs_started_by_drills_are_drill_runs(batches: dict[str, DemoRun]) -> None:
    for run in batches.values():
        starts = [action for action in run.actions() if action.kind in ("run-start", "run-join")]
        assert starts, "no playbook run was started"
        assert all(action.drill for action in starts)


def test_only_drill_alerts_fire_during_drills(batches: dict[str, DemoRun]) -> None:
    for run in batches.values():
        firing = [view for views in run.seen.values() for view in views if view.phase.value == "firing"]
        assert firing
        assert all(view.drill for view in firing)


def test_the_gateway_goes_dark_with_its_switch(batches: dict[str, DemoRun]) -> None:
    """Once the switch counts as down, the gateway behind it is suppressed by it (the gateway may reach its
    `attempts` a poll before the switch does, and is unsuppressed until then)."""
    views = batches["alone"].fired("gateway-down", "oms-gw1")
    assert views
    assert views[-1].suppressed_by == "core-sw1"
