"""bench/terminal: bytes per second and CPU of dutyroom's console, htop and Glances under the same pty.

The console watches a live room of N targets (TCP probes against loopback listeners, 10 % dead) polled by
`dutyroom serve`; the console attaches as a viewer. Each program runs in a pty of the same size with
TERM=xterm-256color for the same number of seconds; the first frame's size and time, the steady bytes/s and
the CPU are printed, then the ratios against Glances and htop. Nothing is asserted: the machine is shared.

    .venv/bin/python bench/terminal/run.py [--targets 1000] [--seconds 20] [--size 120x40]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_FRAME_QUIET_S = 0.5


@dataclass
class Measurement:
    name: str
    first_frame_bytes: int
    first_frame_s: float
    steady_bytes_per_s: float
    cpu_percent: float


def write_room(directory: Path, targets: int, listeners: list[int], dead_port: int) -> Path:
    lines = ['[site]\nname = "bench room"\n', '[defaults]\ninterval = "10s"\ntimeout = "1s"\nretries = 0\n']
    for index in range(targets):
        port = dead_port if index % 10 == 0 else listeners[index % len(listeners)]
        lines.append(f'[[target]]\nid = "line-{index:04d}"\ngroup = "links"\nkind = "tcp"\n'
                     f'address = "tcp://127.0.0.1:{port}"\n')
    lines.append('[[rule]]\nid = "line-down"\nkind = "reachability"\n')
    lines.append('[[rule]]\nid = "line-slow"\nmetric = "tcp.connect_ms"\nwarning = "> 0.5"\n')
    config = directory / "checks.toml"
    config.write_text("\n".join(lines))
    (directory / "playbooks").mkdir(exist_ok=True)
    return config


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / ticks


def measure(name: str, argv: list[str], seconds: float, columns: int, rows: int, env: dict[str, str]) -> Measurement:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execvp(argv[0], argv)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    started = time.monotonic()
    first_bytes, first_done, last_data = 0, 0.0, started
    steady_bytes, steady_started = 0, 0.0
    cpu_at_steady = 0.0
    while time.monotonic() - started < seconds:
        ready, _, _ = select.select([fd], [], [], 0.1)
        now = time.monotonic()
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not first_done:
                first_bytes += len(data)
                last_data = now
            else:
                steady_bytes += len(data)
        if not first_done and first_bytes and now - last_data > FIRST_FRAME_QUIET_S:
            first_done = last_data - started
            steady_started = now
            cpu_at_steady = cpu_seconds(pid)
    elapsed = max(time.monotonic() - (steady_started or started), 1e-6)
    cpu = (cpu_seconds(pid) - cpu_at_steady) / elapsed * 100
    os.kill(pid, signal.SIGTERM)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)
    return Measurement(name, first_bytes, first_done, steady_bytes / elapsed, cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    servers = [socket.create_server(("127.0.0.1", 0), backlog=512) for _ in range(4)]
    listeners = [server.getsockname()[1] for server in servers]
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()
    env = {"TERM": "xterm-256color", "COLORTERM": "", "LANG": "C.UTF-8"}
    results: list[Measurement] = []
    with tempfile.TemporaryDirectory() as work:
        directory = Path(work)
        config = write_room(directory, args.targets, listeners, dead_port)
        state = directory / "state"
        dutyroom = [sys.executable, "-m", "tui.cli", "--config", str(config), "--state", str(state)]
        serve = subprocess.Popen([*dutyroom, "serve"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(12)  # one full interval polled before the console attaches
            results.append(measure("dutyroom", [*dutyroom, "--no-bell"], args.seconds, columns, rows, env))
        finally:
            serve.terminate()
            serve.wait(timeout=30)
    for name, argv in (("htop", ["htop"]), ("glances", ["glances", "--disable-plugin", "sensors"])):
        if shutil.which(argv[0]):
            results.append(measure(name, argv, args.seconds, columns, rows, env))
        else:
            print(f"{name}: not installed (apt-get install {name}); no ratio against it")
    for server in servers:
        server.close()
    print(f"{'program':<10} {'first frame':>12} {'first KB':>9} {'steady B/s':>11} {'CPU %':>6}")
    for item in results:
        print(f"{item.name:<10} {item.first_frame_s:>11.2f}s {item.first_frame_bytes / 1024:>9.1f} "
              f"{item.steady_bytes_per_s:>11.0f} {item.cpu_percent:>6.1f}")
    ours = results[0]
    for peer in results[1:]:
        bytes_ratio = ours.steady_bytes_per_s / max(peer.steady_bytes_per_s, 1.0)
        cpu_ratio = ours.cpu_percent / max(peer.cpu_percent, 0.01)
        print(f"dutyroom / {peer.name}: bytes/s x{bytes_ratio:.2f}, CPU x{cpu_ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
