"""A small driver for consoles running in tmux on a private server socket: type keys, read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable


class Tmux:
    """One private tmux server (its own socket), killed on close."""

    def __init__(self) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"dutyroom-test-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> str:
        # The server takes its environment from the first client: without COLUMNS and LINES (which pytest's
        # terminal may export), a console in a pane draws at the pane's own size.
        environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30, check=True, env=environment
        )
        return result.stdout

    def start(self, name: str, command: str, columns: int = 100, rows: int = 30) -> None:
        self.run("new-session", "-d", "-s", name, "-x", str(columns), "-y", str(rows), command)

    def keys(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def text(self, name: str, text: str) -> None:
        self.run("send-keys", "-t", name, "-l", text)

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, condition: Callable[[str], bool], what: str, seconds: float = 30.0) -> float:
        """Poll the screen until `condition` holds; returns how long it took (raises with the screen if never)."""
        started = time.monotonic()
        screen = ""
        while time.monotonic() - started < seconds:
            screen = self.screen(name)
            if condition(screen):
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError(f"{name}: timed out waiting for {what}; screen:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30, check=False)
