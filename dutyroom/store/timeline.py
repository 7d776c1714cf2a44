"""The timeline: events (agent restarted, trap received, ...) and the engine's alert transitions, kept 400 days.

Intervals are half-open, `since <= at < until`. Events come back newest first (the timeline view);
transitions oldest first (time-in-state is computed walking forward), with `transitions_before` giving each
alert's state at the start of a period. A reader that must see each transition once (the console's bell) tails
them by id: ids grow, and pruning deletes the oldest rows (only a table left empty would number from 1 again).

Operator actions name their alert by fingerprint (a hash), which a person cannot search for: `action_subjects`
gives each action the target and rule it is about, from its own fields, the alert's transitions or its run's start.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from dutyroom.actions_model import RUN_CHANGE_TYPES, RunJoin, RunStart, Silence
from dutyroom.model import AlertPhase, Event, State, Transition
from dutyroom.store.actions import decode_action
from dutyroom.store.records import StoredAction, labels_from_json, labels_json

TIMELINE_RETENTION_S = 400 * 86400.0

# from_state and to_state (schema v1's names) hold a transition's phases, `before` and `after`.
_TRANSITION_COLUMNS = (
    "at, fingerprint, rule, target, labels, from_state, to_state, state, severity, value, reason, notify,"
    " suppressed_by, flapping, drill"
)
_TRANSITION_COLUMN_COUNT = _TRANSITION_COLUMNS.count(",") + 1


def insert_events(connection: sqlite3.Connection, events: Sequence[Event]) -> None:
    connection.executemany(
        "INSERT INTO events(at, kind, target, message, severity) VALUES (?, ?, ?, ?, ?)",
        [(float(e.at), e.kind, e.target, e.message, e.severity.value) for e in events],
    )


def select_events(
    connection: sqlite3.Connection,
    since: float,
    until: float,
    kinds: Collection[str] | None,
    limit: int,
) -> list[Event]:
    query = "SELECT at, kind, target, message, severity FROM events WHERE at >= ? AND at < ?"
    parameters: list[object] = [since, until]
    if kinds is not None:
        if not kinds:
            return []
        query += f" AND kind IN ({', '.join('?' * len(kinds))})"
        parameters.extend(kinds)
    query += " ORDER BY at DESC, id DESC LIMIT ?"
    parameters.append(limit)
    return [
        Event(float(at), str(kind), str(target), str(message), _state(str(severity)))
        for at, kind, target, message, severity in connection.execute(query, parameters)
    ]


def insert_transitions(connection: sqlite3.Connection, transitions: Sequence[Transition]) -> None:
    connection.executemany(
        f"INSERT INTO transitions({_TRANSITION_COLUMNS}) VALUES ({', '.join('?' * _TRANSITION_COLUMN_COUNT)})",
        [
            (
                float(t.at),
                t.fingerprint,
                t.rule,
                t.target,
                labels_json(t.labels),
                t.before.value,
                t.after.value,
                t.state.value,
                t.severity,
                t.value,
                t.reason,
                int(t.notify),
                t.suppressed_by,
                int(t.flapping),
                int(t.drill),
            )
            for t in transitions
        ],
    )


def select_transitions(
    connection: sqlite3.Connection, since: float, until: float, limit: int | None
) -> list[Transition]:
    rows = connection.execute(
        f"SELECT {_TRANSITION_COLUMNS} FROM transitions WHERE at >= ? AND at < ? ORDER BY at, id LIMIT ?",
        (since, until, -1 if limit is None else limit),
    )
    return [_transition(row) for row in rows]


def select_transitions_after(connection: sqlite3.Connection, after_id: int, limit: int) -> list[tuple[int, Transition]]:
    """(id, transition) of transitions recorded after the one numbered `after_id`, in the order recorded."""
    rows = connection.execute(
        f"SELECT id, {_TRANSITION_COLUMNS} FROM transitions WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
    )
    return [(int(row[0]), _transition(row[1:])) for row in rows]


def last_transition_id(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT coalesce(max(id), 0) FROM transitions").fetchone()
    return int(row[0])


def select_transitions_before(connection: sqlite3.Connection, at: float) -> list[Transition]:
    """Each alert's latest transition before `at`: its state when a period starting at `at` began."""
    rows = connection.execute(
        f"SELECT {_TRANSITION_COLUMNS} FROM ("
        f" SELECT {_TRANSITION_COLUMNS}, row_number() OVER"
        "  (PARTITION BY fingerprint ORDER BY at DESC, id DESC) AS newest_first"
        " FROM transitions WHERE at < ?)"
        " WHERE newest_first = 1 ORDER BY at, fingerprint",
        (at,),
    )
    return [_transition(row) for row in rows]


