"""The watchdog beats only while the poll loop turns: a loop stuck inside a batch (here an `on_evaluated` hook that
blocks, as a hung SQLite call or a runaway computation would) sends no WATCHDOG=1 however long it hangs, so
systemd's WatchdogSec restarts it; once it turns again the beats resume. A timer or a thread beating on its
own would keep a hung poller alive, and this test would see it."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path

from collectors.service.notify import ServiceNotifier
from collectors.service.poller import Poller
from dutyroom.room import load_room
from dutyroom.store.database import Store

CONFIG = '[site]\nname = "watchdog room"\n'


class PollerThread:
    """The real Poller on its own event loop in a thread, so the test can watch it hang."""

    def __init__(self, poller: Poller) -> None:
        self.poller = poller
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self._run, name="poller")
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.poller.run(self.stop))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=30)
        self.loop.close()


def receive(manager: socket.socket, wanted: str, timeout_s: float = 20.0) -> list[str]:
    """Datagrams until one equal to `wanted` (inclusive)."""
    received: list[str] = []
    manager.settimeout(timeout_s)
    while wanted not in received:
        received.append(manager.recv(4096).decode())
    return received


def drain(manager: socket.socket) -> list[str]:
    received = []
    manager.setblocking(False)
    try:
        while True:
            received.append(manager.recv(4096).decode())
    except BlockingIOError:
        return received


def test_a_stalled_poll_loop_stops_sending_watchdog_and_a_turning_one_resumes(tmp_path: Path) -> None:
    (tmp_path / "checks.toml").write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    room = load_room(tmp_path / "checks.toml")
    manager = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    manager.bind(str(tmp_path / "notify"))
    stall_next, stalled, release = threading.Event(), threading.Event(), threading.Event()

    def hang_when_asked(_: object) -> None:
        if stall_next.is_set():
            stall_next.clear()
            stalled.set()
            release.wait(60)

    with Store.open(tmp_path / "state") as store:
        notifier = ServiceNotifier(str(tmp_path / "notify"), watchdog_every_s=0.01)
        poller = Poller(room, store, batch_interval_s=0.05, watch_files=False, notifier=notifier)
        poller.on_evaluated = hang_when_asked
        running = PollerThread(poller)
        try:
            first = receive(manager, "WATCHDOG=1")
            receive(manager, "WATCHDOG=1")
            stall_next.set()
            assert stalled.wait(20)
            drain(manager)
            time.sleep(1.0)  # a hundred watchdog intervals, twenty batch intervals
            during_the_hang = drain(manager)
            release.set()
            after = receive(manager, "WATCHDOG=1")
        finally:
            release.set()
            running.close()
            manager.close()

    assert first[0].startswith("READY=1\nSTATUS=polling 0 targets")
    assert during_the_hang == []
    assert after[-1] == "WATCHDOG=1"
