"""Several consoles, one poller, end to end: `dutyroom serve` against a real local HTTP gateway and two
consoles in tmux on the same state directory.

An acknowledgement typed in one console appears in the other; a playbook step ticked in the other appears in
the first; the gateway is polled once per interval however many consoles watch; killing the poller with
SIGKILL while actions arrive loses none of them, and the consoles carry on when it is back.
"""

from __future__ import annotations

import http.server
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=15),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
CONFIG = """
[site]
name = "e2e room"

[defaults]
interval = "1s"
timeout = "300ms"
retries = 0

[[target]]
id = "oms-gw1"
name = "Order gateway 1"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/health"
fields = {{ queue_depth = "queue.depth", latency_ms = "latency_ms" }}

[[rule]]
id = "gateway-down"
metric = "http.up"
critical = "== 0"
playbook = "order-gateway"

[[rule]]
id = "gateway-slow"
metric = "latency_ms"
warning = "> 200"
playbook = "order-gateway"

[[rule]]
id = "gateway-queue"
metric = "queue_depth"
critical = "> 20"
playbook = "order-gateway"
"""


class Gateway(http.server.ThreadingHTTPServer):
    """A simulated order gateway that counts the polls it receives."""

    requests = 0


class Handler(http.server.BaseHTTPRequestHandler):
    server: Gateway

    def do_GET(self) -> None:
        self.server.requests += 1
        body = json.dumps({"status": "up", "queue": {"depth": 50}, "latency_ms": 12}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


class Room:
    def __init__(self, directory: Path, gateway: Gateway) -> None:
        self.directory = directory
        self.config = directory / "checks.toml"
        self.config.write_text(CONFIG.format(port=gateway.server_address[1]))
        for lang in ("en", "zh"):
            (directory / "playbooks" / lang).mkdir(parents=True)
            shutil.copy(ROOT / "playbooks" / lang / "order-gateway.md", directory / "playbooks" / lang)
        self.state = directory / "state"
        self.serve_process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "tui.cli.main", "--config", str(self.config), "--state", str(self.state), *args]

    def console(self) -> str:
        return " ".join(self.command()) + " --no-remote"

    def serve(self) -> None:
        """Start the poller and wait until it holds the state directory (so consoles attach as viewers)."""
        self.serve_process = subprocess.Popen(
            self.command("serve"), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = self.cli("status", "--json")
            if status.returncode in (0, 1) and json.loads(status.stdout)["poller"] == "alive":
                return
            time.sleep(0.2)
        raise AssertionError("dutyroom serve did not come up")

    def kill_serve(self) -> None:
        assert self.serve_process is not None
        self.serve_process.send_signal(signal.SIGKILL)
        self.serve_process.wait(timeout=30)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def room(tmp_path: Path, gateway: Gateway) -> Iterator[Room]:
    room = Room(tmp_path, gateway)
    room.serve()
    yield room
    if room.serve_process is not None and room.serve_process.poll() is None:
        room.kill_serve()


def acked_row(screen: str, rule: str) -> bool:
    """Whether the alert list shows `rule`'s row acknowledged."""
    return any(rule in line and "ACK:" in line for line in screen.splitlines())


def test_two_consoles_share_acks_and_steps_and_the_gateway_is_polled_once(
    room: Room, gateway: Gateway, tmux: Tmux
) -> None:
    tmux.start("A", room.console())
    tmux.start("B", room.console())
    for name in ("A", "B"):
        tmux.wait_for(
            name, lambda screen: "gateway-queue" in screen and "attached viewer" in screen, "the alert and viewer mode"
        )
        tmux.wait_for(name, lambda screen: "Order gateway down or slow" in screen, "the playbook beside it")

    # Narrowed to the one alert: on a loaded host the first poll can time out, and a gateway-down that fired and
    # resolved meanwhile may sort above it (its ACK would then hide behind "resolved" in a narrow column).
    tmux.keys("A", "/")
    tmux.text("A", "gateway-queue")
    tmux.keys("A", "Enter")
    tmux.wait_for("A", lambda screen: "gateway-down" not in screen, "the list narrowed to gateway-queue")
    tmux.keys("A", "a")
    tmux.wait_for("A", lambda screen: "Comment" in screen, "the acknowledge dialog")
    tmux.text("A", "vendor called, queue draining")
    tmux.keys("A", "Enter")
    took = tmux.wait_for(
        "B", lambda screen: acked_row(screen, "gateway-queue"), "the acknowledgement in the other console"
    )
    print(f"ack seen in the other console after {took:.2f} s")

    tmux.keys("B", "Tab")
    tmux.keys("B", "Space")
    took = tmux.wait_for("A", lambda screen: "[x]  1." in screen, "the ticked step in the first console")
    print(f"step seen in the other console after {took:.2f} s")

    before, started = gateway.requests, time.monotonic()
    time.sleep(6)
    polls = gateway.requests - before
    intervals = (time.monotonic() - started) / 1.0
    assert polls <= intervals + 2, f"{polls} polls in {intervals:.1f} intervals: consoles must not poll"
    assert polls >= intervals - 3, f"only {polls} polls in {intervals:.1f} intervals"

    alerts = json.loads(room.cli("alerts", "--json").stdout)["alerts"]
    assert alerts[0]["acknowledged_by"].startswith(alerts[0]["acknowledged_by"].split()[0])
    assert alerts[0]["ack_comment"] == "vendor called, queue draining"


def test_killing_the_poller_loses_no_action_and_consoles_carry_on(room: Room, tmux: Tmux) -> None:
    tmux.start("A", room.console())
    tmux.wait_for("A", lambda screen: "gateway-queue" in screen, "the alert")
    fingerprint = json.loads(room.cli("alerts", "--json").stdout)["alerts"][0]["fingerprint"]
    confirmed = []
    for index in range(6):
        if index == 2:
            room.kill_serve()
        if index == 4:
            room.serve()
        result = room.cli("note", fingerprint, "-m", f"note {index} while the poller comes and goes")
        assert result.returncode == 0, result.stderr
        confirmed.append(f"note {index} while the poller comes and goes")
    alerts = json.loads(room.cli("alerts", "--json").stdout)["alerts"]
    assert [note["text"] for note in alerts[0]["notes"]] == confirmed
    tmux.keys("A", "t")
    tmux.wait_for("A", lambda screen: "note 5 while the poller" in screen, "the last note in the timeline")
    tmux.keys("A", "Escape")
    tmux.wait_for("A", lambda screen: "collectors 1 on time" in screen, "polling to resume after the restart")
