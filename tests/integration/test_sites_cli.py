"""Items 3 of issue 17: `alerts --json` with two `--site` options lists both real serves' alerts, each with its
site; `status` with them gives one line per site.

Two `serve` processes on two state directories (two rooms, each its own config); one is named by its socket,
the other by its state directory. Stopping one makes it loud (UNREACHABLE, exit 2) while the other is listed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_command_imports import HEAVY, HEAVY_PROJECT, modules_loaded_by
from waiting import wait_for

pytestmark = pytest.mark.integration

CALENDAR = Path(__file__).resolve().parents[2] / "calendars" / "cn-a-share-2026.toml"
ROOM = """\
[site]
name = "{name}"
timezone = "Asia/Shanghai"
calendar = "{calendar}"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[[target]]
id = "console-{name}"
group = "servers"
kind = "host"

[[rule]]
id = "load-seen"
metric = "host.load1"
warning = ">= 0"
"""


class Served:
    """One room with its own config, state directory and serve."""

    def __init__(self, top: Path, name: str) -> None:
        self.name, self.directory = name, top / name
        (self.directory / "playbooks").mkdir(parents=True)
        self.config, self.state = self.directory / "checks.toml", self.directory / "state"
        self.config.write_text(ROOM.format(name=name, calendar=CALENDAR), encoding="utf-8")
        self.socket = self.state / "api.sock"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(self.config), "--state", str(self.state)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate(timeout=10)


def alerts(*sites: str, command: str = "alerts") -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "tui.cli.main", command, "--json"]
    for site in sites:
        argv += ["--site", site]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, cwd="/")


@pytest.fixture
def two_rooms(tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    rooms = (Served(tmp_path, "main"), Served(tmp_path, "backup"))
    try:
        yield rooms
    finally:
        for room in rooms:
            room.stop()


def _both_fired(sites: tuple[str, str]) -> bool:
    listed = alerts(*sites)
    if listed.returncode != 0:
        return False
    return {alert["site"] for alert in json.loads(listed.stdout)["alerts"]} == {"MAIN", "BACKUP"}


def test_alerts_of_two_sites_each_with_its_site(two_rooms: tuple[Served, Served]) -> None:
    main, backup = two_rooms
    sites = (f"MAIN={main.socket}", f"BACKUP={backup.state}")
    wait_for(lambda: main.socket.is_socket() and backup.socket.is_socket(), "both services' sockets")
    wait_for(lambda: _both_fired(sites), "both rooms to fire load-seen")
    document = json.loads(alerts(*sites).stdout)
    assert {(alert["site"], alert["target"]) for alert in document["alerts"]} == {
        ("MAIN", "console-main"),
        ("BACKUP", "console-backup"),
    }
    assert [(site["site"], site["room"], site["reachable"]) for site in document["sites"]] == [
        ("MAIN", "main", True),
        ("BACKUP", "backup", True),
    ]
    assert all(site["poller"]["state"] == "alive" for site in document["sites"])
    statuses = json.loads(alerts(*sites, command="status").stdout)["sites"]
    assert [(line["site"], line["poller"], line["targets"]) for line in statuses] == [
        ("MAIN", "alive", 1),
        ("BACKUP", "alive", 1),
    ]
    assert all(line["phase"] for line in statuses)

    backup.stop()
    lost = alerts(*sites)
    assert lost.returncode == 2, lost.stderr
    assert "SITE BACKUP UNREACHABLE" in lost.stderr
    document = json.loads(lost.stdout)
    assert {alert["site"] for alert in document["alerts"]} == {"MAIN"}  # nothing of the lost site as current
    assert [(site["site"], site["reachable"]) for site in document["sites"]] == [("MAIN", True), ("BACKUP", False)]
    status = alerts(*sites, command="status")
    assert status.returncode == 2
    lines = {line["site"]: line for line in json.loads(status.stdout)["sites"]}
    assert lines["BACKUP"]["status"] == "down"
    assert "UNREACHABLE" in lines["BACKUP"]["problems"][0]
    assert lines["MAIN"]["poller"] == "alive"


def test_a_bad_site_is_one_line() -> None:
    refused = alerts("MAIN=http://example/api.sock")
    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0
    assert "only ssh://" in refused.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["api-bridge", "--help"],
        ["alerts", "--site", "X=/nonexistent/api.sock"],
        ["status", "--site", "X=/nonexistent/api.sock"],
    ],
)
def test_site_commands_stay_light(argv: list[str], tmp_path: Path) -> None:
    _, loaded = modules_loaded_by(argv, tmp_path)
    assert not loaded & {*HEAVY, *HEAVY_PROJECT}
