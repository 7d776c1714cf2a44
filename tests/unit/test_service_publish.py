"""What the poller publishes after each batch: READY once, then STATUS when it changes; RELOADING then READY around a
reload; WATCHDOG only for a loop that advanced; the beacon with the store and listener problems; and the one-line
summary that `systemctl status` shows."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.service.notify import ServiceNotifier
from collectors.service.publish import Publisher
from collectors.service.saving import StoreProblem
from collectors.service.summary import ReloadNote, service_status
from dutyroom.config.load import load_config
from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth
from dutyroom.store.beacon import read_beacon

PROBLEM = StoreProblem(Path("/srv/state/dutyroom.db"), "disk full", 100.0)
CONFIG = """\
[site]
name = "summary room"
timezone = "Asia/Shanghai"

[defaults]
interval = "10s"

[[target]]
id = "gw-1"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9001"

[[target]]
id = "gw-2"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9002"

[[target]]
id = "gw-3"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9003"
"""


class Clock:
    def __init__(self) -> None:
        self.now = 10.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[socket.socket]:
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listening.bind(str(tmp_path / "notify"))
    listening.setblocking(False)
    yield listening
    listening.close()


def sent(manager: socket.socket) -> list[str]:
    received = []
    try:
        while True:
            received.append(manager.recv(4096).decode())
    except BlockingIOError:
        return received


def test_ready_then_status_when_changed_and_watchdog_only_for_a_loop_that_advanced(
    tmp_path: Path, manager: socket.socket
) -> None:
    clock = Clock()
    notifier = ServiceNotifier(str(tmp_path / "notify"), watchdog_every_s=0.1, monotonic=clock)
    publisher = Publisher(tmp_path, notifier, monotonic=clock)
    summary = "polling 1 target"

    publisher.batch_done(1.0, lambda: summary, None, [], advanced=True)
    first = sent(manager)
    clock.now += 0.5
    summary = "polling 1 target: 1 failing"
    publisher.batch_done(2.0, lambda: summary, None, [], advanced=False)
    too_soon = sent(manager)
    clock.now += 0.6
    publisher.batch_done(3.0, lambda: summary, None, [], advanced=False)
    changed = sent(manager)
    clock.now += 1.0
    publisher.batch_done(4.0, lambda: summary, None, [], advanced=True)
    unchanged = sent(manager)
    publisher.reloading()
    publisher.batch_done(5.0, lambda: "reloaded", None, [], advanced=False)
    reload = sent(manager)
    publisher.close()

    assert first == ["READY=1\nSTATUS=polling 1 target", "WATCHDOG=1"]
    assert too_soon == []
    assert changed == ["STATUS=polling 1 target: 1 failing"]
    assert unchanged == ["WATCHDOG=1"]
    assert reload[0].startswith("RELOADING=1\nMONOTONIC_USEC=")
    assert reload[1:] == ["READY=1\nSTATUS=reloaded"]


def test_the_beacon_carries_the_store_and_listener_problems(tmp_path: Path) -> None:
    publisher = Publisher(tmp_path)
    listeners = ["trap receiver cannot listen on udp 0.0.0.0:162: Address already in use"]

    publisher.batch_done(150.0, lambda: "", PROBLEM, listeners, advanced=True)
    beacon = read_beacon(tmp_path)
    publisher.batch_done(160.0, lambda: "", None, [], advanced=True)
    cleared = read_beacon(tmp_path)
    publisher.close()

    assert beacon is not None
    assert beacon.at == 150.0
    assert beacon.store_problem == "STATE NOT SAVED: /srv/state/dutyroom.db: disk full"
    assert beacon.store_problem_since == 100.0
    assert beacon.listener_problems == tuple(listeners)
    assert cleared is not None
    assert (cleared.at, cleared.store_problem, cleared.listener_problems) == (160.0, "", ())


def test_a_beacon_that_cannot_be_created_is_logged_once_and_tried_again_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    missing = tmp_path / "not-yet"
    publisher = Publisher(missing, monotonic=clock)

    publisher.batch_done(1.0, lambda: "", None, [], advanced=True)
    clock.now += 1
    publisher.batch_done(2.0, lambda: "", None, [], advanced=True)
    missing.mkdir()
    clock.now += 5
    publisher.batch_done(3.0, lambda: "", None, [], advanced=True)
    assert read_beacon(missing) is None  # not retried within 10 s
    clock.now += 10
    publisher.batch_done(4.0, lambda: "", None, [], advanced=True)
    publisher.close()

    beacon = read_beacon(missing)
    assert beacon is not None
    assert beacon.at == 4.0
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].startswith(f"cannot write the beacon in {missing}: No such file or directory")


def test_the_summary_puts_problems_first_then_polling_then_the_config_in_force(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text(CONFIG)
    config = load_config(tmp_path / "checks.toml")
    now = 1_700_000_000.0  # 06:13:20 in Shanghai
    health = {
        "gw-1": TargetHealth(target="gw-1", last_result_at=now - 1),
        "gw-2": TargetHealth(target="gw-2", last_result_at=now - 1, hard_failure_since=now - 30),
        "gw-3": TargetHealth(target="gw-3"),
    }
    checks = [
        Check(fingerprint="a", rule="r", target="gw-2", state=State.UNREACHABLE, phase=AlertPhase.FIRING),
        Check(fingerprint="b", rule="r", target="gw-1", phase=AlertPhase.RESOLVED),
    ]

    started = service_status(config, checks, health, now, ReloadNote(now - 3600, initial=True))
    failed = service_status(
        config,
        checks,
        health,
        now,
        ReloadNote(now, "reload failed: checks.toml:20:11: bad condition '=> 0'"),
        [PROBLEM.text()],
    )

    assert started == "polling 3 targets: 1 on time, 1 failing, 1 stale; 1 alert firing; config loaded 05:13:20"
    assert failed == (
        "STATE NOT SAVED: /srv/state/dutyroom.db: disk full; "
        "polling 3 targets: 1 on time, 1 failing, 1 stale; 1 alert firing; "
        "checks.toml:20:11: bad condition '=> 0' (reload failed 06:13:20, old config kept)"
    )
