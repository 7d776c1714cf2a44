"""The poller's saver on a store that refuses writes: nothing raises, the backlog waits in order, retries back off,
and when space is back the engine's whole state, the backlog and a timeline note are written.

The store is real; only its write door is switched to fail the way SQLite fails on a full disk (a real
SQLITE_FULL error, raised by an in-memory database at its page limit), as the integration test on a tmpfs does.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from collectors.service.saving import StateSaver, StoreProblem, failure_reason
from dutyroom.actions_model import RunStart
from dutyroom.model import AlertPhase, Event, Identity, Sample, State, Transition
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, StoreError


def real_disk_full_error() -> sqlite3.OperationalError:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE TABLE t(x)")
        connection.execute("PRAGMA max_page_count = 2")
        connection.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as error:
        return error
    finally:
        connection.close()
    raise AssertionError("SQLite did not refuse")


class FillableStore(Store):
    """A real store whose every write can be made to fail as on a full disk; counts write attempts."""

    full = False
    attempts = 0

    @contextmanager
    def _writing(self, what: str, *, durable: bool) -> Iterator[sqlite3.Connection]:
        self.attempts += 1
        if self.full:
            error = real_disk_full_error()
            raise StoreError(f"{self.db_path}: could not {what}: {error}") from error
        with super()._writing(what, durable=durable) as connection:
            yield connection


class Engine:
    """What the saver reads of the engine: whole state, and changes since the last call."""

    def __init__(self) -> None:
        self.state: dict[str, str] = {}
        self.changed: set[str] = set()

    def set(self, key: str, blob: str) -> None:
        self.state[key] = blob
        self.changed.add(key)

    def forget(self, key: str) -> None:
        del self.state[key]
        self.changed.add(key)

    def export_all(self) -> dict[str, str]:
        return dict(self.state)

    def export_changes(self) -> tuple[dict[str, str], list[str]]:
        upserts = {key: self.state[key] for key in self.changed if key in self.state}
        deletes = [key for key in self.changed if key not in self.state]
        self.changed.clear()
        return upserts, deletes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def transition(at: float, to_state: str) -> Transition:
    return Transition(
        at,
        "fp-ups",
        "ups-on-battery",
        "ups-a",
        (),
        AlertPhase.PENDING,
        AlertPhase(to_state),
        State.CRITICAL,
        "critical",
        "1",
        "",
        notify=True,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FillableStore]:
    opened = FillableStore.open(tmp_path)
    assert isinstance(opened, FillableStore)
    with opened:
        yield opened


def test_a_full_disk_is_a_problem_to_publish_never_an_exception(
    store: FillableStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    saver = StateSaver(store, monotonic=clock)
    engine = Engine()
    store.full = True

    for second in range(5):
        clock.now += 1
        engine.set("fp-ups", f"state {second}")
        saver.save_batch(2000.0 + second, engine, [transition(2000.0 + second, "firing")], [], [], pid=1)

    assert saver.problem == StoreProblem(store.db_path, "disk full", 2000.0)
    assert saver.problem.text() == f"STATE NOT SAVED: {store.db_path}: disk full"
    assert saver.backlog == 5
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert errors == [f"STATE NOT SAVED: {store.db_path}: disk full; polling and alerting go on in memory, retrying"]


def test_retries_back_off_from_one_second_to_ten(store: FillableStore) -> None:
    clock = Clock()
    saver = StateSaver(store, monotonic=clock)
    engine = Engine()
    store.full = True
    attempted_at: list[float] = []

    for tick in range(400):  # 40 s of batches every 0.1 s
        clock.now = 1000.0 + tick / 10
        before = store.attempts
        saver.save_batch(clock.now, engine, [], [], [], pid=1)
        if store.attempts != before:
            attempted_at.append(tick / 10)

    assert attempted_at == [0.0, 1.0, 3.0, 7.0, 15.0, 25.0, 35.0]


def test_when_space_is_back_the_whole_state_and_the_backlog_are_written_in_order(store: FillableStore) -> None:
    clock = Clock()
    saver = StateSaver(store, monotonic=clock)
    engine = Engine()
    engine.set("fp-old", "resolved long ago")
    engine.set("fp-ups", "pending")
    saver.save_batch(2000.0, engine, [], [], [], pid=1)
    assert store.load_alert_states() == {"fp-old": "resolved long ago", "fp-ups": "pending"}

    store.full = True
    engine.set("fp-ups", "firing")
    engine.forget("fp-old")
    saver.save_batch(
        2001.0,
        engine,
        [transition(2001.0, "firing")],
        [Event(2001.0, "trap", "ups-a", "on battery")],
        [Sample("ups-a", "ups.on_battery", 1.0, 2001.0)],
        pid=1,
    )
    start = RunStart(
        run="r1", playbook="ups-on-battery", steps=3, two_person="", join="target", rule="ups-on-battery",
        target="ups-a", alert_started_at=2001.0, sessions="",
    )  # fmt: skip
    saver.record_action(ActionRecord(start, Identity("dutyroom-engine"), 2001.0, "fp-ups"), 2001.0)
    saver.set_meta("reload_status", "reload failed: checks.toml:3:1: nope", 2001.0)
    assert store.load_alert_states() == {"fp-old": "resolved long ago", "fp-ups": "pending"}
    assert store.transitions_between(0, 9999) == []

    store.full = False
    clock.now += 1
    saver.save_batch(2031.0, engine, [transition(2031.0, "resolved")], [], [], pid=1)

    assert saver.problem is None
    assert saver.backlog == 0
    assert store.load_alert_states() == {"fp-ups": "firing"}
    assert [record.after for record in store.transitions_between(0, 9999)] == ["firing", "resolved"]
    assert [action.kind for action in store.actions_after(0)] == ["run-start"]
    assert store.get_meta("reload_status") == "reload failed: checks.toml:3:1: nope"
    events = store.events_between(0, 9999)
    assert [event.kind for event in events] == ["store", "trap"]
    assert events[0].message == "state not saved for 30 s (disk full); 1 sample not kept"
    heartbeat = store.read_heartbeat()
    assert heartbeat is not None
    assert heartbeat.at == 2031.0


def test_the_backlog_keeps_the_newest_records_within_its_limit(store: FillableStore) -> None:
    clock = Clock()
    saver = StateSaver(store, monotonic=clock, backlog_limit=3)
    store.full = True
    for second in range(10):
        saver.save_batch(2000.0 + second, Engine(), [transition(2000.0 + second, "firing")], [], [], pid=1)
    store.full = False

    saver.save_batch(2100.0, Engine(), [], [], [], pid=1)  # the monotonic clock stood still: not yet retried
    assert saver.problem is not None
    clock.now += 1
    saver.save_batch(2100.0, Engine(), [], [], [], pid=1)
    assert saver.problem is None

    assert [record.at for record in store.transitions_between(0, 9999)] == [2007.0, 2008.0, 2009.0]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (StoreError("x"), "x"),
        (OSError(28, "No space left on device"), "disk full"),
        (OSError(5, "Input/output error"), "Input/output error"),
    ],
)
def test_reasons_are_short(error: BaseException, reason: str) -> None:
    assert failure_reason(error) == reason


def test_a_locked_database_is_named_as_sqlite_says_it() -> None:
    error = StoreError("db: could not save alert states: database is locked")
    error.__cause__ = sqlite3.OperationalError("database is locked")

    assert failure_reason(error) == "database is locked"
