"""The poller's writes to the store, carried through a full disk: polling and alerting never wait for SQLite.

Each batch's outcome is written as before, one short transaction per kind. When a write fails (disk full, an I/O
error, a lock held past the busy timeout) nothing is lost that can be kept: transitions, events, run actions the
engine starts and meta values wait in a bounded backlog, in order; samples are dropped (the history gets a gap,
and the timeline says so once the state is saved again); and because the engine's state changes exported
meanwhile were never written, the engine's whole state is written at the next success. Retries back off from
1 s to 10 s on the monotonic clock (a wall-clock jump must not stall them); each is one small transaction, cheap
even when it fails again. The problem is kept as a `StoreProblem` for the poller to publish (beacon, STATUS, log).
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dutyroom.model import Event, Sample, State, Transition
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, StoreError

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 10.0
BACKLOG_LIMIT = 10_000
"""Transitions and events kept per kind while the store refuses writes; the oldest go first beyond it."""
ACTION_BACKLOG_LIMIT = 1_000
PRUNE_EVERY_S = 300.0


class ExportsState(Protocol):
    """The part of the engine whose state the saver writes."""

    def export_all(self) -> dict[str, str]: ...

    def export_changes(self) -> tuple[dict[str, str], list[str]]: ...


@dataclass(frozen=True, slots=True)
class StoreProblem:
    """Why the state is not being saved, since when (wall clock, for people)."""

    path: Path
    reason: str
    since: float

    def text(self) -> str:
        return f"STATE NOT SAVED: {self.path}: {self.reason}"


def failure_reason(error: BaseException) -> str:
    """A short reason for a failed write: 'disk full' for SQLITE_FULL and ENOSPC, else the library's words."""
    cause = error.__cause__ if isinstance(error, StoreError) and error.__cause__ is not None else error
    if isinstance(cause, sqlite3.Error):
        if getattr(cause, "sqlite_errorname", "") == "SQLITE_FULL":
            return "disk full"
        return str(cause) or type(cause).__name__
    if isinstance(cause, OSError):
        if cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk full"
        return cause.strerror or str(cause)
    return str(cause).rpartition(": ")[2] or type(cause).__name__


def describe_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class StateSaver:
    """Writes the poller's outcomes to `store`; never raises for a store that refuses (see the module)."""

    def __init__(
        self,
        store: Store,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        backoff_first_s: float = BACKOFF_FIRST_S,
        backoff_max_s: float = BACKOFF_MAX_S,
        backlog_limit: int = BACKLOG_LIMIT,
    ) -> None:
        self.store = store
        self.problem: StoreProblem | None = None
        self._monotonic = monotonic
        self._backoff_first_s = backoff_first_s
        self._backoff_max_s = backoff_max_s
        self._delay_s = 0.0
        self._retry_at = 0.0
        self._state_due = False
        self._actions: deque[ActionRecord] = deque(maxlen=ACTION_BACKLOG_LIMIT)
        self._transitions: deque[Transition] = deque(maxlen=backlog_limit)
        self._events: deque[Event] = deque(maxlen=backlog_limit)
        self._meta: dict[str, str] = {}
        self._samples_not_kept = 0
        self._last_prune = 0.0

    @property
    def backlog(self) -> int:
        """Records waiting to be written (actions, transitions, events, meta values)."""
        return len(self._actions) + len(self._transitions) + len(self._events) + len(self._meta)

    def save_batch(
        self,
        now: float,
        engine: ExportsState,
        transitions: Sequence[Transition],
        events: Sequence[Event],
        samples: Sequence[Sample],
        pid: int,
    ) -> None:
        """One batch: engine state changes, transitions, events, samples, heartbeat (and a prune now and then)."""
        self._transitions.extend(transitions)
        self._events.extend(events)
        upserts, deletes = engine.export_changes()
        if not self._may_write():
            self._state_due = True  # what export_changes just handed over is written with the whole state later
            self._samples_not_kept += len(samples)
            return
        try:
            self._write_state(engine, upserts, deletes)
            self._flush()
            if samples:
                self.store.record_samples(samples)
            self.store.write_heartbeat(now, pid)
            if now - self._last_prune >= PRUNE_EVERY_S:
                self.store.prune(now)
                self._last_prune = now
        except (StoreError, OSError) as error:
            self._samples_not_kept += len(samples)
            self._failed(error, now)
            return
        self._recovered(now)

    def record_action(self, action: ActionRecord, now: float) -> None:
        """Commit an action the poller itself takes (a playbook run start), or keep it for the next success."""
        self._actions.append(action)
        self._write_backlog(now)

    def record_events(self, events: Sequence[Event], now: float) -> None:
        self._events.extend(events)
        self._write_backlog(now)

    def set_meta(self, key: str, value: str, now: float) -> None:
        self._meta[key] = value
        self._write_backlog(now)

    def _may_write(self) -> bool:
        return self.problem is None or self._monotonic() >= self._retry_at

    def _write_backlog(self, now: float) -> None:
        if not self._may_write():
            return
        try:
            self._flush()
        except (StoreError, OSError) as error:
            self._failed(error, now)

    def _write_state(self, engine: ExportsState, upserts: dict[str, str], deletes: list[str]) -> None:
        if self._state_due:
            upserts = engine.export_all()
            deletes = sorted(set(self.store.load_alert_states()) - set(upserts))
        self._state_due = True  # until the write below has committed
        if upserts or deletes:
            self.store.save_alert_states(upserts, deletes)
        self._state_due = False

    def _flush(self) -> None:
        """Write the backlog oldest kind first; each kind leaves the backlog only once committed."""
        while self._actions:
            self.store.record_action(self._actions[0])
            self._actions.popleft()
        if self._transitions:
            self.store.record_transitions(list(self._transitions))
            self._transitions.clear()
        if self._events:
            self.store.record_events(list(self._events))
            self._events.clear()
        for key, value in list(self._meta.items()):
            self.store.set_meta(key, value)
            del self._meta[key]

    def _failed(self, error: BaseException, now: float) -> None:
        reason = failure_reason(error)
        previous = self.problem
        self.problem = StoreProblem(self.store.db_path, reason, previous.since if previous else now)
        if previous is None or previous.reason != reason:
            log.error("%s; polling and alerting go on in memory, retrying", self.problem.text())
        self._delay_s = min(self._backoff_max_s, self._delay_s * 2) if self._delay_s else self._backoff_first_s
        self._retry_at = self._monotonic() + self._delay_s

    def _recovered(self, now: float) -> None:
        problem = self.problem
        if problem is None:
            return
        self.problem = None
        self._delay_s = 0.0
        lasted = describe_duration(now - problem.since)
        log.info("state saved again in %s after %s without saving (%s)", problem.path, lasted, problem.reason)
        dropped = self._samples_not_kept
        message = (
            f"state not saved for {lasted} ({problem.reason}); {dropped} sample{'' if dropped == 1 else 's'} not kept"
        )
        self._samples_not_kept = 0
        self.record_events([Event(now, "store", "dutyroom", message, State.WARNING)], now)
