"""The real `serve`, SIGKILLed and started again after a gap longer than the staleness limit (RELIABILITY R18,
issue 13 item 4): no alert fires that was not firing before the gap, while the targets that changed during
the gap (a value crossed its threshold, a gateway stopped answering) alert from the first round after it."""

from __future__ import annotations

import http.server
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import state_not_made_yet, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=80)]

STALE_AFTER_S = 3.0
GAP_S = 60.0
"""The gap issue 13 names: a restart after a minute away, twenty times the staleness limit."""
CONFIG = """\
[site]
name = "restart room"

[defaults]
interval = "1s"
timeout = "300ms"
retries = 0
stale_after = "3s"

[[target]]
id = "steady"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/steady"
fields = {{ queue = "queue" }}

[[target]]
id = "changes"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/changes"
fields = {{ queue = "queue" }}

[[target]]
id = "dies"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{doomed_port}/steady"
fields = {{ queue = "queue" }}
attempts = 1

[[rule]]
id = "queue-deep"
metric = "queue"
critical = "> 100"

[[rule]]
id = "unreachable"
kind = "reachability"
"""


class Gateway(http.server.ThreadingHTTPServer):
    """Order gateways on loopback: each path answers its queue depth as JSON."""

    depths: dict[str, int]


class Handler(http.server.BaseHTTPRequestHandler):
    server: Gateway

    def do_GET(self) -> None:
        body = json.dumps({"queue": self.server.depths.get(self.path.strip("/"), 0)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def start_gateway() -> Gateway:
    gateway = Gateway(("127.0.0.1", 0), Handler)
    gateway.depths = {"steady": 3, "changes": 3}
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    return gateway


class Room:
    def __init__(self, directory: Path, port: int, doomed_port: int) -> None:
        self.config = directory / "checks.toml"
        self.config.write_text(CONFIG.format(port=port, doomed_port=doomed_port))
        (directory / "playbooks").mkdir()
        self.state = directory / "state"
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui.cli.main", *args, "--config", str(self.config), "--state", str(self.state)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def serve(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(self.config), "--state", str(self.state)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def status(self) -> dict[str, object]:
        result = self.cli("status", "--json")
        loaded: dict[str, object] = json.loads(result.stdout)
        if result.returncode == 3 and state_not_made_yet(str(loaded["problems"])):
            return {}
        assert result.returncode in (0, 1, 2), result.stdout  # ok, degraded, or down while serve is stopped
        return loaded

    def firing(self) -> set[tuple[str, str]]:
        result = self.cli("alerts", "--json")
        if result.returncode == 1 and state_not_made_yet(result.stderr):
            return set()  # serve has not made the state yet
        assert result.returncode in (0, 2), result.stderr  # 2: listed while no poller is alive
        alerts = json.loads(result.stdout)["alerts"]
        return {(alert["rule"], alert["target"]) for alert in alerts if alert["phase"] == "firing"}

    def transitions_since(self, since: float) -> list[tuple[str, str, str, str]]:
        """(rule, target, phase after, state) of every transition the store kept since `since`."""
        connection = sqlite3.connect(f"file:{self.state / 'dutyroom.db'}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT rule, target, to_state, state FROM transitions WHERE at >= ? ORDER BY id", (since,)
            ).fetchall()
        finally:
            connection.close()
        return [(str(rule), str(target), str(after), str(state)) for rule, target, after, state in rows]


@pytest.fixture
def gateways() -> Iterator[tuple[Gateway, Gateway]]:
    main, doomed = start_gateway(), start_gateway()
    yield main, doomed
    for gateway in (main, doomed):
        gateway.shutdown()
        gateway.server_close()


@pytest.fixture
def room(tmp_path: Path, gateways: tuple[Gateway, Gateway]) -> Iterator[Room]:
    main, doomed = gateways
    room = Room(tmp_path, main.server_address[1], doomed.server_address[1])
    yield room
    if room.process is not None and room.process.poll() is None:
        room.process.send_signal(signal.SIGTERM)
        room.process.wait(timeout=30)


def test_a_restart_after_a_long_gap_fires_only_what_changed_during_it(
    room: Room, gateways: tuple[Gateway, Gateway]
) -> None:
    main, doomed = gateways
    room.serve()
    wait_for(lambda: room.status().get("on_time") == 3, "all three gateways polled")
    time.sleep(2.0)  # a couple of rounds in the steady state
    assert room.firing() == set()

    room.kill()
    killed_at = time.time()
    main.depths["changes"] = 500  # during the gap: one queue backs up, one gateway goes away
    doomed.shutdown()
    doomed.server_close()
    time.sleep(GAP_S)  # the gap: a minute with nobody listening

    room.serve()
    wait_for(
        lambda: room.firing() == {("queue-deep", "changes"), ("unreachable", "dies")},
        "the changes made during the gap to alert",
    )
    wait_for(lambda: room.status().get("on_time") == 2, "rounds after the restart")
    time.sleep(2 * STALE_AFTER_S)  # past the staleness limit after the restart: nothing more may come

    assert room.firing() == {("queue-deep", "changes"), ("unreachable", "dies")}
    after_gap = room.transitions_since(killed_at)
    assert {(rule, target) for rule, target, _, _ in after_gap} == {("queue-deep", "changes"), ("unreachable", "dies")}
    assert not [row for row in after_gap if row[3] == "stale"], after_gap
