"""Tailing alert transitions by id: how the console learns what changed since its last read (for the bell)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.model import AlertPhase, Identity, State, Transition
from dutyroom.room import Room, load_room
from dutyroom.store.database import Store
from dutyroom.store.records import StoreError
from dutyroom.views.store_source import StoreSource

NOW = 1772417700.0
CONFIG = """
[site]
name = "tail room"

[[target]]
id = "ups-a"
group = "power"
kind = "trap"

[[rule]]
id = "ups-on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


@pytest.fixture
def room(tmp_path: Path) -> Room:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG, encoding="utf-8")
    for language in ("en", "zh"):
        (tmp_path / "playbooks" / language).mkdir(parents=True)
    return load_room(config)


def fired(at: float, fingerprint: str = "ups") -> Transition:
    return Transition(
        at=at,
        fingerprint=fingerprint,
        rule="ups-on-battery",
        target="ups-a",
        labels=(),
        before=AlertPhase.PENDING,
        after=AlertPhase.FIRING,
        state=State.CRITICAL,
        severity="critical",
        value="1",
        reason="1 == 1",
        notify=True,
        flapping=True,
        suppressed_by="core-sw1",
    )


def test_a_reader_tails_transitions_by_id_each_once_in_the_order_recorded(store: Store) -> None:
    assert store.last_transition_id() == 0
    assert store.transitions_after(0) == []
    # Recorded out of time order on purpose: a reader tails what was recorded, in the order it was recorded.
    store.record_transitions([fired(NOW + 5, "a"), fired(NOW, "b")])
    store.record_transitions([fired(NOW + 1, "c")])

    first = store.transitions_after(0, limit=2)
    assert [transition.fingerprint for _, transition in first] == ["a", "b"]
    assert first[0][1] == fired(NOW + 5, "a"), "field for field, notify, flapping and suppression included"
    rest = store.transitions_after(first[-1][0])
    assert [transition.fingerprint for _, transition in rest] == ["c"]
    assert store.transitions_after(rest[-1][0]) == []
    assert store.last_transition_id() == rest[-1][0]


def test_each_new_transition_comes_with_one_snapshot_and_none_from_before_the_console(room: Room, store: Store) -> None:
    store.record_transitions([fired(NOW - 60, "before")])
    source = StoreSource(room, store, Identity("alice"), "viewer")
    assert source.snapshot(NOW).transitions == ()
    store.record_transitions([fired(NOW, "one"), fired(NOW, "two")])
    assert [item.fingerprint for item in source.snapshot(NOW + 1).transitions] == ["one", "two"]
    assert source.snapshot(NOW + 2).transitions == ()
    store.record_transitions([fired(NOW + 3, f"batch-{index}") for index in range(2500)])
    assert len(source.snapshot(NOW + 3).transitions) == 2500, "read in pages, none left behind"


def test_a_snapshot_that_fails_to_read_loses_no_transition(
    room: Room, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = StoreSource(room, store, Identity("alice"), "viewer")
    source.snapshot(NOW)
    store.record_transitions([fired(NOW, "one")])

    def locked() -> dict[str, str]:
        raise StoreError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(store, "load_alert_states", locked)
        with pytest.raises(StoreError):
            source.snapshot(NOW + 1)
    assert [item.fingerprint for item in source.snapshot(NOW + 2).transitions] == ["one"]
