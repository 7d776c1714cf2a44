"""Is anyone watching: the poller lock (who holds it, the service's marker) and the liveness verdict on the lock
plus the heartbeat, against the one documented bound."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from dutyroom.store.database import Store
from dutyroom.store.liveness import (
    POLLER_DOWN_AFTER_S,
    PollerState,
    judge_poller,
    read_poller_liveness,
)
from dutyroom.store.lock import (
    LOCK_NAME,
    SERVICE_MARKER,
    LockState,
    PollerLock,
    StateLocked,
    is_service_directory,
    poller_is_running,
    probe_lock,
)
from dutyroom.store.records import Heartbeat

NOW = 1_000_000.0
HELD = LockState(held=True, since=NOW - 3600, pid=77)
FREE = LockState(held=False, since=NOW - 3600, pid=77)


def test_a_fresh_heartbeat_under_a_held_lock_is_alive() -> None:
    verdict = judge_poller(Heartbeat(NOW - 0.4, 77), HELD, NOW)
    assert verdict.state is PollerState.ALIVE
    assert not verdict.down
    assert verdict.reason == "heartbeat 0.4 s ago"
    assert verdict.pid == 77


def test_a_free_lock_is_down_at_once_since_the_last_heartbeat() -> None:
    """SIGKILL: the kernel dropped the lock; the heartbeat is still young, but nobody will write the next one."""
    verdict = judge_poller(Heartbeat(NOW - 0.5, 77), FREE, NOW)
    assert verdict.state is PollerState.DOWN
    assert verdict.reason == "not running"
    assert verdict.since == NOW - 0.5


def test_a_held_lock_with_an_old_heartbeat_is_a_hung_poller() -> None:
    just_inside = judge_poller(Heartbeat(NOW - POLLER_DOWN_AFTER_S, 77), HELD, NOW)
    assert just_inside.state is PollerState.ALIVE
    hung = judge_poller(Heartbeat(NOW - POLLER_DOWN_AFTER_S - 0.1, 77), HELD, NOW)
    assert hung.state is PollerState.DOWN
    assert hung.reason == "no heartbeat for 10 s"
    assert hung.since == NOW - POLLER_DOWN_AFTER_S - 0.1


def test_a_poller_that_just_took_the_lock_is_starting_then_down_if_it_never_beats() -> None:
    old_beat = Heartbeat(NOW - 7200, 12)  # from the poller before the restart
    starting = judge_poller(old_beat, LockState(held=True, since=NOW - 2, pid=88), NOW)
    assert starting.state is PollerState.STARTING
    assert not starting.down
    never_beat = judge_poller(None, LockState(held=True, since=NOW - 60, pid=88), NOW)
    assert never_beat.state is PollerState.DOWN
    assert never_beat.since == NOW - 60
    stuck_after_restart = judge_poller(old_beat, LockState(held=True, since=NOW - 60, pid=88), NOW)
    assert stuck_after_restart.since == NOW - 7200, "nothing was watched since the old poller's last beat"


def test_no_poller_ever_is_down_with_no_since() -> None:
    verdict = judge_poller(None, LockState(held=False, since=0.0, pid=None), NOW)
    assert verdict.down
    assert verdict.since == 0.0


def test_a_heartbeat_from_the_future_clock_jumped_back_counts_as_alive() -> None:
    assert judge_poller(Heartbeat(NOW + 3600, 77), HELD, NOW).state is PollerState.ALIVE


def test_the_lock_probe_creates_nothing_and_sees_a_holder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert probe_lock(missing) == LockState(held=False, since=0.0, pid=None)
    assert not missing.exists()
    state = tmp_path / "state"
    with PollerLock(state, service=False):
        probe = probe_lock(state)
        assert probe.held
        assert probe.pid == os.getpid()
        assert abs(probe.since - time.time()) < 60
        assert poller_is_running(state)
    assert not probe_lock(state).held


def test_a_service_lock_marks_the_directory_and_a_console_lock_does_not(tmp_path: Path) -> None:
    console_room, served_room = tmp_path / "console", tmp_path / "served"
    with PollerLock(console_room, service=False):
        pass
    assert not is_service_directory(console_room)
    with PollerLock(served_room):
        pass
    assert is_service_directory(served_room)
    marker = served_room / SERVICE_MARKER
    assert "dutyroom serve" in marker.read_text()
    assert (marker.stat().st_mode & 0o077) == 0
    with PollerLock(served_room, service=False):
        pass
    assert is_service_directory(served_room), "a console polling with --poll leaves the service's mark alone"


def test_acquiring_rides_over_a_probe_holding_the_lock_for_an_instant(tmp_path: Path) -> None:
    """A console's probe takes the lock shared for an instant; a service starting then must not give up."""
    import fcntl

    state = tmp_path / "state"
    state.mkdir()
    (state / LOCK_NAME).write_text("")
    fd = os.open(state / LOCK_NAME, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    releaser = threading.Timer(0.1, os.close, (fd,))
    releaser.start()
    try:
        with PollerLock(state):
            assert probe_lock(state).held
    finally:
        releaser.join()


def test_a_second_poller_is_refused_naming_the_holder(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with PollerLock(state), pytest.raises(StateLocked, match=f"pid {os.getpid()}"):
        PollerLock(state).acquire()


def test_reading_liveness_from_a_store_and_its_lock(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with Store.open(state) as store:
        assert read_poller_liveness(store, NOW).down, "no poller ever ran here"
        with PollerLock(state):
            now = time.time()
            assert read_poller_liveness(store, now).state is PollerState.STARTING
            store.write_heartbeat(now)
            assert read_poller_liveness(store, now + 1).state is PollerState.ALIVE
            assert read_poller_liveness(store, now + POLLER_DOWN_AFTER_S + 1).down
        after = read_poller_liveness(store, now + 1)
        assert after.down
        assert after.since == now