@dataclass(frozen=True, slots=True)
class ActionSubject:
    """What an operator action is about, in the words a person filters by ("" where it names none)."""

    target: str
    rule: str


_NO_SUBJECT = ActionSubject("", "")
_QUERY_CHUNK = 500
"""Fingerprints and run ids per `IN (...)` query: below SQLite's default limit of 999 parameters."""


def select_action_subjects(connection: sqlite3.Connection, actions: Sequence[StoredAction]) -> dict[int, ActionSubject]:
    """Each action's target and rule, by action id.

    A silence and a run's start or join carry their own; any other action is about its alert (resolved through
    the transitions that alert left, so rows written before actions carried more resolve too) or, failing that,
    about the alert that started its run. An action none of these resolve maps to empty words.
    """
    fingerprints = {action.alert for action in actions if action.alert}
    by_alert = select_alert_subjects(connection, fingerprints)
    run_ids = {
        action.action.run
        for action in actions
        if isinstance(action.action, RUN_CHANGE_TYPES) and action.alert not in by_alert
    }
    by_run = _run_subjects(connection, run_ids)
    subjects: dict[int, ActionSubject] = {}
    for stored in actions:
        action = stored.action
        if isinstance(action, Silence | RunStart | RunJoin):
            subjects[stored.id] = ActionSubject(action.target, action.rule)
        elif stored.alert in by_alert:
            subjects[stored.id] = by_alert[stored.alert]
        elif isinstance(action, RUN_CHANGE_TYPES):
            subjects[stored.id] = by_run.get(action.run, _NO_SUBJECT)
        else:
            subjects[stored.id] = _NO_SUBJECT
    return subjects


def select_alert_subjects(connection: sqlite3.Connection, fingerprints: Collection[str]) -> dict[str, ActionSubject]:
    """The target and rule of each alert fingerprint that left a transition (unknown ones are left out)."""
    found: dict[str, ActionSubject] = {}
    ordered = sorted(fingerprints)
    for start in range(0, len(ordered), _QUERY_CHUNK):
        chunk = ordered[start : start + _QUERY_CHUNK]
        rows = connection.execute(
            "SELECT fingerprint, target, rule FROM transitions"
            f" WHERE fingerprint IN ({', '.join('?' * len(chunk))}) GROUP BY fingerprint",
            chunk,
        )
        found.update((str(fingerprint), ActionSubject(str(target), str(rule))) for fingerprint, target, rule in rows)
    return found


def _run_subjects(connection: sqlite3.Connection, run_ids: Collection[str]) -> dict[str, ActionSubject]:
    if not run_ids:
        return {}
    found: dict[str, ActionSubject] = {}
    for kind, payload in connection.execute("SELECT kind, payload FROM actions WHERE kind = 'run-start'"):
        start = decode_action(str(kind), str(payload))
        if isinstance(start, RunStart) and start.run in run_ids:
            found[start.run] = ActionSubject(start.target, start.rule)
    return found


def prune_timeline(connection: sqlite3.Connection, now: float) -> dict[str, int]:
    cutoff = now - TIMELINE_RETENTION_S
    return {
        table: max(connection.execute(f"DELETE FROM {table} WHERE at < ?", (cutoff,)).rowcount, 0)
        for table in ("events", "transitions")
    }


def _transition(row: tuple[Any, ...]) -> Transition:
    (
        at,
        fingerprint,
        rule,
        target,
        labels,
        before,
        after,
        state,
        severity,
        value,
        reason,
        notify,
        suppressed_by,
        flapping,
        drill,
    ) = row
    return Transition(
        at=float(at),
        fingerprint=str(fingerprint),
        rule=str(rule),
        target=str(target),
        labels=labels_from_json(str(labels)),
        before=_phase(str(before)),
        after=_phase(str(after)),
        state=_state(str(state)),
        severity=str(severity),
        value=str(value),
        reason=str(reason),
        notify=bool(notify),
        suppressed_by=str(suppressed_by),
        flapping=bool(flapping),
        drill=bool(drill),
    )


def _state(text: str) -> State:
    try:
        return State(text)
    except ValueError:
        return State.UNKNOWN


def _phase(text: str) -> AlertPhase:
    """A stored phase; text no dutyroom wrote reads as inactive (it ends an incident rather than the report)."""
    try:
        return AlertPhase(text)
    except ValueError:
        return AlertPhase.INACTIVE
