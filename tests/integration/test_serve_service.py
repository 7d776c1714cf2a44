"""`dutyroom serve` under a service manager (issue 13 items 3 and 10), with the real command on loopback:

- systemd's notify protocol, read from a datagram socket the test binds in systemd's place: READY once polling
  runs, WATCHDOG=1 repeating at half of WATCHDOG_USEC, a STATUS= that tells the truth about the targets and the
  last reload, RELOADING=1/READY=1 around reloads, STOPPING=1 on SIGTERM;
- its log as journald reads it (`<N>` priorities when stderr is $JOURNAL_STREAM): one line per event;
- a port in use for the exporter or the trap receiver: one log line, no traceback, polling goes on without that
  listener, `dutyroom status` says so, and a reload once the port is free brings the listener back.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from waiting import state_not_made_yet, wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TARGETS = """\
[site]
name = "service room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[[target]]
id = "gw-up"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:{open_port}"

[[target]]
id = "gw-down"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:{closed_port}"

[[rule]]
id = "gateway-down"
kind = "reachability"
targets = ["gw-up", "gw-down"]
"""
LISTENERS = """\
[site]
name = "busy ports room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[exporter]
listen = "127.0.0.1:{exporter_port}"

[traps]
listen = "udp://127.0.0.1:{trap_port}"
communities = [{{ env = "DUTYROOM_TEST_TRAP_COMMUNITY" }}]

[[target]]
id = "gw-up"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:{open_port}"

[[target]]
id = "ups-a"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.1"]
"""


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Manager:
    """systemd's end of NOTIFY_SOCKET: every datagram received, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))
        self.received: list[str] = []

    def poll(self) -> list[str]:
        self.socket.setblocking(False)
        try:
            while True:
                self.received.append(self.socket.recv(65536).decode())
        except BlockingIOError:
            return self.received

    def after(self, index: int) -> list[str]:
        return self.poll()[index:]

    def wait(self, predicate: Callable[[str], bool], what: str, start: int = 0) -> int:
        """Index of the first message from `start` on that satisfies `predicate`."""
        found: list[int] = []

        def seen() -> bool:
            found[:] = [i for i, message in enumerate(self.poll()) if i >= start and predicate(message)]
            return bool(found)

        wait_for(seen, what)
        return found[0]

    def statuses(self, start: int = 0) -> list[str]:
        return [
            line[7:] for message in self.after(start) for line in message.splitlines() if line.startswith("STATUS=")
        ]


