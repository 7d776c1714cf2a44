"""A console that only watches a running poller starts without the poller, the collectors or the demo.

Those imports are most of a cold start (pysnmp, httpx, the demo room), and a viewer never uses them: only the
console that owns the room polls. The real console runs in a pty on a state directory whose service lock is
held (by this test, as `dutyroom serve` holds it); once it has painted the site's name it is asked, by SIGUSR1,
which modules it loaded.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

from dutyroom.store.lock import PollerLock

ROOT = Path(__file__).resolve().parents[2]
PAINTED = "attached viewer"
"""On the status line at every width (the site's name gives way at 80 columns, the poller word never does)."""
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMNOPZc\\])")
NOT_FOR_A_VIEWER = ("collectors", "tui.demo", "pysnmp", "httpx", "snmpsim", "psutil", "dutyroom.handover")

CONSOLE_TELLING_ITS_MODULES = """
import json, os, signal, sys
def tell(signum, frame):
    with open(os.environ["MODULES_OUT"], "w") as out:
        json.dump(sorted(sys.modules), out)
signal.signal(signal.SIGUSR1, tell)
from tui.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def read_until(fd: int, wanted: str, seconds: float) -> str:
    """What the console painted (escapes removed) once `wanted` shows, or all of it after `seconds`."""
    stream, deadline = bytearray(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        readable, _, _ = select.select([fd], [], [], 0.1)
        if readable:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            stream += data
            text = ESCAPES.sub(b"", bytes(stream)).decode("utf-8", "replace")
            if wanted in text:
                return text
    return ESCAPES.sub(b"", bytes(stream)).decode("utf-8", "replace")


def wait_for_file(path: Path, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return path.read_text()
        time.sleep(0.1)
    return ""


def test_a_console_watching_a_running_poller_loads_no_poller_collector_or_demo(tmp_path: Path) -> None:
    state, out = tmp_path / "state", tmp_path / "modules.json"
    state.mkdir()
    argv = [sys.executable, "-c", CONSOLE_TELLING_ITS_MODULES, "--config", str(ROOT / "checks.toml")]
    argv += ["--state", str(state), "--no-bell", "--no-remote"]
    with PollerLock(state, service=True):  # a live service owns the room: the console is a viewer
        pid, fd = pty.fork()
        if pid == 0:  # the child: never returns
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
                os.environ.update({"TERM": "xterm-256color", "MODULES_OUT": str(out), "LANG": "C.UTF-8"})
                os.chdir(ROOT)
                os.execv(argv[0], argv)
            finally:
                os._exit(127)
        try:
            painted = read_until(fd, PAINTED, 60)
            os.kill(pid, signal.SIGUSR1)
            modules = wait_for_file(out, 20)
            read_until(fd, "\x00never", 0.2)  # keep the pty drained while the console answers
        finally:
            os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(fd)
    assert PAINTED in painted
    loaded = json.loads(modules)
    assert "tui.app" in loaded  # it is the console that answered
    assert [name for name in loaded if name.startswith(NOT_FOR_A_VIEWER)] == []
