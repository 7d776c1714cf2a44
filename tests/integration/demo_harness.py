"""Run `dutyroom demo --headless` in a subprocess and watch its state directory while it runs.

The demo is the real thing (snmpsim, relays, HTTP and TCP simulators, traps, the real Poller); the test
reads the state it writes the way `dutyroom alerts` does, mid-run, and stops it with SIGTERM when it has
seen enough. Every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import Transition
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction
from dutyroom.views.alerts import AlertView
from dutyroom.views.snapshot import read_alerts

PROJECT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0
"""snmpsim, relays and servers up and the effective config written (generous: a loaded 2-core machine)."""
STOP_TIMEOUT_S = 30.0


def dutyroom_command() -> list[str]:
    return [sys.executable, "-m", "tui.cli.main"]


def demo_command() -> list[str]:
    """`dutyroom demo`, or the same command from its own module while tui/cli/main.py does not register it."""
    from tui.cli.main import build_parser

    commands = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    registered = any("demo" in action.choices for action in commands)
    return [*dutyroom_command(), "demo"] if registered else [sys.executable, "-m", "tui.cli.demo"]


@dataclass
class DemoRun:
    process: subprocess.Popen[bytes]
    state: Path
    log: Path
    config: LoadedConfig | None = None
    seen: dict[tuple[str, str], list[AlertView]] = field(default_factory=dict)
    """Every view of every alert observed while the demo ran, by (rule, target)."""

    @property
    def config_path(self) -> Path:
        return self.state / "checks.toml"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_started(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"demo exited with {self.process.returncode}:\n{self.output()}")
            if "room config written to" in self.output():
                self.config = load_config(self.config_path)
                return
            time.sleep(0.2)
        raise AssertionError(f"demo did not start within {START_TIMEOUT_S:g} s:\n{self.output()}")

    def observe(self) -> list[AlertView]:
        """The active alerts now (as `dutyroom alerts` would list them); remembered in `seen`."""
        assert self.config is not None
        with Store.open(self.state) as store:
            alerts = read_alerts(store, self.config, time.time())
        for alert in alerts:
            self.seen.setdefault((alert.rule, alert.target), []).append(alert)
        return alerts

    def watch_until(self, done: Callable[[DemoRun], bool], timeout_s: float, every_s: float = 1.0) -> bool:
        """Observe every `every_s` until `done(self)`, the demo exits, or `timeout_s` passes."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            self.observe()
            if done(self):
                return True
            time.sleep(every_s)
        self.observe()
        return done(self)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.wait()

    def wait(self, timeout_s: float = STOP_TIMEOUT_S) -> int:
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise AssertionError(f"demo did not stop within {timeout_s:g} s:\n{self.output()}") from None

    def fired(self, rule: str, target: str) -> list[AlertView]:
        return [view for view in self.seen.get((rule, target), []) if view.phase.value == "firing"]

    def transitions(self) -> list[Transition]:
        with Store.open(self.state) as store:
            return store.transitions_between(0.0, time.time() + 60)

    def actions(self) -> list[StoredAction]:
        with Store.open(self.state) as store:
            return store.actions_after(0, limit=10_000)


def launch_demo(state: Path, *arguments: str) -> DemoRun:
    """Start `dutyroom demo --headless` on `state` without waiting for it (see `DemoRun.wait_started`)."""
    log = state.parent / f"{state.name}.log"
    command = [*demo_command(), "--headless", "--state", str(state), "--config", str(PROJECT / "checks.toml")]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, *arguments], stdout=sink, stderr=subprocess.STDOUT, cwd=PROJECT, env=dict(os.environ)
        )
    return DemoRun(process, state, log)


def start_demo(state: Path, *arguments: str) -> DemoRun:
    """A demo that has started: its simulators answer and its effective config is written."""
    run = launch_demo(state, *arguments)
    try:
        run.wait_started()
    except BaseException:
        run.stop()
        raise
    return run


def watch_all_until(watches: Sequence[tuple[DemoRun, Callable[[DemoRun], bool]]], timeout_s: float) -> None:
    """Observe several runs side by side, each until its `done` holds or it exits, or until `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    waiting = list(watches)
    while waiting:
        for watch in list(waiting):
            run, done = watch
            if run.process.poll() is not None:
                waiting.remove(watch)  # it stopped by itself: the caller's exit status check says why
                continue
            run.observe()
            if done(run):
                waiting.remove(watch)
        if time.monotonic() >= deadline:
            return
        time.sleep(1.0)


def alerts_json(state: Path) -> list[dict[str, object]]:
    """`dutyroom alerts --json` on the demo's state and effective config (exit 2 once the demo's poller stopped)."""
    command = [*dutyroom_command(), "alerts", "--json", "--state", str(state), "--config", str(state / "checks.toml")]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False, cwd=PROJECT)
    assert done.returncode in (0, 2), done.stderr.decode(errors="replace")
    alerts: list[dict[str, object]] = json.loads(done.stdout)["alerts"]
    return alerts


def phase_kind(config: LoadedConfig, at: float) -> str:
    """The session phase kind (trading, pre-open, break, off-hours) at epoch time `at`."""
    assert config.calendar is not None
    return config.calendar.phase_at(datetime.fromtimestamp(at, config.timezone)).kind