class Service:
    """`dutyroom serve` started as systemd would: NOTIFY_SOCKET, WATCHDOG_USEC, stderr on JOURNAL_STREAM."""

    def __init__(self, tmp_path: Path, config_text: str) -> None:
        self.config = tmp_path / "checks.toml"
        self.config.write_text(config_text)
        (tmp_path / "playbooks").mkdir()
        self.state = tmp_path / "state"
        self.manager = Manager(tmp_path / "notify")
        self.log_path = tmp_path / "journal"
        self.process: subprocess.Popen[bytes] | None = None

    def args(self) -> list[str]:
        return ["--config", str(self.config), "--state", str(self.state)]

    def start(self, watchdog_usec: int = 1_000_000) -> None:
        with self.log_path.open("w") as journal:
            info = os.fstat(journal.fileno())
            environment = {
                **os.environ,
                "NOTIFY_SOCKET": str(self.manager.path),
                "WATCHDOG_USEC": str(watchdog_usec),
                "JOURNAL_STREAM": f"{info.st_dev}:{info.st_ino}",
                "DUTYROOM_TEST_TRAP_COMMUNITY": "public",
            }
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui.cli.main", "serve", *self.args()],
                stdout=subprocess.DEVNULL,
                stderr=journal,
                env=environment,
                cwd=ROOT,
            )

    def log(self) -> list[str]:
        return self.log_path.read_text().splitlines()

    def status(self) -> dict[str, object]:
        result = subprocess.run(
            [sys.executable, "-m", "tui.cli.main", "status", "--json", *self.args()],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        loaded: dict[str, object] = json.loads(result.stdout)
        if result.returncode == 3 and state_not_made_yet(str(loaded["problems"])):
            return {}
        assert result.returncode in (0, 1), result.stdout  # ok, or degraded (a store or listener problem)
        return loaded

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def open_port() -> Iterator[int]:
    """A TCP port that accepts connections for the whole test."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(64)
        yield int(listening.getsockname()[1])


def test_systemd_hears_ready_watchdog_a_true_status_reloads_and_stopping(tmp_path: Path, open_port: int) -> None:
    config_text = TARGETS.format(open_port=open_port, closed_port=free_port())
    service = Service(tmp_path, config_text)
    manager = service.manager
    service.start(watchdog_usec=1_000_000)
    try:
        ready = manager.wait(lambda message: message.startswith("READY=1\n"), "READY=1")
        assert not any(message.startswith("WATCHDOG=1") for message in manager.poll()[:ready])
        wait_for(lambda: manager.after(ready).count("WATCHDOG=1") >= 4, "WATCHDOG=1 to repeat")
        manager.wait(
            lambda message: "STATUS=polling 2 targets: 1 on time, 1 failing, 0 stale; 1 alert firing" in message,
            "a STATUS naming the failing target",
        )

        service.config.write_text(config_text.replace('"gw-down"]', '"gw-nowhere"]'))
        reloading = manager.wait(lambda message: message.startswith("RELOADING=1\n"), "RELOADING=1", ready + 1)
        after_bad = manager.wait(lambda message: message.startswith("READY=1\n"), "READY=1 again", reloading)
        failed = manager.poll()[after_bad]
        assert f"; {service.config}:24:1: rule 'gateway-down' names unknown target 'gw-nowhere' (reload" in failed
        assert re.search(r"\(reload failed \d\d:\d\d:\d\d, old config kept\)$", failed)

        service.config.write_text(
            config_text + '\n[[rule]]\nid = "never"\nkind = "reachability"\ntargets = ["gw-up"]\n'
        )
        reloading = manager.wait(lambda message: message.startswith("RELOADING=1\n"), "RELOADING=1", after_bad + 1)
        after_good = manager.wait(lambda message: message.startswith("READY=1\n"), "READY=1 again", reloading)
        assert "; config reloaded " in manager.poll()[after_good]
        wait_for(lambda: manager.after(after_good).count("WATCHDOG=1") >= 2, "WATCHDOG=1 after the reload")
    finally:
        code = service.stop()

    assert code == 0
    assert manager.poll()[-1] == "STOPPING=1\nSTATUS=stopping"
    log = service.log()
    assert log[0].startswith(f"<6>dutyroom serve started: 2 targets from {service.config}")
    assert [line for line in log if line.startswith("<3>")] == [
        f"<3>reload failed: {service.config}:24:1: rule 'gateway-down' names unknown target 'gw-nowhere'; "
        "the running configuration stays in force"
    ]
    assert f"<6>configuration reloaded from {service.config}: 2 targets" in log
    assert [line for line in log if not line.startswith("<6>audit head: ")][-2:] == [
        "<6>stopping: SIGTERM",
        "<6>dutyroom serve stopped",
    ]
    assert log[-2].startswith("<6>audit head: record ")  # the head as serve stops, published outside the store
    assert all(line.startswith(("<3>", "<4>", "<6>")) for line in log)


def test_ports_in_use_are_one_line_each_and_polling_goes_on_without_those_listeners(
    tmp_path: Path, open_port: int
) -> None:
    exporter_squatter = socket.socket()
    exporter_squatter.bind(("127.0.0.1", 0))
    exporter_squatter.listen(1)
    exporter_port = int(exporter_squatter.getsockname()[1])
    trap_squatter = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    trap_squatter.bind(("127.0.0.1", 0))
    trap_port = int(trap_squatter.getsockname()[1])
    config_text = LISTENERS.format(exporter_port=exporter_port, trap_port=trap_port, open_port=open_port)
    service = Service(tmp_path, config_text)
    exporter_off = f"Prometheus exporter cannot listen on http 127.0.0.1:{exporter_port}: Address already in use"
    trap_off = f"trap receiver cannot listen on udp 127.0.0.1:{trap_port}: Address already in use"
    service.start()
    try:
        wait_for(lambda: service.status().get("poller") == "alive", "the poller to beat")
        wait_for(lambda: service.status().get("on_time") == 1, "the TCP target to be polled")
        status = service.status()
        assert status["listeners"] == f"{exporter_off}; {trap_off}"
        ready = service.manager.wait(lambda message: message.startswith("READY=1\n"), "READY=1")
        assert service.manager.poll()[ready].startswith(f"READY=1\nSTATUS={exporter_off}; {trap_off}; polling 1 target")

        trap_squatter.close()
        assert service.process is not None
        service.process.send_signal(signal.SIGHUP)
        wait_for(
            lambda: service.status().get("listeners") == exporter_off, "the trap receiver to listen after a reload"
        )
        assert service.process.poll() is None
    finally:
        code = service.stop()
        exporter_squatter.close()
        trap_squatter.close()

    assert code == 0
    log = service.log()
    assert "Traceback" not in "\n".join(log)
    errors = [line for line in log if line.startswith("<3>")]
    assert errors == [f"<3>{exporter_off}; polling goes on without it", f"<3>{trap_off}; polling goes on without it"]
