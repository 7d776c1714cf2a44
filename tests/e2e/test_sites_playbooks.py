"""Issue 17, "working an incident" item 1: the console on two real serves (tmux, 120x40) draws beside each site's
alert that site's own playbook, though both rooms and the seat keep a playbook under the same id.

Two `serve` processes, each with its own room and its own `host-load` playbook text; the seat's own room has a
third text under that id, which must never be drawn. Showing each site alone (`]`), the pane names the site and
shows that site's step text, and never the other site's nor the seat's; a step ticked there is recorded by
that site on its run (the screen shows it done only then).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux import Tmux

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))  # the served rooms

from test_sites_cli import CALENDAR, ROOM
from waiting import wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=60),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
STEP_TEXT = {
    "main": "MAIN ROOM ONLY: call desk 8001.",
    "backup": "BACKUP ROOM ONLY: call desk 9002.",
    "seat": "SEAT COPY: never drawn.",
}
PLAYBOOK = """\
+++
id = "host-load"
lang = "en"
title = "Host load seen"
severity = "warning"
kind = "incident"
applies_to = {{ rules = ["load-seen"] }}
+++

# Host load seen

## Steps

1. {step}
2. Close the run when the load is understood.
"""


def write_room(top: Path, name: str) -> Path:
    """A room with its own `host-load` playbook and a load-seen rule naming it; its config's path."""
    room = top / name
    (room / "playbooks" / "en").mkdir(parents=True)
    (room / "playbooks" / "en" / "host-load.md").write_text(PLAYBOOK.format(step=STEP_TEXT[name]), encoding="utf-8")
    config = room / "checks.toml"
    config.write_text(ROOM.format(name=name, calendar=CALENDAR) + 'playbook = "host-load"\n', encoding="utf-8")
    return config


class ServedRoom:
    """One room served by a real `dutyroom serve` on its own state directory."""

    def __init__(self, top: Path, name: str) -> None:
        self.config = write_room(top, name)
        self.socket = self.config.parent / "state" / "api.sock"
        argv = [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(self.config)]
        argv += ["--state", str(self.socket.parent)]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def two_rooms(tmp_path: Path) -> Iterator[tuple[ServedRoom, ServedRoom]]:
    rooms = (ServedRoom(tmp_path, "main"), ServedRoom(tmp_path, "backup"))
    try:
        wait_for(lambda: all(room.socket.is_socket() for room in rooms), "both services' sockets")
        yield rooms
    finally:
        for room in rooms:
            room.stop()


def console_command(seat: Path, *sites: str) -> str:
    """The console in tmux, from this checkout, on the seat's own room (whose playbook must not be drawn)."""
    argv = ["env", "-i", f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}", f"HOME={os.environ.get('HOME', '/')}"]
    argv += ["LANG=C.UTF-8", "TERM=xterm-256color", f"PYTHONPATH={ROOT}"]
    argv += [sys.executable, "-m", "tui.cli.main", "--no-bell", "--lang", "en", "--config", str(seat)]
    for site in sites:
        argv += ["--site", site]
    return shlex.join(argv)


def test_each_sites_alert_shows_that_sites_own_playbook(
    tmux: Tmux, two_rooms: tuple[ServedRoom, ServedRoom], tmp_path: Path
) -> None:
    main, backup = two_rooms
    seat = write_room(tmp_path, "seat")
    command = console_command(seat, f"MAIN={main.socket}", f"BACKUP={backup.socket}")
    tmux.start("sites", f"cd {shlex.quote(str(tmp_path))} && {command}", 120, 40)
    tmux.run("set-option", "-t", "sites", "remain-on-exit", "on")  # a console that dies leaves its last screen
    tmux.wait_for("sites", lambda s: "console-main" in s and "console-backup" in s, "both sites' alerts", 60)
    for site, name in (("MAIN", "main"), ("BACKUP", "backup")):
        tmux.keys("sites", "]")  # this site alone: its alert is the selected one
        shown = f"{site}: Host load seen"
        tmux.wait_for("sites", lambda s, shown=shown: shown in s, f"{site}'s playbook named in the pane", 30)
        tmux.wait_for("sites", lambda s, name=name: STEP_TEXT[name] in s, f"{site}'s own step text", 30)
        screen = tmux.screen("sites")
        assert shown in screen
        assert STEP_TEXT["seat"] not in screen, "the seat's copy is never drawn"
        other = "backup" if name == "main" else "main"
        assert STEP_TEXT[other] not in screen, "nor the other site's"
    tmux.keys("sites", "Space")  # tick BACKUP's step 1: shown done only once BACKUP recorded it on its run
    ticked = f"[x]  1. {STEP_TEXT['backup']}"
    tmux.wait_for("sites", lambda s: ticked in s, "the tick recorded by BACKUP on its run", 30)
