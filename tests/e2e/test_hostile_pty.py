"""RELIABILITY R13 at the terminal: a device string full of escape sequences and markup, fetched by the real
HTTP collector and shown by the real console in a pty, never reaches the terminal as control bytes."""

from __future__ import annotations

import http.server
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m[bold red]FAKE[/] [@click=app.quit]x[/] \x00 state"
CONFIG = """
[site]
name = "hostile room"

[defaults]
interval = "1s"
timeout = "300ms"
retries = 0

[[target]]
id = "gw"
name = "gateway"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/health"
fields = {{ session = "session" }}

[[rule]]
id = "session-down"
metric = "session"
critical = "!= 'up'"
"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"session": HOSTILE}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def endpoint() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def run_in_pty(argv: list[str], seconds: float, until: bytes) -> bytes:
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8"})
        os.execv(argv[0], argv)
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
            if until in output:
                time.sleep(1.5)  # a few more repaints
                with_more = select.select([fd], [], [], 0.2)[0]
                if with_more:
                    output += os.read(fd, 65536)
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return bytes(output)


def test_no_escape_byte_from_device_text_reaches_the_terminal(tmp_path: Path, endpoint: int) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG.format(port=endpoint))
    (tmp_path / "playbooks").mkdir()
    argv = [
        sys.executable,
        "-m",
        "tui.cli.main",
        "--config",
        str(config),
        "--state",
        str(tmp_path / "state"),
        "--no-remote",
        "--no-bell",
    ]
    output = run_in_pty(argv, 60, until=b"session-down")
    assert b"session-down" in output, "the alert with the hostile value never appeared"
    assert b"\\x1b]0;" in output, "the escape was shown as visible text"
    assert b"\x1b]0;" not in output, "an OSC sequence from device text reached the terminal"
    own = re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", output)  # Textual's own pointer-shape OSC ends with BEL
    assert b"\x07" not in own, "a BEL from device text reached the terminal"
    assert b"\xc2\x9b" not in output, "a C1 CSI from device text reached the terminal"
    assert b"\x00" not in output
