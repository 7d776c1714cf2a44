"""Issue 13 item 5 with a real full disk: `dutyroom serve` keeps a state directory on a 2 MB tmpfs, the tmpfs is
filled with `dd`, and the poller goes on polling a real HTTP server on loopback and alerting in memory (seen on
its Prometheus endpoint), `dutyroom status` says STATE NOT SAVED with the database's path, an ack is refused in
one line, and once the space is freed the state, with the alert that fired meanwhile, is saved again.

The tmpfs lives in a private mount namespace (`unshare -rm`, no root needed where user namespaces are allowed)
held by a sleeping process; every command that must see it runs inside with `nsenter`.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from waiting import state_not_made_yet

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
[site]
name = "full disk room"

[defaults]
interval = "1s"
timeout = "500ms"
retries = 0

[exporter]
listen = "127.0.0.1:{exporter_port}"

[[target]]
id = "gateway"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{http_port}/health"
fields = {{ "gateway.latency_ms" = "latency_ms" }}

[[rule]]
id = "gateway-seen"
metric = "gateway.latency_ms"
warning = ">= 0"

[[rule]]
id = "gateway-slow"
metric = "gateway.latency_ms"
critical = "> 100"
"""


READ_STORE_EVENTS = """
import json, sqlite3, sys
connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(json.dumps([row[0] for row in connection.execute("SELECT message FROM events WHERE kind = 'store'")]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


class Gateway:
    """A health endpoint on loopback that counts its requests; its latency is set by the test."""

    def __init__(self) -> None:
        self.requests = 0
        self.latency_ms = 5
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                gateway.requests += 1
                body = json.dumps({"latency_ms": gateway.latency_ms}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SmallDisk:
    """A tmpfs of `size` at `mount_point`, visible only to commands run through `command`."""

    def __init__(self, mount_point: Path, size: str) -> None:
        for tool in ("unshare", "nsenter", "dd"):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} (util-linux / coreutils) is not installed, so no small tmpfs can be filled")
        mount_point.mkdir(mode=0o700)
        self.mount_point = mount_point
        mount = f'mount -t tmpfs -o size={size},mode=0700 dutyroom-test "$1" || exit 77; echo mounted; exec sleep 600'
        self.holder = subprocess.Popen(
            ["unshare", "-rm", "sh", "-c", mount, "sh", str(mount_point)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.holder.stdout is not None
        if self.holder.stdout.readline().strip() != "mounted":
            self.holder.wait(timeout=30)
            reason = self.holder.stderr.read().strip() if self.holder.stderr else ""
            pytest.skip(f"cannot mount a tmpfs in a private namespace here (unshare -rm): {reason}")

    def command(self, *argv: str) -> list[str]:
        return ["nsenter", "-t", str(self.holder.pid), "-U", "-m", *argv]

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*argv), capture_output=True, text=True, timeout=60, check=False)

    def fill(self) -> None:
        self.run("dd", "if=/dev/zero", f"of={self.mount_point / 'filler'}", "bs=64k")

    def free(self) -> None:
        removed = self.run("rm", "-f", str(self.mount_point / "filler"))
        assert removed.returncode == 0, removed.stderr

    def close(self) -> None:
        self.holder.kill()
        self.holder.wait(timeout=30)


class Room:
    def __init__(self, tmp_path: Path, disk: SmallDisk, gateway: Gateway) -> None:
        self.disk = disk
        self.gateway = gateway
        self.config = tmp_path / "checks.toml"
        self.state = disk.mount_point / "state"
        self.exporter_port = free_port()
        self.config.write_text(CONFIG.format(exporter_port=self.exporter_port, http_port=gateway.port))
        (tmp_path / "playbooks").mkdir()
        self.stderr_path = tmp_path / "serve.err"
        self.process: subprocess.Popen[str] | None = None

    def command(self, *argv: str) -> list[str]:
        where = ["--config", str(self.config), "--state", str(self.state)]
        return self.disk.command(sys.executable, "-m", "tui.cli.main", *argv, *where)

    def cli(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*argv), capture_output=True, text=True, timeout=60, check=False, cwd=ROOT)

    def serve(self) -> None:
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(self.command("serve"), stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT)

    def serving(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def status(self) -> dict[str, object]:
        result = self.cli("status", "--json")
        loaded: dict[str, object] = json.loads(result.stdout)
        if result.returncode == 3 and state_not_made_yet(str(loaded["problems"])):
            return {}
        assert result.returncode in (0, 1), result.stdout  # ok, or degraded (a store or listener problem)
        return loaded

    def alerts(self) -> list[dict[str, object]]:
        result = self.cli("alerts", "--json")
        if result.returncode == 1 and state_not_made_yet(result.stderr):
            return []
        assert result.returncode == 0, result.stderr
        loaded: list[dict[str, object]] = json.loads(result.stdout)["alerts"]
        return loaded

    def saved_alerts(self) -> dict[str, str]:
        return {str(alert["rule"]): str(alert["phase"]) for alert in self.alerts()}

    def alerts_in_memory(self) -> str:
        return httpx.get(f"http://127.0.0.1:{self.exporter_port}/metrics", timeout=10).text

    def stop(self) -> str:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        return self.stderr_path.read_text()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    disk = SmallDisk(tmp_path / "small-tmpfs", "2m")
    gateway = Gateway()
    room = Room(tmp_path, disk, gateway)
    try:
        yield room
    finally:
        room.stop()
        gateway.close()
        disk.close()


def test_a_full_disk_never_stops_the_poller_and_the_state_is_saved_again_after(room: Room) -> None:
    room.serve()
    wait_for(lambda: room.saved_alerts().get("gateway-seen") == "firing", "the first alert to be saved")
    fingerprint = str(room.alerts()[0]["fingerprint"])
    database = room.state / "dutyroom.db"

    room.disk.fill()
    wait_for(lambda: room.status().get("store") != "ok", "status to report the store problem")
    status = room.status()
    assert status["store"] == f"STATE NOT SAVED: {database}: disk full"
    assert status["poller"] == "alive"

    refused = room.cli("ack", fingerprint, "-m", "on it")
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1
    assert f"{database}: could not record the ack: database or disk is full" in refused.stderr
    assert "Traceback" not in refused.stderr

    polls_so_far = room.gateway.requests
    room.gateway.latency_ms = 500
    wait_for(lambda: 'alertname="gateway-slow"' in room.alerts_in_memory(), "the new alert, in memory")
    wait_for(lambda: room.gateway.requests >= polls_so_far + 3, "three more polls on the full disk")
    assert room.serving()
    assert "gateway-slow" not in room.saved_alerts()
    assert str(room.status().get("store")).startswith("STATE NOT SAVED")

    room.disk.free()
    wait_for(lambda: room.status().get("store") == "ok", "status to say the state is saved again")
    wait_for(lambda: room.saved_alerts().get("gateway-slow") == "firing", "the alert that fired meanwhile, saved")
    assert room.status().get("poller") == "alive"
    assert [alert["acknowledged_by"] for alert in room.alerts() if alert["rule"] == "gateway-seen"] == [None]
    log = room.stop()
    assert room.process is not None
    assert room.process.returncode == 0
    assert "Traceback" not in log
    assert log.count(f"ERROR STATE NOT SAVED: {database}: disk full; polling and alerting go on in memory") == 1
    assert f"INFO state saved again in {database} after" in log
    events = json.loads(room.disk.run(sys.executable, "-c", READ_STORE_EVENTS, str(database)).stdout)
    assert len(events) == 1
    assert "(disk full)" in events[0]
