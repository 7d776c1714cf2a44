"""systemd's notify protocol: datagrams read from a real AF_UNIX socket bound by the test (a file path and the
abstract namespace), the watchdog paced at half of WATCHDOG_USEC, and silence outside systemd."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.service.notify import ServiceNotifier, socket_address, watchdog_interval_s


class Manager:
    """The service manager's end: a datagram socket the notifier sends to."""

    def __init__(self, address: str | bytes) -> None:
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(address)
        self.socket.settimeout(2.0)

    def messages(self) -> list[str]:
        """Everything sent so far, one datagram per item."""
        received = []
        self.socket.setblocking(False)
        try:
            while True:
                received.append(self.socket.recv(4096).decode())
        except BlockingIOError:
            pass
        finally:
            self.socket.settimeout(2.0)
        return received


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[tuple[Manager, str]]:
    path = tmp_path / "notify"
    listening = Manager(str(path))
    yield listening, str(path)
    listening.socket.close()


def test_ready_status_reloading_and_stopping_arrive_as_key_value_lines(manager: tuple[Manager, str]) -> None:
    listening, path = manager
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": path})

    notifier.ready("polling 2 targets")
    notifier.status("polling 2 targets")
    notifier.status("polling 2 targets: 1 failing")
    notifier.reloading()
    notifier.stopping()
    notifier.close()

    ready, status, reloading, stopping = listening.messages()
    assert ready == "READY=1\nSTATUS=polling 2 targets"
    assert status == "STATUS=polling 2 targets: 1 failing"
    assert reloading.startswith("RELOADING=1\nMONOTONIC_USEC=")
    assert int(reloading.rpartition("=")[2]) > 0
    assert stopping == "STOPPING=1\nSTATUS=stopping"


def test_an_abstract_socket_is_reached_by_its_at_sign_name() -> None:
    name = f"dutyroom-test-{os.getpid()}"
    listening = Manager(b"\0" + name.encode())
    try:
        notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": "@" + name})
        assert notifier.send("READY=1")
        assert listening.messages() == ["READY=1"]
    finally:
        listening.socket.close()
    assert socket_address("@x") == b"\0x"
    assert socket_address("/run/systemd/notify") == "/run/systemd/notify"


def test_the_watchdog_beats_at_half_the_interval_systemd_gave(manager: tuple[Manager, str]) -> None:
    listening, path = manager
    clock = Clock()
    interval = watchdog_interval_s({"WATCHDOG_USEC": "2000000"}, pid=1)
    notifier = ServiceNotifier(path, interval, monotonic=clock)
    beats = []

    for tenth in range(0, 35, 3):  # the loop calls in every 0.3 s for 3.5 s
        clock.now = 50.0 + tenth / 10
        notifier.watchdog()
        sent = listening.messages()
        if sent:
            assert sent == ["WATCHDOG=1"]
            beats.append(tenth / 10)

    assert interval == 1.0
    assert beats == [0.0, 1.2, 2.4]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1234"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "999"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_the_watchdog_is_ours_only_when_systemd_says_so(environment: dict[str, str], expected: float | None) -> None:
    assert watchdog_interval_s(environment, pid=1234) == expected


def test_outside_systemd_nothing_is_sent_and_nothing_fails() -> None:
    notifier = ServiceNotifier.from_environment({"WATCHDOG_USEC": "1000000"})

    assert not notifier.enabled
    assert notifier.watchdog_every_s is None
    assert notifier.send("READY=1") is False
    notifier.ready("x")
    notifier.watchdog()
    notifier.stopping()


def test_a_manager_that_went_away_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = ServiceNotifier(str(tmp_path / "gone"))

    assert notifier.send("READY=1") is False
    assert notifier.send("STATUS=still here") is False

    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"cannot notify the service manager at {tmp_path / 'gone'}" in warnings[0]
