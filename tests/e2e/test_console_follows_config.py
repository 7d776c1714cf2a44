"""Consoles and a broken checks.toml, end to end (issue 13.9): an attached console takes the new configuration
after a good reload, and a console started while checks.toml is broken starts from the poller's published one."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
[site]
name = "{name}"

[defaults]
interval = "1s"

[[target]]
id = "console-host"
group = "servers"
kind = "host"

[[rule]]
id = "disk-used"
metric = "host.disk_used_pct"
warning = ">= 0"
"""


class Room:
    def __init__(self, directory: Path) -> None:
        self.config = directory / "checks.toml"
        self.state = directory / "state"
        (directory / "playbooks").mkdir()
        self.config.write_text(CONFIG.format(name="Room Alpha"))
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "tui.cli.main", "--config", str(self.config), "--state", str(self.state), *args]

    def status(self) -> dict[str, object]:
        result = subprocess.run(self.command("status", "--json"), cwd=ROOT, capture_output=True, text=True, check=False)
        loaded: dict[str, object] = json.loads(result.stdout) if result.returncode in (0, 1, 2) else {}
        return loaded

    def wait_status(self, key: str, predicate: Callable[[str], bool], what: str) -> None:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if predicate(str(self.status().get(key, ""))):
                return
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    room = Room(tmp_path)
    room.process = subprocess.Popen(
        room.command("serve"), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    room.wait_status("poller", lambda value: value == "alive", "the poller")
    yield room
    room.process.send_signal(signal.SIGTERM)
    room.process.wait(timeout=30)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    driver = Tmux()
    yield driver
    driver.close()


def test_an_attached_console_takes_the_new_site_name_after_a_good_reload(room: Room, tmux: Tmux) -> None:
    tmux.start("A", " ".join(room.command()) + " --no-remote")
    tmux.wait_for("A", lambda screen: "Room Alpha" in screen and "attached viewer" in screen, "the first room")
    room.config.write_text(CONFIG.format(name="Room Beta"))
    tmux.wait_for("A", lambda screen: "Room Beta" in screen, "the reloaded site name")


def test_a_console_started_while_checks_toml_is_broken_starts_from_the_published_config(room: Room, tmux: Tmux) -> None:
    room.config.write_text(CONFIG.format(name="Room Alpha") + "\n[[rule]\n")
    room.wait_status("reload", lambda value: value.startswith("reload failed"), "the failed reload")
    tmux.start("B", " ".join(room.command()) + " --no-remote; sleep 30")
    tmux.wait_for("B", lambda screen: "Room Alpha" in screen and "disk-used" in screen, "the console on the old room")
