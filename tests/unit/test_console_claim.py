"""Which console polls: the first console on a fresh state directory (the single-machine default); never one
on a directory `dutyroom serve` owns, unless told to with --poll; never while another poller holds the lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.store.lock import PollerLock, StateLocked, is_service_directory, probe_lock
from tui.launch import claim_polling


def test_a_console_on_a_fresh_directory_polls_itself_without_marking_it_a_service(tmp_path: Path) -> None:
    state = tmp_path / "state"
    lock = claim_polling(state)
    assert lock is not None
    try:
        assert probe_lock(state).held
        assert not is_service_directory(state)
    finally:
        lock.release()
    again = claim_polling(state)
    assert again is not None, "a directory only consoles polled is polled by the next console too"
    again.release()


def test_a_console_on_a_service_directory_waits_for_the_service(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with PollerLock(state):  # `dutyroom serve` ran here once
        pass
    assert claim_polling(state) is None
    assert not probe_lock(state).held, "the console took no lock: the service can start again"
    with PollerLock(state):
        pass


def test_poll_takes_a_service_directory_while_the_service_is_down(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with PollerLock(state):
        pass
    lock = claim_polling(state, poll=True)
    assert lock is not None
    try:
        with pytest.raises(StateLocked):
            PollerLock(state).acquire()
    finally:
        lock.release()
    assert is_service_directory(state)


def test_a_live_poller_is_watched_and_poll_cannot_take_its_place(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with PollerLock(state, service=False):
        assert claim_polling(state) is None
        with pytest.raises(StateLocked, match="another dutyroom poller"):
            claim_polling(state, poll=True)
