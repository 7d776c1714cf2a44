"""`dutyroom demo` with its console, in a real terminal (tmux, 120x40): the room appears, then the run ends cleanly.

Bounded: the demo stops itself after --seconds; every wait on the pane has a deadline.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import pytest
from tmux import Tmux

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=30),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
RUN_SECONDS = 25
WAIT_S = 60.0


def _demo_command(state: Path) -> str:
    from tui.cli.main import build_parser

    commands = [action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)]
    registered = any("demo" in action.choices for action in commands)
    demo = [sys.executable, "-m", "tui.cli.main", "demo"] if registered else [sys.executable, "-m", "tui.cli.demo"]
    words = [*demo, "--state", str(state), "--seconds", str(RUN_SECONDS), "--clock-speed", "6"]
    return " ".join(f"'{word}'" for word in words)


def _wait_for(tmux: Tmux, session: str, text: str) -> str:
    deadline = time.monotonic() + WAIT_S
    pane = ""
    while time.monotonic() < deadline:
        pane = tmux.screen(session)
        if text in pane:
            return pane
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not appear within {WAIT_S:g} s:\n{pane}")


def test_demo_console_shows_the_room_and_ends_cleanly(tmp_path: Path, tmux: Tmux) -> None:
    session = "demo"
    shell = f"cd '{PROJECT}' && TERM=xterm-256color {_demo_command(tmp_path / 'state')}; echo DEMO-EXIT=$?; sleep 60"
    tmux.start(session, shell, columns=120, rows=40)
    room = _wait_for(tmux, session, "SZ core machine room (demo)")
    assert "Alerts" in room
    _wait_for(tmux, session, "UPS A (A feed")
    finished = _wait_for(tmux, session, "DEMO-EXIT=")
    assert "DEMO-EXIT=0" in finished
    assert "the run's state stays in" in finished
