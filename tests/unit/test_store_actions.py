"""Operator actions: committed durably with their audit record, tailed by id, read by time, validated."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.actions_model import Ack, DrillEvent, Note, OperatorAction, Silence, StepTick, UnreadableAction
from dutyroom.model import Identity
from dutyroom.store.actions import last_action_id
from dutyroom.store.audit import action_detail_text, append_audit
from dutyroom.store.audit_key import read_key
from dutyroom.store.database import ActionRecord, Store, StoreError
from dutyroom.store.records import canonical_json, identity_json

ALICE = Identity("alice", sudo_user="", ssh_client="10.0.0.5", roles=("operator",))
BOB = Identity("root", sudo_user="bob")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def test_record_action_returns_the_stored_action(store: Store) -> None:
    action = ActionRecord(Ack(comment="on it", expires_at=2_800.0), ALICE, 1_000.0, "fp-ups")

    stored = store.record_action(action)

    assert stored.id == 1
    assert stored.audit_seq == 1
    assert (stored.kind, stored.at, stored.alert, stored.drill) == ("ack", 1_000.0, "fp-ups", False)
    assert stored.action == Ack(comment="on it", expires_at=2_800.0)
    assert dict(stored.payload) == {"comment": "on it", "expires_at": 2_800.0}
    assert stored.actor == Identity("alice", ssh_client="10.0.0.5")  # roles are configuration, not stored


def test_a_second_store_sees_the_action_once_record_action_returned(tmp_path: Path) -> None:
    with Store.open(tmp_path) as writer, Store.open(tmp_path) as viewer:
        seen_before = viewer.last_action_id()
        writer.record_action(ActionRecord(Note(text="called the vendor"), BOB, 5.0, "fp-a"))

        new_actions = viewer.actions_after(seen_before)

    assert [(a.action, a.actor.sudo_user) for a in new_actions] == [(Note(text="called the vendor"), "bob")]


def test_actions_after_tails_by_id_in_order_and_honours_the_limit(store: Store) -> None:
    for index in range(5):
        store.record_action(ActionRecord(StepTick(run="r1", step=index), ALICE, 10.0 + index, "fp-a"))

    assert [a.id for a in store.actions_after(0)] == [1, 2, 3, 4, 5]
    assert [a.id for a in store.actions_after(3)] == [4, 5]
    assert [a.id for a in store.actions_after(1, limit=2)] == [2, 3]
    assert store.actions_after(5) == []
    assert store.last_action_id() == 5


def test_actions_between_is_half_open_and_oldest_first(store: Store) -> None:
    for at in (30.0, 10.0, 20.0, 40.0):
        store.record_action(ActionRecord(Note(text=f"at {at}"), ALICE, at))

    between = store.actions_between(10.0, 40.0)

    assert [a.at for a in between] == [10.0, 20.0, 30.0]
    assert [a.at for a in store.actions_between(0.0, 100.0, limit=2)] == [10.0, 20.0]


def test_text_numbers_and_drill_round_trip(store: Store) -> None:
    announced = DrillEvent(drill="ups-test", event="started", title="温度高 ✖")
    store.record_action(ActionRecord(announced, ALICE, 7, "fp-x", drill=True))
    silence = Silence(rule="r", target="", group="", comment="c", start=1.5, end=3601.5)
    store.record_action(ActionRecord(silence, ALICE, 8.0))

    first, second = store.actions_after(0)

    assert (first.action, first.drill, first.at) == (announced, True, 7.0)
    assert (second.action, second.drill) == (silence, False)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (ActionRecord(Ack(comment="x"), ALICE, float("nan")), "time"),
        (ActionRecord(Ack(comment="x", expires_at=float("inf")), ALICE, 1.0), "finite"),
        (ActionRecord(Note(text="x" * 70_000), ALICE, 1.0), "longer"),
        (ActionRecord(Note(text=3), ALICE, 1.0), "Expected `str`"),  # type: ignore[arg-type]
        (ActionRecord(Note(text="x"), ALICE, 1.0, alert=None), "alert"),  # type: ignore[arg-type]
        (ActionRecord({"kind": "note", "text": "x"}, ALICE, 1.0), "not an operator action"),  # type: ignore[arg-type]
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

    store.record_action(ActionRecord(Ack(comment="x"), ALICE, 1.0, "fp"))
    store.record_samples([])

    begins = [i for i, text in enumerate(statements) if text.startswith("BEGIN IMMEDIATE")]
    assert statements[begins[0] - 1] == "PRAGMA synchronous = FULL"
    assert statements[begins[1] - 1] == "PRAGMA synchronous = NORMAL"


def test_a_failed_write_raises_store_error_naming_the_database_and_records_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store, sqlite3.connect(tmp_path / "dutyroom.db", timeout=0) as blocker:
        blocker.execute("CREATE TRIGGER refuse BEFORE INSERT ON actions BEGIN SELECT RAISE(ABORT, 'no'); END")
        blocker.commit()

        with pytest.raises(StoreError, match=str(tmp_path / "dutyroom.db")):
            store.record_action(ActionRecord(Ack(comment="x"), ALICE, 1.0, "fp"))

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


COLUMNS = "id, at, kind, actor, alert, payload, drill, audit_seq"


def write_the_old_way(state_dir: Path, kind: str, payload: dict[str, object], alert: str, at: float) -> None:
    """An action row as the store wrote it before actions were typed: kind and payload dict, with its audit record."""
    connection = sqlite3.connect(state_dir / "dutyroom.db", isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        action_id = last_action_id(connection) + 1
        payload_text = canonical_json(payload)
        detail = action_detail_text(action_id, alert, False, payload_text)
        seq = append_audit(connection, at, ALICE, kind, detail, read_key(state_dir))
        row = (action_id, at, kind, identity_json(ALICE), alert, payload_text, 0, seq)
        connection.execute(f"INSERT INTO actions({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        connection.execute("COMMIT")
    finally:
        connection.close()


OLD_ROWS: list[tuple[str, dict[str, object], OperatorAction]] = [
    ("ack", {"comment": "on it"}, Ack(comment="on it")),
    ("ack", {"comment": "on it", "expires_at": 1_700_007_200.5}, Ack(comment="on it", expires_at=1_700_007_200.5)),
    (
        "silence",
        {
            "rule": "",
            "target": "ups-a",
            "group": "",
            "comment": "swap",
            "start": 1_700_000_000.25,
            "end": 1_700_003_600.25,
        },
        Silence(rule="", target="ups-a", group="", comment="swap", start=1_700_000_000.25, end=1_700_003_600.25),
    ),
    ("note", {"text": "温度高"}, Note(text="温度高")),
    (
        "step",
        {"run": "20260101T000000Z-mains-failure", "step": 2},
        StepTick(run="20260101T000000Z-mains-failure", step=2),
    ),
    (
        "drill",
        {"drill": "mains", "event": "started", "title": "Mains"},
        DrillEvent(drill="mains", event="started", title="Mains"),
    ),
]


@pytest.mark.parametrize(("kind", "payload", "expected"), OLD_ROWS, ids=[row[0] for row in OLD_ROWS])
def test_a_row_written_before_actions_were_typed_reads_as_its_kind(
    tmp_path: Path, kind: str, payload: dict[str, object], expected: OperatorAction
) -> None:
    Store.open(tmp_path).close()
    write_the_old_way(tmp_path, kind, payload, "fp-ups", 1_000.0)

    with Store.open(tmp_path) as store:
        (stored,) = store.actions_after(0)
        report = store.verify_audit()

    assert (stored.action, stored.kind, stored.alert) == (expected, kind, "fp-ups")
    assert (report.ok, report.records) == (True, 1)


@pytest.mark.parametrize(("kind", "payload", "expected"), OLD_ROWS, ids=[row[0] for row in OLD_ROWS])
def test_a_typed_action_is_stored_as_the_same_text_as_before(
    tmp_path: Path, kind: str, payload: dict[str, object], expected: OperatorAction
) -> None:
    with Store.open(tmp_path) as store:
        store.record_action(ActionRecord(expected, ALICE, 1_000.0, "fp-ups"))
        assert store.verify_audit().ok
    with sqlite3.connect(tmp_path / "dutyroom.db") as connection:
        ((stored_kind, stored_text),) = connection.execute("SELECT kind, payload FROM actions").fetchall()

    assert (stored_kind, stored_text) == (kind, canonical_json(payload))


def test_a_row_no_kind_fits_is_read_as_unreadable_and_the_rest_still_reads(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    write_the_old_way(tmp_path, "escalate", {"to": "duty manager"}, "fp-ups", 1.0)
    write_the_old_way(tmp_path, "ack", {"comment": "on it", "minutes": 30}, "fp-ups", 2.0)
    write_the_old_way(tmp_path, "note", {"text": "still readable"}, "fp-ups", 3.0)

    with Store.open(tmp_path) as store:
        first, second, third = store.actions_after(0)

    assert isinstance(first.action, UnreadableAction)
    assert (first.kind, dict(first.payload)) == ("escalate", {"to": "duty manager"})
    assert isinstance(second.action, UnreadableAction)
    assert "unknown field `minutes`" in second.action.problem
    assert second.kind == "ack"
    assert third.action == Note(text="still readable")
