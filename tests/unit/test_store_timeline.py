"""Events (newest first, filtered by kind) and alert transitions (oldest first, state at a period's start).

The store keeps the engine's own `Transition`: what goes in comes back, field for field.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dutyroom.model import AlertPhase, Event, State, Transition, make_labels
from dutyroom.store.database import DB_NAME, Store
from dutyroom.store.schema import MIGRATIONS
from dutyroom.store.timeline import TIMELINE_RETENTION_S


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path) as opened:
        yield opened


def transition(at: float, fingerprint: str, before: AlertPhase, after: AlertPhase, **changes: Any) -> Transition:
    made = Transition(
        at=at,
        fingerprint=fingerprint,
        rule="ups-runtime-low",
        target=f"target-{fingerprint}",
        labels=make_labels({"ups": fingerprint}),
        before=before,
        after=after,
        state=State.CRITICAL,
        severity="critical",
        value="8.5",
        reason="8.5 < 10",
        notify=after is AlertPhase.FIRING,
    )
    return replace(made, **changes)


INACTIVE, PENDING, FIRING, RESOLVED = AlertPhase


def test_events_come_back_newest_first_within_a_half_open_interval(store: Store) -> None:
    store.record_events(
        [
            Event(10.0, "agent-restarted", "ups-a", "sysUpTime went backwards", State.WARNING),
            Event(20.0, "trap", "ups-a", "upsTrapOnBattery"),
            Event(30.0, "trap", "core-sw1", "linkDown", State.CRITICAL),
        ]
    )

    events = store.events_between(10.0, 30.0)

    assert [(e.at, e.kind, e.severity) for e in events] == [
        (20.0, "trap", State.OK),
        (10.0, "agent-restarted", State.WARNING),
    ]
    assert events[1] == Event(10.0, "agent-restarted", "ups-a", "sysUpTime went backwards", State.WARNING)


def test_events_filter_by_kind_and_limit(store: Store) -> None:
    store.record_events([Event(float(i), "trap" if i % 2 else "note", "t", f"m{i}") for i in range(10)])

    assert [e.at for e in store.events_between(0, 100, kinds={"trap"}, limit=3)] == [9.0, 7.0, 5.0]
    assert len(store.events_between(0, 100, kinds=["trap", "note"])) == 10
    assert store.events_between(0, 100, kinds=set()) == []


def test_events_with_the_same_time_keep_insertion_order_reversed(store: Store) -> None:
    store.record_events([Event(5.0, "trap", "t", "first"), Event(5.0, "trap", "t", "second")])

    assert [e.message for e in store.events_between(0, 10)] == ["second", "first"]


def test_transitions_round_trip_oldest_first(store: Store) -> None:
    rows = [transition(30.0, "b", PENDING, FIRING), transition(10.0, "a", INACTIVE, PENDING)]
    drill = transition(
        20.0,
        "c",
        INACTIVE,
        FIRING,
        labels=(),
        state=State.UNREACHABLE,
        value="",
        reason="timeout after 2 s 超时",
        notify=False,
        suppressed_by="core-sw",
        flapping=True,
        drill=True,
    )
    store.record_transitions([*rows, drill])

    assert store.transitions_between(0.0, 100.0) == [rows[1], drill, rows[0]]
    assert store.transitions_between(10.0, 30.0) == [rows[1], drill]
    assert store.transitions_between(0.0, 100.0, limit=1) == [rows[1]]


def test_transitions_before_gives_each_alerts_state_when_a_period_starts(store: Store) -> None:
    store.record_transitions(
        [
            transition(10.0, "a", INACTIVE, PENDING),
            transition(20.0, "a", PENDING, FIRING),
            transition(15.0, "b", INACTIVE, FIRING),
            transition(25.0, "b", FIRING, RESOLVED),
            transition(40.0, "a", FIRING, RESOLVED),
        ]
    )

    latest = store.transitions_before(30.0)

    assert [(t.fingerprint, t.after) for t in latest] == [("a", FIRING), ("b", RESOLVED)]
    assert store.transitions_before(10.0) == []


def test_prune_drops_timeline_rows_older_than_retention(store: Store) -> None:
    now = 1_000_000_000.0
    old, recent = now - TIMELINE_RETENTION_S - 1, now - 60
    store.record_events([Event(old, "trap", "t", "old"), Event(recent, "trap", "t", "recent")])
    store.record_transitions([transition(old, "a", INACTIVE, PENDING), transition(recent, "a", PENDING, FIRING)])

    deleted = store.prune(now)

    assert (deleted["events"], deleted["transitions"]) == (1, 1)
    assert [e.message for e in store.events_between(0, now)] == ["recent"]
    assert [t.at for t in store.transitions_between(0, now)] == [recent]


def test_transitions_recorded_before_the_store_kept_whole_transitions_read_back_as_unknown(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_NAME) as connection:
        for script in MIGRATIONS[:2]:
            connection.executescript(script)
        connection.execute(
            "INSERT INTO transitions(at, fingerprint, rule, target, labels, from_state, to_state, severity, value,"
            " drill) VALUES (10.0, 'a', 'r', 't', '{\"ups\":\"a\"}', 'pending', 'firing', 'warning', '91', 1)"
        )
        connection.execute("PRAGMA user_version = 2")

    with Store.open(tmp_path) as store:
        (old,) = store.transitions_between(0.0, 100.0)

    assert old == Transition(
        at=10.0,
        fingerprint="a",
        rule="r",
        target="t",
        labels=(("ups", "a"),),
        before=PENDING,
        after=FIRING,
        state=State.UNKNOWN,
        severity="warning",
        value="91",
        reason="",
        notify=False,
        drill=True,
    )
