"""`dutyroom serve`: one poller per state directory, live reload that keeps the old config when the new one is
bad (RELIABILITY R10), the Prometheus endpoint, and viewers refused with a reason that is audited."""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from waiting import wait_for

pytestmark = pytest.mark.integration

BASE = """\
[site]
name = "serve room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[exporter]
listen = "127.0.0.1:{port}"

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "disk-used"
metric = "host.disk_used_pct"
warning = ">= 0"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args], capture_output=True, text=True, timeout=60, check=False
    )


EXIT_CODES = {"ok": 0, "degraded": 1, "down": 2, "unknown": 3}


class Room:
    def __init__(self, tmp_path: Path) -> None:
        self.config = tmp_path / "checks.toml"
        self.state = tmp_path / "state"
        self.port = free_port()
        self.config.write_text(BASE.format(port=self.port))
        (tmp_path / "playbooks").mkdir()
        self.process: subprocess.Popen[str] | None = None

    def args(self) -> list[str]:
        return ["--config", str(self.config), "--state", str(self.state)]

    def serve(self) -> subprocess.Popen[str]:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli.main", "serve", *self.args()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return self.process

    def status(self) -> dict[str, object]:
        """`status --json`, its exit code checked against the verdict it prints (Nagios style)."""
        result = cli("status", "--json", *self.args())
        loaded: dict[str, object] = json.loads(result.stdout)
        assert result.returncode == EXIT_CODES[str(loaded["status"])], result.stderr
        return loaded

    def alerts(self) -> list[dict[str, object]]:
        result = cli("alerts", "--json", *self.args())
        if result.returncode == 1 and "state directory" in result.stderr:
            return []  # serve has not created it yet (read commands never do)
        assert result.returncode == 0, result.stderr
        loaded: list[dict[str, object]] = json.loads(result.stdout)["alerts"]
        return loaded


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    room = Room(tmp_path)
    yield room
    if room.process is not None and room.process.poll() is None:
        room.process.send_signal(signal.SIGTERM)
        room.process.wait(timeout=30)


def test_a_second_poller_on_the_same_state_refuses_to_start(room: Room) -> None:
    room.serve()
    wait_for(lambda: room.status().get("poller") == "alive", "the poller to start")
    second = cli("serve", "--seconds", "5", *room.args())
    assert second.returncode == 1
    assert "another dutyroom poller" in second.stderr
    assert str(room.state) in second.stderr


def test_a_bad_reload_keeps_the_old_config_and_says_where(room: Room) -> None:
    room.serve()
    wait_for(lambda: any(alert["rule"] == "disk-used" for alert in room.alerts()), "the first alert")
    room.config.write_text(BASE.format(port=room.port).replace('warning = ">= 0"', 'warning = "=> 0"'))
    wait_for(lambda: str(room.status()["reload"]).startswith("reload failed"), "the failed reload")
    status = room.status()
    assert f"reload failed: {room.config}:20:11: bad condition '=> 0'" in str(status["reload"])
    assert status["poller"] == "alive"
    time.sleep(2.5)  # a few more polls under the old configuration
    assert room.status()["poller"] == "alive"
    scraped = httpx.get(f"http://127.0.0.1:{room.port}/metrics", timeout=10).text
    assert 'dutyroom_alerts{alertname="disk-used",alertstate="firing"' in scraped
    fixed = BASE.format(port=room.port) + '\n[[rule]]\nid = "disk-nearly-full"\nmetric = "host.disk_used_pct"\n'
    room.config.write_text(fixed + 'critical = ">= 0"\n')
    wait_for(lambda: room.status()["reload"] == "ok", "the good reload")
    wait_for(lambda: any(alert["rule"] == "disk-nearly-full" for alert in room.alerts()), "the new rule to fire")


def test_sighup_reloads(room: Room) -> None:
    process = room.serve()
    wait_for(lambda: room.status().get("poller") == "alive", "the poller to start")
    text = BASE.format(port=room.port).replace('id = "disk-used"', 'id = "disk-used-renamed"')
    room.config.write_text(text)
    os.utime(room.config, (1_000_000_000, 1_000_000_000))  # the same mtime the watcher saw would not matter
    process.send_signal(signal.SIGHUP)
    wait_for(lambda: any(alert["rule"] == "disk-used-renamed" for alert in room.alerts()), "the renamed rule")
    assert not any(alert["rule"] == "disk-used" for alert in room.alerts())


def test_prometheus_endpoint_is_scraped_with_the_real_parser(room: Room) -> None:
    room.serve()
    wait_for(lambda: any(alert["rule"] == "disk-used" for alert in room.alerts()), "the first alert")
    body = httpx.get(f"http://127.0.0.1:{room.port}/metrics", timeout=10).text
    families = {family.name: family for family in text_string_to_metric_families(body)}
    disk = families["dutyroom_host_disk_used_ratio"]
    assert {sample.labels["target"] for sample in disk.samples} == {"console"}
    assert all(0 <= sample.value <= 1 for sample in disk.samples)
    alerts = families["dutyroom_alerts"].samples
    assert any(sample.labels["alertname"] == "disk-used" and sample.value == 1 for sample in alerts)
    assert [sample.value for sample in families["dutyroom_target_up"].samples] == [1.0]


def test_a_viewer_is_refused_with_a_reason_and_the_attempt_is_audited(room: Room) -> None:
    # The roles are the service's own, read when it starts (acts go through its socket, as the kernel's user).
    viewers = BASE.format(port=room.port) + f'\n[roles]\nviewers = ["{pwd.getpwuid(os.geteuid()).pw_name}"]\n'
    room.config.write_text(viewers)
    room.serve()
    wait_for(lambda: any(alert["rule"] == "disk-used" for alert in room.alerts()), "the first alert")
    fingerprint = str(room.alerts()[0]["fingerprint"])
    refused = cli("ack", fingerprint, "-m", "I am only watching", *room.args())
    assert refused.returncode == 1
    assert "is a viewer: viewers can look but not act" in refused.stderr
    connection = sqlite3.connect(room.state / "dutyroom.db")
    try:
        rows = connection.execute("SELECT kind, detail FROM audit WHERE kind = 'refused'").fetchall()
    finally:
        connection.close()
    assert len(rows) == 1
    assert "viewer" in rows[0][1]
    assert not any(alert["acknowledged_by"] for alert in room.alerts())
