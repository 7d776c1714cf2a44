"""The monitoring fabric on loopback for the issue 16 tests: Debian's prometheus and prometheus-alertmanager
started on free ports with their own data directories, `dutyroom serve` on a small room, and a health endpoint
whose values (and whether it answers at all) the test sets, with the room text that reads it (the order gateway's
target, rule and playbook). Every process is stopped by its own handle."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import pytest
from waiting import wait_for

FAST_DEFAULTS = """\
[defaults]
interval = "500ms"
timeout = "200ms"
retries = 0
"""
"""A room's `[defaults]` polling fast enough for a test to see an alert within seconds."""
PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def binary(path: str) -> str:
    """The binary's path, or skip: the project's setup installs it (scripts/setup.sh), like snmpd."""
    found = shutil.which(path)
    if found is None:
        pytest.skip(f"{path} is not installed (scripts/setup.sh --system installs the Debian package)")
    return found


ORDER_GATEWAY_PLAYBOOK = """\
+++
id = "oms-slow"
lang = "en"
title = "Order gateway slow"
severity = "critical"
kind = "incident"
applies_to = { rules = ["oms-slow"] }

[[contact]]
name = "Li Na"
role = "Trading systems on call"
phone = "138-0000-0002"
+++

# Order gateway slow

## Steps

1. Look at the gateway's queue.
"""
"""The playbook of the rule `oms-slow` (playbooks/en/oms-slow.md of a room)."""


def order_gateway(port: int, *, target_extra: str = "", rule_extra: str = "") -> str:
    """checks.toml text for the order gateway: the target `oms` reading `oms.latency_ms` from a Gateway's
    `latency_ms` on `port`, and the rule `oms-slow` (critical above 100 ms); `*_extra`: more lines of each."""
    return f"""\
[[target]]
id = "oms"
group = "trading"
kind = "http"
url = "http://127.0.0.1:{port}/health"
fields = {{ "oms.latency_ms" = "latency_ms" }}
{target_extra}
[[rule]]
id = "oms-slow"
metric = "oms.latency_ms"
critical = "> 100"
{rule_extra}
"""


class Gateway:
    """A JSON health endpoint on loopback; `values` is what it answers, `answering = False` makes it refuse."""

    def __init__(self, values: dict[str, float]) -> None:
        self.values = dict(values)
        self.answering = True
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not gateway.answering:
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps(gateway.values).encode()
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


class Webhook:
    """A webhook receiver on loopback that keeps every notification Alertmanager posts to it."""

    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                webhook.notifications.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Process:
    """A child process with its output in a file, stopped with SIGTERM (then SIGKILL) by its own handle, or
    at the end of a `with` block."""

    def __init__(self, argv: Sequence[str], log: Path) -> None:
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(list(argv), stdout=output, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


class Serve(Process):
    """`dutyroom serve` on `config`, with its own state directory."""

    def __init__(self, config: Path, state: Path, log: Path) -> None:
        self.config, self.state = config, state
        super().__init__([sys.executable, "-m", "tui.cli.main", "serve", *self.args()], log)

    def args(self) -> list[str]:
        return ["--config", str(self.config), "--state", str(self.state)]

    def cli(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tui.cli.main", *argv, *self.args()]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


class Prometheus(Process):
    """Prometheus scraping `targets` every second (`extra`: more of the scrape config, e.g. TLS)."""

    def __init__(
        self,
        workdir: Path,
        targets: Sequence[str],
        extra: dict[str, Any] | None = None,
        *,
        alerting: dict[str, Any] | None = None,
        rule_files: Sequence[str] = (),
        global_extra: dict[str, Any] | None = None,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        config = workdir / "prometheus.yml"
        scrape = {"job_name": "dutyroom", "static_configs": [{"targets": list(targets)}], **(extra or {})}
        document: dict[str, Any] = {"global": {"scrape_interval": "1s", **(global_extra or {})}}
        document["scrape_configs"] = [scrape]
        if alerting:
            document["alerting"] = alerting
        if rule_files:
            document["rule_files"] = list(rule_files)
        config.write_text(json.dumps(document))
        argv = [
            binary(PROMETHEUS),
            f"--config.file={config}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
        ]
        super().__init__(argv, workdir / "prometheus.log")
        wait_for(self.ready, f"prometheus on port {self.port} to be ready", 60)

    def ready(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/-/ready", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def query(self, expression: str) -> list[dict[str, Any]]:
        reply = httpx.get(f"http://127.0.0.1:{self.port}/api/v1/query", params={"query": expression}, timeout=10)
        reply.raise_for_status()
        result: list[dict[str, Any]] = reply.json()["data"]["result"]
        return result


class Alertmanager(Process):
    """One alertmanager on loopback; with `peers` it joins their cluster (gossip on its own loopback port)."""

    def __init__(self, workdir: Path, peers: Sequence[str] = (), receiver_url: str = "") -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port, self.cluster_port = free_port(), free_port()
        receiver: dict[str, Any] = {"name": "pager"}
        if receiver_url:
            receiver["webhook_configs"] = [{"url": receiver_url, "send_resolved": True}]
        route = {
            "receiver": "pager",
            "group_by": ["alertname", "site"],
            "group_wait": "1s",
            "group_interval": "2s",
            "repeat_interval": "1h",
        }
        config = workdir / "alertmanager.yml"
        config.write_text(json.dumps({"route": route, "receivers": [receiver]}))
        argv = [
            binary(ALERTMANAGER),
            f"--config.file={config}",
            f"--storage.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.port}",
            f"--cluster.listen-address=127.0.0.1:{self.cluster_port}",
            "--cluster.peer-timeout=1s",
            "--cluster.gossip-interval=100ms",
            "--cluster.pushpull-interval=2s",
            *(f"--cluster.peer={peer}" for peer in peers),
        ]
        super().__init__(argv, workdir / "alertmanager.log")
        wait_for(self.ready, f"alertmanager on port {self.port} to be ready", 60)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def peer_address(self) -> str:
        return f"127.0.0.1:{self.cluster_port}"

    def ready(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            return httpx.get(f"{self.url}/-/ready", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def alerts(self, *, active: bool = True) -> list[dict[str, Any]]:
        params = {"active": str(active).lower(), "silenced": "true", "inhibited": "true", "unprocessed": "true"}
        reply = httpx.get(f"{self.url}/api/v2/alerts", params=params, timeout=10)
        reply.raise_for_status()
        alerts: list[dict[str, Any]] = reply.json()
        return alerts

    def silences(self) -> list[dict[str, Any]]:
        reply = httpx.get(f"{self.url}/api/v2/silences", timeout=10)
        reply.raise_for_status()
        silences: list[dict[str, Any]] = reply.json()
        return silences

    def groups(self) -> list[dict[str, Any]]:
        reply = httpx.get(f"{self.url}/api/v2/alerts/groups", timeout=10)
        reply.raise_for_status()
        groups: list[dict[str, Any]] = reply.json()
        return groups

    def cluster_peers(self) -> int:
        reply = httpx.get(f"{self.url}/api/v2/status", timeout=10)
        reply.raise_for_status()
        return len(reply.json()["cluster"].get("peers") or [])
