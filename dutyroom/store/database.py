"""Durable state in a state directory: `dutyroom.db`, shared by the poller, every console and CLI one-shots.

SQLite in WAL mode with a 5 s busy timeout, so readers never wait for writers and writers queue. Operator
actions are committed with `synchronous=FULL` before `record_action` returns: a caller may show an action as
done only after that, and an action that raised was not recorded. Engine state, timeline and metric history
use `synchronous=NORMAL` (a power cut may lose their last moments, never corrupt them). Each action is
written together with its keyed, hash-chained audit record (see `dutyroom.store.audit`) in one transaction; a
Store opened for writing holds the audit key (`dutyroom.store.audit_key`), a read-only one when it can. Metric
history retention is documented in `dutyroom.store.history`, the timeline's in `dutyroom.store.timeline`.

A Store is used by one thread at a time (a lock serialises stray concurrent calls); processes each open
their own Store on the same state directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from dutyroom.model import Event, Identity, Labels, Sample, Transition
from dutyroom.store.actions import insert_action, last_action_id, select_actions_after, select_actions_between
from dutyroom.store.audit import GENESIS_HASH, REFUSAL_KIND, append_audit, detail_text, seal_chain
from dutyroom.store.audit_key import AuditKey, AuditKeyError, load_or_create_key, read_key
from dutyroom.store.audit_trail import AuditFilter, AuditRecord, select_audit_records
from dutyroom.store.audit_verify import AuditReport, RecordedHead
from dutyroom.store.audit_verify import verify_connection as _verify_connection
from dutyroom.store.beacon import read_beacon
from dutyroom.store.history import MetricHistory
from dutyroom.store.records import (
    ACTION_KIND_PATTERN,
    ActionRecord,
    Heartbeat,
    MinuteRollup,
    PayloadValue,
    StoredAction,
    StoreError,
    canonical_json,
    validated_payload,
)
from dutyroom.store.schema import DB_NAME, open_database, open_existing_database
from dutyroom.store.timeline import (
    ActionSubject,
    insert_events,
    insert_transitions,
    last_transition_id,
    prune_timeline,
    select_action_subjects,
    select_alert_subjects,
    select_events,
    select_transitions,
    select_transitions_after,
    select_transitions_before,
)

__all__ = [
    "DB_NAME",
    "ActionRecord",
    "AuditReport",
    "Heartbeat",
    "MinuteRollup",
    "Store",
    "StoreError",
    "StoredAction",
]

HEARTBEAT_KEY = "poller.heartbeat"


class Store:
    """The state directory's database: `Store.open(state_dir)`; close it, or use it as a context manager."""

    def __init__(
        self, connection: sqlite3.Connection, db_path: Path, key: AuditKey | None = None, key_problem: str = ""
    ) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._db_path = db_path
        self._lock = threading.Lock()
        self._history = MetricHistory()
        self._key = key
        self._key_problem = key_problem

    @classmethod
    def open(cls, state_dir: Path) -> Store:
        """Open (creating if needed: directory 0700, database, schema, audit key) the store in `state_dir`."""
        connection, db_path = open_database(Path(state_dir))
        return cls._keyed_writer(connection, db_path)

    @classmethod
    def open_existing(cls, state_dir: Path, *, read_only: bool = True) -> Store:
        """Open the store of an existing state directory, creating nothing: a missing directory or database is a
        StoreError. Read-only by default (what the read commands use: a mistyped --state must never look like an
        empty, all-clear room); `read_only=False` for commands that record into a room that must already exist."""
        connection, db_path = open_existing_database(Path(state_dir), read_only=read_only)
        if not read_only:
            return cls._keyed_writer(connection, db_path)
        try:
            return cls(connection, db_path, read_key(db_path.parent))
        except AuditKeyError as error:
            return cls(connection, db_path, None, str(error))

    @classmethod
    def _keyed_writer(cls, connection: sqlite3.Connection, db_path: Path) -> Store:
        """A writer holds the key (created on first use) and starts keying a log written before keys."""
        try:
            key = load_or_create_key(db_path.parent)
        except (AuditKeyError, OSError) as error:
            connection.close()
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise StoreError(f"{db_path}: cannot open for writing: {reason}") from None
        store = cls(connection, db_path, key)
        try:
            with store._writing("start keying the audit log", durable=True) as writing:
                seal_chain(writing, key, time.time())
        except BaseException:
            store.close()
            raise
        return store

    @property
    def db_path(self) -> Path:
        return self._db_path

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Operator actions and the audit log (synchronous=FULL: durable when the call returns).

    def record_action(self, action: ActionRecord) -> StoredAction:
        """Commit an action and its audit record durably.

        Raises ValueError for an invalid action and StoreError when the database refused it (locked past the
        busy timeout, disk full, ...); either way nothing was recorded.
        """
        with self._writing(f"record the {action.kind}", durable=True) as connection:
            return insert_action(connection, action, self._writer_key())

    def record_refusal(
        self, actor: Identity, kind: str, reason: str, alert: str = "", *, at: float | None = None
    ) -> int:
        """Audit an attempt that was refused (e.g. a viewer trying to ack); returns the audit seq."""
        return self.record_audit(actor, REFUSAL_KIND, {"attempted": kind, "alert": alert, "reason": reason}, at=at)

    def record_audit(
        self, actor: Identity, kind: str, detail: Mapping[str, PayloadValue], *, at: float | None = None
    ) -> int:
        """Audit something that is not an action (config reloaded, handover written); returns the seq."""
        if not ACTION_KIND_PATTERN.fullmatch(kind):
            raise ValueError(f"audit kind {kind!r} is not a short lowercase word")
        text = detail_text(validated_payload(detail))
        when = time.time() if at is None else float(at)
        with self._writing(f"audit {kind}", durable=True) as connection:
            return append_audit(connection, when, actor, kind, text, self._writer_key())

    def audit_head(self) -> tuple[int, str]:
        """(seq, hash) of the newest audit record as the head stores it; (0, 64 zeros) for an empty log. What is
        published outside the database (serve's log, a signed handover) to be checked later."""
        with self._reading("read the audit head") as connection:
            row = connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)

    def actions_after(self, after_id: int, limit: int = 1000) -> list[StoredAction]:
        """Actions with id > after_id, oldest first: tail the table by remembering the last id seen."""
        with self._reading("read actions") as connection:
            return select_actions_after(connection, after_id, limit)

    def actions_between(self, since: float, until: float, limit: int | None = None) -> list[StoredAction]:
        """Actions with since <= at < until, oldest first."""
        with self._reading("read actions") as connection:
            return select_actions_between(connection, since, until, limit)

    def last_action_id(self) -> int:
        """The newest action's id (0 when none): where a new viewer starts tailing."""
        with self._reading("read actions") as connection:
            return last_action_id(connection)

    def verify_audit(self, recorded: RecordedHead | None = None) -> AuditReport:
        """Check the chain with this store's key; `recorded` also checks a head published outside the database."""
        with self._reading("verify the audit log") as connection:
            return _verify_connection(connection, self._key, self._key_problem, recorded)

    def audit_records(self, chosen: AuditFilter) -> list[AuditRecord]:
        """The audit log's records that `chosen` picks, in the order written (`dutyroom audit list`)."""
        with self._reading("read the audit log") as connection:
            return select_audit_records(connection, chosen)

    # Alert engine state and meta values (synchronous=NORMAL).

    def save_alert_states(self, upserts: Mapping[str, str], deletes: Iterable[str] = ()) -> None:
        """Replace the given fingerprints' opaque state blobs and delete others, in one transaction."""
        with self._writing("save alert states", durable=False) as connection:
            connection.executemany(
                "INSERT INTO alert_states(fingerprint, state) VALUES (?, ?)"
                " ON CONFLICT(fingerprint) DO UPDATE SET state = excluded.state",
                list(upserts.items()),
            )
            connection.executemany(
                "DELETE FROM alert_states WHERE fingerprint = ?", [(fingerprint,) for fingerprint in deletes]
            )

    def load_alert_states(self) -> dict[str, str]:
        with self._reading("load alert states") as connection:  # both columns TEXT: rows are (str, str) pairs
            return dict(connection.execute("SELECT fingerprint, state FROM alert_states"))

    def set_meta(self, key: str, value: str) -> None:
        with self._writing(f"set {key}", durable=False) as connection:
            connection.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def get_meta(self, key: str) -> str | None:
        with self._reading(f"read {key}") as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def write_heartbeat(self, at: float, pid: int | None = None) -> None:
        """The poller calls this every tick; consoles compare its age with a limit (see `read_heartbeat`)."""
        self.set_meta(HEARTBEAT_KEY, canonical_json({"at": float(at), "pid": os.getpid() if pid is None else pid}))

    def read_heartbeat(self) -> Heartbeat | None:
        """The poller's last heartbeat, or None when no poller ever ran here (or the value is unreadable).

        The newer of the database's row and the beacon's beat: while the disk is full only the beacon beats.
        """
        beats = [self._database_heartbeat()]
        beacon = read_beacon(self._db_path.parent)
        if beacon is not None:
            beats.append(Heartbeat(at=beacon.at, pid=beacon.pid))
        return max((beat for beat in beats if beat is not None), key=lambda beat: beat.at, default=None)

    def _database_heartbeat(self) -> Heartbeat | None:
        text = self.get_meta(HEARTBEAT_KEY)
        if text is None:
            return None
        try:
            data: dict[str, Any] = json.loads(text)
            return Heartbeat(at=float(data["at"]), pid=int(data["pid"]))
        except (ValueError, KeyError, TypeError):
            return None

    # Timeline (synchronous=NORMAL).

    def record_events(self, events: Sequence[Event]) -> None:
        with self._writing("record events", durable=False) as connection:
            insert_events(connection, events)

    def events_between(
        self, since: float, until: float, kinds: Collection[str] | None = None, limit: int = 1000
    ) -> list[Event]:
        """Events with since <= at < until (optionally of the given kinds), newest first."""
        with self._reading("read events") as connection:
            return select_events(connection, since, until, kinds, limit)

    def record_transitions(self, transitions: Sequence[Transition]) -> None:
        """Keep the engine's transitions as they are, for the timeline and time-in-state reports."""
        with self._writing("record alert transitions", durable=False) as connection:
            insert_transitions(connection, transitions)

    def transitions_between(self, since: float, until: float, limit: int | None = None) -> list[Transition]:
        """Transitions with since <= at < until, oldest first."""
        with self._reading("read alert transitions") as connection:
            return select_transitions(connection, since, until, limit)

    def transitions_after(self, after_id: int, limit: int = 1000) -> list[tuple[int, Transition]]:
        """(id, transition) with id > after_id, in the order recorded: tail them by remembering the last id."""
        with self._reading("read alert transitions") as connection:
            return select_transitions_after(connection, after_id, limit)

    def last_transition_id(self) -> int:
        """The newest transition's id (0 when none): where a new reader starts tailing."""
        with self._reading("read alert transitions") as connection:
            return last_transition_id(connection)

    def transitions_before(self, at: float) -> list[Transition]:
        """Each alert's latest transition before `at` (its state when a report period starts)."""
        with self._reading("read alert transitions") as connection:
            return select_transitions_before(connection, at)

    def action_subjects(self, actions: Sequence[StoredAction]) -> dict[int, ActionSubject]:
        """The target and rule each action is about, by action id (its alert is only a fingerprint)."""
        with self._reading("read alert transitions") as connection:
            return select_action_subjects(connection, actions)

    def alert_subjects(self, fingerprints: Collection[str]) -> dict[str, ActionSubject]:
        """The target and rule of each alert fingerprint the transitions know."""
        with self._reading("read alert transitions") as connection:
            return select_alert_subjects(connection, fingerprints)

    # Metric history (synchronous=NORMAL; retention in dutyroom.store.history).

    def record_samples(self, samples: Sequence[Sample]) -> None:
        """Store a batch of samples in one transaction (text values only update the latest value)."""
        with self._writing("record samples", durable=False) as connection:
            new_series = self._history.record(connection, samples)
        self._history.remember(new_series)

    def series_of(self, target: str) -> list[tuple[str, Labels, str]]:
        """The (metric, labels, unit) of every series recorded for `target`, sorted."""
        with self._reading("read series") as connection:
            return self._history.series_of(connection, target)

    def latest_sample(self, target: str, metric: str, labels: Labels) -> tuple[float | str, float] | None:
        """(value, at) of the newest sample of a series, text values included; None if never recorded."""
        with self._reading("read the latest sample") as connection:
            return self._history.latest(connection, target, metric, labels)

    def raw_series(self, target: str, metric: str, labels: Labels, since: float) -> list[tuple[float, float]]:
        """(at, value) pairs since `since`, oldest first (kept one hour: for sparklines)."""
        with self._reading("read samples") as connection:
            return self._history.raw_series(connection, target, metric, labels, since)

    def minute_series(self, target: str, metric: str, labels: Labels, since: float) -> list[MinuteRollup]:
        """Minute roll-ups from the minute containing `since`, oldest first (kept 48 hours)."""
        with self._reading("read minute roll-ups") as connection:
            return self._history.minute_series(connection, target, metric, labels, since)

    def peak_since(self, target: str, metric: str, labels: Labels, since: float) -> float | None:
        """The highest value recorded since `since` (daily peaks kept 400 days), None without data."""
        with self._reading("read peaks") as connection:
            return self._history.peak_since(connection, target, metric, labels, since)

    def prune(self, now: float) -> dict[str, int]:
        """Delete history and timeline rows beyond retention; returns rows deleted per table."""
        with self._writing("prune history", durable=False) as connection:
            deleted = self._history.prune(connection, now)
            deleted.update(prune_timeline(connection, now))
        return deleted

    # Transactions.

    @contextmanager
    def _writing(self, what: str, *, durable: bool) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: waits up to the busy timeout for other writers)."""
        with self._lock:
            connection = self._open_connection()
            try:
                connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                connection.execute("BEGIN IMMEDIATE")
                yield connection
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(connection)
                raise StoreError(f"{self._db_path}: could not {what}: {exc}") from exc
            except BaseException:
                _rollback(connection)
                raise

    @contextmanager
    def _reading(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._open_connection()
            try:
                yield connection
            except sqlite3.Error as exc:
                raise StoreError(f"{self._db_path}: could not {what}: {exc}") from exc

    def _writer_key(self) -> AuditKey:
        if self._key is None:
            raise StoreError(f"{self._db_path}: opened read-only, cannot write the audit log")
        return self._key

    def _open_connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"{self._db_path}: the store is closed")
        return self._connection


def _rollback(connection: sqlite3.Connection) -> None:
    # The original error is the one to report; SQLite rolls back on close anyway.
    if connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def verify_audit(source: Store | Path | str) -> AuditReport:
    """Check the chain of a Store, a state directory, or a dutyroom.db file (opened read-only)."""
    if not isinstance(source, str | Path):
        return source.verify_audit()
    path = Path(source)
    if path.is_dir():
        path = path / "dutyroom.db"
    if not path.is_file():
        return AuditReport(ok=False, records=0, problem=f"{path}: no such database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        return AuditReport(ok=False, records=0, problem=f"{path}: cannot open: {exc}")
    try:
        key = read_key(path.parent)
    except AuditKeyError as error:
        connection.close()
        return AuditReport(ok=False, records=0, problem=f"cannot check the keyed chain: {error}", checked=False)
    try:
        return _verify_connection(connection, key)
    finally:
        connection.close()
