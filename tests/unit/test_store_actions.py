"""Operator actions: committed durably with their audit record, tailed by id, read by time, validated."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.model import Identity
from dutyroom.store.database import ActionRecord, Store, StoreError
from dutyroom.store.records import PayloadValue

ALICE = Identity("alice", sudo_user="", ssh_client="10.0.0.5", roles=("operator",))
BOB = Identity("root", sudo_user="bob")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def test_record_action_returns_the_stored_action(store: Store) -> None:
    action = ActionRecord("ack", ALICE, 1_000.0, "fp-ups", {"comment": "on it", "minutes": 30})

    stored = store.record_action(action)

    assert stored.id == 1
    assert stored.audit_seq == 1
    assert (stored.kind, stored.at, stored.alert, stored.drill) == ("ack", 1_000.0, "fp-ups", False)
    assert dict(stored.payload) == {"comment": "on it", "minutes": 30}
    assert stored.actor == Identity("alice", ssh_client="10.0.0.5")  # roles are configuration, not stored
    assert stored.record.kind == "ack"


def test_a_second_store_sees_the_action_once_record_action_returned(tmp_path: Path) -> None:
    with Store.open(tmp_path) as writer, Store.open(tmp_path) as viewer:
        seen_before = viewer.last_action_id()
        writer.record_action(ActionRecord("note", BOB, 5.0, "fp-a", {"comment": "called the vendor"}))

        new_actions = viewer.actions_after(seen_before)

    assert [(a.kind, a.actor.sudo_user, a.payload["comment"]) for a in new_actions] == [
        ("note", "bob", "called the vendor")
    ]


def test_actions_after_tails_by_id_in_order_and_honours_the_limit(store: Store) -> None:
    for index in range(5):
        store.record_action(ActionRecord("step", ALICE, 10.0 + index, "fp-a", {"step": index}))

    assert [a.id for a in store.actions_after(0)] == [1, 2, 3, 4, 5]
    assert [a.id for a in store.actions_after(3)] == [4, 5]
    assert [a.id for a in store.actions_after(1, limit=2)] == [2, 3]
    assert store.actions_after(5) == []
    assert store.last_action_id() == 5


def test_actions_between_is_half_open_and_oldest_first(store: Store) -> None:
    for at in (30.0, 10.0, 20.0, 40.0):
        store.record_action(ActionRecord("note", ALICE, at, payload={"comment": f"at {at}"}))

    between = store.actions_between(10.0, 40.0)

    assert [a.at for a in between] == [10.0, 20.0, 30.0]
    assert [a.at for a in store.actions_between(0.0, 100.0, limit=2)] == [10.0, 20.0]


def test_all_payload_scalar_types_and_drill_round_trip(store: Store) -> None:
    payload: dict[str, PayloadValue] = {"text": "温度高 ✖", "int": 3, "float": 2.5, "yes": True, "none": None}
    store.record_action(ActionRecord("drill", ALICE, 7, "fp-x", payload, drill=True))

    (stored,) = store.actions_after(0)

    assert dict(stored.payload) == payload
    assert stored.drill is True
    assert stored.at == 7.0


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (ActionRecord("ACK", ALICE, 1.0), "kind"),
        (ActionRecord("ack; drop", ALICE, 1.0), "kind"),
        (ActionRecord("ack", ALICE, float("nan")), "time"),
        (ActionRecord("note", ALICE, 1.0, payload={"nested": {"a": 1}}), "nested"),  # type: ignore[dict-item]
        (ActionRecord("note", ALICE, 1.0, payload={"x": float("inf")}), "finite"),
        (ActionRecord("note", ALICE, 1.0, payload={"comment": "x" * 70_000}), "longer"),
    ],
)
def test_invalid_actions_are_refused_and_nothing_is_stored(store: Store, action: ActionRecord, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.record_action(action)

    assert store.actions_after(0) == []
    assert store.verify_audit().records == 0


def test_record_action_commits_with_synchronous_full(store: Store) -> None:
    statements: list[str] = []
    store._connection.set_trace_callback(statements.append)  # type: ignore[union-attr]

    store.record_action(ActionRecord("ack", ALICE, 1.0, "fp"))
    store.record_samples([])

    begins = [i for i, text in enumerate(statements) if text.startswith("BEGIN IMMEDIATE")]
    assert statements[begins[0] - 1] == "PRAGMA synchronous = FULL"
    assert statements[begins[1] - 1] == "PRAGMA synchronous = NORMAL"


def test_a_failed_write_raises_store_error_naming_the_database_and_records_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, sqlite3.connect(tmp_path / "dutyroom.db", timeout=0) as blocker:
        blocker.execute("CREATE TRIGGER refuse BEFORE INSERT ON actions BEGIN SELECT RAISE(ABORT, 'no'); END")
        blocker.commit()

        with pytest.raises(StoreError, match=str(tmp_path / "dutyroom.db")):
            store.record_action(ActionRecord("ack", ALICE, 1.0, "fp"))

        assert store.actions_after(0) == []
        assert store.verify_audit().records == 0  # the audit append was rolled back with the action


def test_record_refusal_is_audited_but_is_not_an_action(store: Store) -> None:
    seq = store.record_refusal(BOB, "ack", "bob is a viewer", alert="fp-ups", at=12.0)

    report = store.verify_audit()

    assert seq == 1
    assert store.actions_after(0) == []
    assert (report.ok, report.records) == (True, 1)


def test_record_audit_takes_json_scalars_and_a_short_kind(store: Store) -> None:
    store.record_audit(ALICE, "config-reload", {"ok": False, "problems": 2}, at=3.0)

    with pytest.raises(ValueError, match="kind"):
        store.record_audit(ALICE, "Config Reload", {})
    assert store.verify_audit().records == 1


def test_a_closed_store_refuses_calls(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.close()
    store.close()  # closing twice is harmless

    with pytest.raises(StoreError, match="closed"):
        store.actions_after(0)
