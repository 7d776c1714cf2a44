"""bench/terminal: bytes per second and CPU of dutyroom's console, htop and Glances under the same pty.

The console watches a live room of N targets (TCP probes against loopback listeners, 10 % dead) polled by
`dutyroom serve`; the console attaches as a viewer. The room is left to settle first (by default until the
dead targets have failed three polls and fire as UNREACHABLE), and `serve` keeps polling while every program
is measured, so all of them run on the same loaded machine. Each program runs in a pty of the same size with
TERM=xterm-256color and no COLORTERM for the same number of seconds; the first complete frame's size and
time (see measure.py), the steady bytes/s and the CPU are printed, then the ratios against Glances and htop.
Nothing is asserted: the machine is shared; read the ratios of one run.

    .venv/bin/python bench/terminal/run.py [--targets 1000] [--seconds 20] [--size 120x40]
        [--profile remote|local] [--idle] [--warmup S] [--compare OTHER_CHECKOUT] [--rounds N] [--dump DIR]
        [--sites N]

--profile remote (the default) is the console as remote staff get it over SSH; --idle measures a room where
nothing changes (every target alive, only the reachability rule); --compare also measures the console of
another checkout of dutyroom (e.g. the commit before a change) on the same room, interleaved with this one;
--sites N (issue 17) runs N rooms of --targets each, one serve each, and also measures one console watching
all of them (`dutyroom --site site1=STATE ...`, over their local sockets) beside the one-site console.
Each checkout's bytecode is compiled first, as an installed console has it: under PYTHONDONTWRITEBYTECODE
(set in many sandboxes and CI images) every start would otherwise compile the whole project again.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Measurement, measure

ROOT = Path(__file__).resolve().parents[2]
INTERVAL_S = 10
SITE = "bench room"
PEERS = {"htop": (["htop"], ["Tasks:"]), "glances": (["glances", "--disable-plugin", "sensors"], ["CPU", "MEM"])}


class Listeners:
    """Loopback TCP listeners that accept and close every connection, in a thread. (Listeners that never
    accept fill their backlog within two polls of a large room, after which every probe times out and the
    "10 % dead" room is mostly dead.)"""

    def __init__(self, count: int) -> None:
        self._servers = [socket.create_server(("127.0.0.1", 0), backlog=512) for _ in range(count)]
        self.ports = [server.getsockname()[1] for server in self._servers]
        self._selector = selectors.DefaultSelector()
        for server in self._servers:
            server.setblocking(False)
            self._selector.register(server, selectors.EVENT_READ)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="listeners", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                server = key.fileobj
                assert isinstance(server, socket.socket)
                with contextlib.suppress(BlockingIOError, ConnectionError):
                    while True:
                        connection, _ = server.accept()
                        connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for server in self._servers:
            server.close()


def write_room(directory: Path, targets: int, listeners: list[int], dead_port: int, *, idle: bool = False) -> Path:
    """checks.toml for the room: every tenth target dead unless `idle`; `idle` has no latency rule either."""
    lines = [f'[site]\nname = "{SITE}"\n', f'[defaults]\ninterval = "{INTERVAL_S}s"\ntimeout = "1s"\nretries = 0\n']
    for index in range(targets):
        port = dead_port if index % 10 == 0 and not idle else listeners[index % len(listeners)]
        lines.append(
            f'[[target]]\nid = "line-{index:04d}"\ngroup = "links"\nkind = "tcp"\naddress = "tcp://127.0.0.1:{port}"\n'
        )
    lines.append('[[rule]]\nid = "line-down"\nkind = "reachability"\n')
    if not idle:
        lines.append('[[rule]]\nid = "line-slow"\nmetric = "tcp.connect_ms"\nwarning = "> 0.5"\n')
    config = directory / "checks.toml"
    config.write_text("\n".join(lines))
    (directory / "playbooks").mkdir(exist_ok=True)
    return config


def console_argv(config: Path, state: Path, profile: str) -> list[str]:
    common = ["--config", str(config), "--state", str(state)]
    return [
        sys.executable,
        "-m",
        "tui.cli.main",
        *common,
        "--no-bell",
        "--remote" if profile == "remote" else "--no-remote",
    ]


def sites_argv(config: Path, states: list[Path], profile: str) -> list[str]:
    """The console on every room's serve (`--site siteN=STATE`); the first room's config gives its language."""
    sites = [f"--site=site{number}={state}" for number, state in enumerate(states, 1)]
    return [*console_argv(config, states[0], profile), *sites]


def print_results(results: list[Measurement]) -> None:
    print(f"{'program':<16} {'first frame':>12} {'first KB':>9} {'steady B/s':>11} {'CPU %':>6}")
    for item in results:
        note = "" if item.markers_seen else "  (ready markers never seen: first frame guessed)"
        print(
            f"{item.name:<16} {item.first_frame_s:>11.2f}s {item.first_frame_bytes / 1024:>9.1f} "
            f"{item.steady_bytes_per_s:>11.0f} {item.cpu_percent:>6.1f}{note}"
        )
    ours = [item for item in results if item.name.startswith("dutyroom")]
    peers = [item for item in results if not item.name.startswith("dutyroom")]
    for console in ours:
        for peer in peers:
            bytes_ratio = console.steady_bytes_per_s / max(peer.steady_bytes_per_s, 1.0)
            cpu_ratio = console.cpu_percent / max(peer.cpu_percent, 0.01)
            print(f"{console.name} / {peer.name}: bytes/s x{bytes_ratio:.2f}, CPU x{cpu_ratio:.2f}")


def median_of(name: str, runs: list[Measurement]) -> Measurement:
    return Measurement(
        name,
        int(statistics.median(item.first_frame_bytes for item in runs)),
        statistics.median(item.first_frame_s for item in runs),
        statistics.median(item.steady_bytes_per_s for item in runs),
        statistics.median(item.cpu_percent for item in runs),
        all(item.markers_seen for item in runs),
    )


def compile_bytecode(checkout: Path) -> None:
    """The checkout's modules compiled into __pycache__, as pip leaves an installed package."""
    for package in ("dutyroom", "collectors", "tui"):
        if (checkout / package).is_dir():
            compileall.compile_dir(checkout / package, quiet=2, workers=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--profile", choices=["remote", "local"], default="remote")
    parser.add_argument("--idle", action="store_true", help="a room where nothing changes")
    parser.add_argument("--warmup", type=float, default=3 * INTERVAL_S + 5, help="seconds polled before measuring")
    parser.add_argument("--compare", type=Path, help="another dutyroom checkout to measure on the same room")
    parser.add_argument("--rounds", type=int, default=1, help="measure every program this many times, interleaved")
    parser.add_argument("--dump", type=Path, help="write each program's raw output here")
    parser.add_argument("--sites", type=int, default=1, help="also one console on this many rooms' serves")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    listening = Listeners(4)
    listeners = listening.ports
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()
    env = {"TERM": "xterm-256color", "COLORTERM": "", "LANG": "C.UTF-8"}
    programs: list[tuple[str, list[str], list[str], Path | None]] = []
    rounds: list[list[Measurement]] = []
    with tempfile.TemporaryDirectory() as work:
        directory = Path(work)
        config = write_room(directory, args.targets, listeners, dead_port, idle=args.idle)
        state = directory / "state"
        markers = [SITE, "links"] if args.idle else [SITE, "links", "line-0"]
        console = console_argv(config, state, args.profile)
        programs.append((f"dutyroom-{args.profile}", console, markers, ROOT))
        if args.compare is not None:
            programs.append((f"dutyroom-{args.compare.name or 'other'}", console, markers, args.compare.resolve()))
        rooms = [(config, state)]
        for number in range(2, args.sites + 1):
            (directory / f"site{number}").mkdir()
            room = write_room(directory / f"site{number}", args.targets, listeners, dead_port, idle=args.idle)
            rooms.append((room, directory / f"site{number}" / "state"))
        if args.sites > 1:
            site_markers = ["site1", "line-0"] if not args.idle else ["site1", "links"]
            argv = sites_argv(config, [room_state for _, room_state in rooms], args.profile)
            programs.append((f"dutyroom-{args.sites}-sites", argv, site_markers, ROOT))
        for *_, checkout in programs:
            if checkout is not None:
                compile_bytecode(checkout)
        for name, (argv, peer_markers) in PEERS.items():
            if shutil.which(argv[0]):
                programs.append((name, argv, peer_markers, None))
            else:
                print(f"{name}: not installed (apt-get install {name}); no ratio against it")
        serves = [
            subprocess.Popen(
                [sys.executable, "-m", "tui.cli.main", "--config", str(room), "--state", str(room_state), "serve"],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for room, room_state in rooms
        ]
        try:
            time.sleep(args.warmup)
            for number in range(args.rounds):
                results = []
                for name, argv, program_markers, cwd in programs:
                    dump = args.dump / f"round{number + 1}" if args.dump else None
                    size = (columns, rows)
                    options = {"seconds": args.seconds, "size": size, "env": env, "cwd": cwd, "dump": dump}
                    results.append(measure(name, argv, markers=program_markers, **options))
                rounds.append(results)
        finally:
            for serve in serves:
                serve.terminate()
            for serve in serves:
                serve.wait(timeout=30)
    listening.close()
    scenario = "idle room" if args.idle else "live room, 10 % dead"
    rooms_text = f"{args.sites} rooms of " if args.sites > 1 else ""
    timing = f"{args.seconds:g} s each, warm-up {args.warmup:g} s"
    print(f"{rooms_text}{args.targets} targets ({scenario}), {args.size}, {timing}")
    for number, results in enumerate(rounds, 1):
        if len(rounds) > 1:
            print(f"-- round {number}")
        print_results(results)
    if len(rounds) > 1:
        print("-- median of rounds")
        names = [name for name, *_ in programs]
        print_results([median_of(name, [results[index] for results in rounds]) for index, name in enumerate(names)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
