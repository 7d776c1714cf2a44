"""Acks and silences on the real `serve`, read back with `dutyroom alerts --json` (issue 12 items 4, 11, 13).

- 12.11: the wall clock jumps forward an hour and back again under libfaketime (Debian package `faketime`),
  for the poller and the command line alike; an ack and a silence that expired during the jump stay expired.
- 12.4: a normal ack made on a (capped) warning is cleared when a reload lifts the cap and the alert turns
  critical, and stays cleared when the cap comes back; a sticky ack holds throughout.
- 12.13: the capped severity is said in words, in `--json` and in the text listing.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from waiting import wait_for

pytestmark = pytest.mark.integration

LIBFAKETIME = next(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"), Path("/usr/lib/faketime/libfaketime.so.1"))
"""Debian's libfaketime (package `faketime`), under the architecture's library directory."""
CALENDAR = Path(__file__).resolve().parents[2] / "calendars" / "cn-a-share-2026.toml"
ROOM = """\
[site]
name = "ack room"
timezone = "Asia/Shanghai"
calendar = "{calendar}"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0
escalate_after = "1s"

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "uptime-a"
metric = "host.uptime_s"
critical = ">= 0"
{caps}
[[rule]]
id = "uptime-b"
metric = "host.uptime_s"
critical = ">= 0"
{caps}"""
CAPS = 'severity = { trading = "warning", pre-open = "warning", break = "warning", off-hours = "warning" }\n'
Alerts = dict[str, dict[str, object]]


class Room:
    """A state directory with `serve` running on it, and the command line beside it, in one environment."""

    def __init__(self, tmp_path: Path, environment: Mapping[str, str] | None = None) -> None:
        self.config = tmp_path / "checks.toml"
        self.state = tmp_path / "state"
        (tmp_path / "playbooks").mkdir()
        self.environment = {**os.environ, **(environment or {})}
        self.process: subprocess.Popen[str] | None = None

    def write(self, *, capped: bool) -> None:
        self.config.write_text(ROOM.format(calendar=CALENDAR, caps=CAPS if capped else ""))

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli.main", *args, "--config", str(self.config), "--state", str(self.state)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=self.environment,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def serve(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(self.config), "--state", str(self.state)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environment,
        )

    def alerts(self) -> Alerts:
        if not (self.state / "dutyroom.db").exists():
            return {}  # serve has not made the state yet: read commands never create it
        return {str(alert["rule"]): alert for alert in json.loads(self.cli("alerts", "--json"))["alerts"]}

    def firing(self) -> Alerts:
        alerts: Alerts = {}
        wait_for(lambda: len(alerts.update(self.alerts()) or alerts) == 2, "both alerts to fire")
        return alerts

    def lapses(self) -> list[tuple[str, str, dict[str, object]]]:
        """(who, alert, fields) of each lapse recorded, read straight from the database."""
        connection = sqlite3.connect(f"file:{self.state / 'dutyroom.db'}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT actor, alert, payload FROM actions WHERE kind = 'lapse' ORDER BY id")
            return [(json.loads(actor)["user"], str(alert), json.loads(payload)) for actor, alert, payload in rows]
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    if not LIBFAKETIME.exists():
        pytest.skip("libfaketime is not installed (Debian package faketime; scripts/setup.sh --system)")
    path = tmp_path / "faketime"
    path.write_text("+0\n")
    return path


@pytest.fixture
def jumping_room(tmp_path: Path, clock_file: Path) -> Iterator[Room]:
    """The poller and every command read the wall clock from `clock_file` (an offset such as +1h), as if NTP
    stepped the clock; the monotonic clock is left alone, as a real step leaves it."""
    room = Room(
        tmp_path,
        {
            "LD_PRELOAD": str(LIBFAKETIME),
            "FAKETIME_TIMESTAMP_FILE": str(clock_file),
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        },
    )
    room.write(capped=False)
    yield room
    room.stop()


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Room]:
    room = Room(tmp_path)
    room.write(capped=True)
    yield room
    room.stop()


def test_an_ack_and_a_silence_that_expired_during_a_clock_jump_stay_expired_when_it_goes_back(
    jumping_room: Room, clock_file: Path
) -> None:
    room = jumping_room
    room.serve()
    fingerprint = str(room.firing()["uptime-a"]["fingerprint"])
    room.cli("ack", fingerprint, "-m", "vendor called", "--expires", "30m")
    room.cli("silence", "--rule", "uptime-b", "--for", "30m", "-m", "planned work")
    before = room.alerts()
    assert before["uptime-a"]["acknowledged_by"] is not None
    assert before["uptime-b"]["silenced_by"] is not None

    clock_file.write_text("+1h\n")
    wait_for(lambda: len(room.lapses()) == 2, "the poller to record the ack and the silence as lapsed")
    ahead = room.alerts()
    assert (ahead["uptime-a"]["acknowledged_by"], ahead["uptime-b"]["silenced_by"]) == (None, None)
    assert [actor for actor, _, _ in room.lapses()] == ["dutyroom-engine", "dutyroom-engine"]

    clock_file.write_text("+0\n")
    time.sleep(2.0)  # a few batches of the poller on the clock set back
    back = room.alerts()
    assert (back["uptime-a"]["acknowledged_by"], back["uptime-b"]["silenced_by"]) == (None, None)
    assert len(room.lapses()) == 2

    room.cli("silence", "--rule", "uptime-b", "--for", "30m", "-m", "planned work, again")
    assert room.alerts()["uptime-b"]["silenced_by"] is not None  # a new silence holds on the clock set back


def test_a_normal_ack_is_cleared_when_the_severity_rises_and_a_sticky_one_holds(room: Room) -> None:
    room.serve()
    capped = room.firing()
    for alert in capped.values():
        assert (alert["state"], alert["severity"], alert["capped_from"]) == ("critical", "warning", "critical")
        assert alert["capped_in"] in {"trading", "pre-open", "break", "off-hours"}
        assert str(alert["severity_text"]).startswith("warning (capped ")
    listing = room.cli("alerts")
    assert "CRITICAL    warning (capped " in listing

    room.cli("ack", str(capped["uptime-a"]["fingerprint"]), "-m", "watching it")
    room.cli("ack", str(capped["uptime-b"]["fingerprint"]), "-m", "vendor on site", "--sticky")
    acked = room.alerts()
    assert (acked["uptime-a"]["ack_sticky"], acked["uptime-a"]["ack_severity"]) == (False, "warning")
    assert (acked["uptime-b"]["ack_sticky"], acked["uptime-b"]["ack_severity"]) == (True, "warning")
    assert "STICKY-ACK" in room.cli("alerts")

    room.write(capped=False)
    wait_for(lambda: room.alerts()["uptime-a"]["severity"] == "critical", "the reload to lift the cap")
    risen = room.alerts()
    assert (risen["uptime-a"]["acknowledged_by"], risen["uptime-a"]["escalated"]) == (None, True)
    assert risen["uptime-b"]["acknowledged_by"] is not None
    assert risen["uptime-b"]["escalated"] is False
    assert (risen["uptime-b"]["severity_text"], risen["uptime-b"]["capped_from"]) == ("critical", None)
    wait_for(lambda: len(room.lapses()) == 1, "the poller to record the cleared ack")
    ((who, alert, fields),) = room.lapses()
    assert (who, alert) == ("dutyroom-engine", capped["uptime-a"]["fingerprint"])
    assert fields["reason"] == "severity rose to critical"

    room.write(capped=True)
    wait_for(lambda: room.alerts()["uptime-a"]["severity"] == "warning", "the reload to bring the cap back")
    assert room.alerts()["uptime-a"]["acknowledged_by"] is None  # cleared once, cleared for good
