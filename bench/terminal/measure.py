"""One program in a pty: when its first complete frame was out and how big it was, then steady bytes/s and CPU.

The first frame is complete once every one of the program's ready markers (words it always shows, e.g. the
site name and the overview) has been written, and the burst that wrote them has ended (FRAME_GAP_S of
silence): a program that paints an empty screen first and its data later is not credited with the empty
screen. Steady bytes/s and CPU are measured from the end of the first frame to the end of the run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FRAME_GAP_S = 0.3
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHMNOPZc\\])")


@dataclass
class Measurement:
    name: str
    first_frame_bytes: int
    first_frame_s: float
    steady_bytes_per_s: float
    cpu_percent: float
    markers_seen: bool
    """False when the ready markers never showed: the first frame is then the first quiet gap's (a guess)."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and its waited-for children, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks


def screen_text(stream: bytes) -> str:
    """What was written, less escape sequences (enough to find words the program shows)."""
    return ESCAPES.sub(b"", stream).decode("utf-8", "replace")


def spawn(argv: Sequence[str], columns: int, rows: int, env: dict[str, str], cwd: Path | None) -> tuple[int, int]:
    """Fork `argv` on a new pty already sized `columns` x `rows` (set before exec: no resize race)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: never returns
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.environ.update(env)
            if cwd is not None:
                os.chdir(cwd)
            os.execvp(argv[0], list(argv))
        finally:
            os._exit(127)
    return pid, fd


def measure(
    name: str,
    argv: Sequence[str],
    *,
    seconds: float,
    size: tuple[int, int],
    env: dict[str, str],
    markers: Sequence[str],
    cwd: Path | None = None,
    dump: Path | None = None,
) -> Measurement:
    """Run `argv` for `seconds` in a pty of `size` and measure it (the program is then sent SIGTERM)."""
    columns, rows = size
    pid, fd = spawn(argv, columns, rows, env, cwd)
    started = time.monotonic()
    stream = bytearray()
    first_end = 0  # bytes in the first frame once it is complete
    first_s = 0.0
    ready = not markers
    last_data = started
    steady_started = cpu_at_steady = 0.0
    try:
        while time.monotonic() - started < seconds:
            readable, _, _ = select.select([fd], [], [], 0.05)
            now = time.monotonic()
            if readable:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                stream += data
                last_data = now
                if not first_end and not ready:
                    text = screen_text(bytes(stream))
                    ready = all(marker in text for marker in markers)
            if not first_end and stream and now - last_data >= FRAME_GAP_S:
                quiet_long = now - started >= seconds / 2
                if ready or quiet_long:
                    first_end, first_s = len(stream), last_data - started
                    steady_started, cpu_at_steady = now, cpu_seconds(pid)
        if not first_end:
            first_end, first_s = len(stream), last_data - started
            steady_started, cpu_at_steady = time.monotonic(), cpu_seconds(pid)
        elapsed = max(time.monotonic() - steady_started, 1e-6)
        cpu = (cpu_seconds(pid) - cpu_at_steady) / elapsed * 100
    finally:
        os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(fd)
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        (dump / f"{name}.first.bin").write_bytes(bytes(stream[:first_end]))
        (dump / f"{name}.steady.bin").write_bytes(bytes(stream[first_end:]))
    steady_bytes = len(stream) - first_end
    return Measurement(name, first_end, first_s, steady_bytes / elapsed, cpu, ready)
