"""The hash-chained audit log: verifies when untouched, names the record that was changed or removed."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.actions_model import Ack, Note, Silence, StepTick, Unack
from dutyroom.model import Identity
from dutyroom.store.audit import GENESIS_HASH, record_hash
from dutyroom.store.audit_key import read_key
from dutyroom.store.database import ActionRecord, Store, verify_audit
from dutyroom.store.records import canonical_json

OPERATOR = Identity("alice", sudo_user="root", ssh_client="192.0.2.7")


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """A store with five actions and one refusal: audit records 1 to 6."""
    with Store.open(tmp_path) as store:
        actions = (
            Ack(comment="n 0"),
            Note(text="n 1"),
            Silence(rule="r", target="", group="", comment="n 2", start=102.0, end=200.0),
            StepTick(run="r1", step=3),
            Unack(comment="n 4"),
        )
        for index, action in enumerate(actions):
            store.record_action(ActionRecord(action, OPERATOR, 100.0 + index, f"fp-{index}"))
        store.record_refusal(Identity("bob"), "ack", "bob is a viewer", at=106.0)
    return tmp_path


@pytest.fixture
def tamper(state_dir: Path) -> Iterator[sqlite3.Connection]:
    """A raw connection with the append-only triggers dropped, as an intruder with file access would."""
    connection = sqlite3.connect(state_dir / "dutyroom.db", isolation_level=None)
    for trigger in ("audit_no_update", "audit_no_delete", "actions_no_update", "actions_no_delete"):
        connection.execute(f"DROP TRIGGER {trigger}")
    yield connection
    connection.close()


def test_an_untouched_log_verifies(state_dir: Path) -> None:
    report = verify_audit(state_dir)

    assert (report.ok, report.records, report.problem, report.bad_seq) == (True, 6, "", None)
    with Store.open(state_dir) as store:
        assert store.verify_audit() == report
        assert verify_audit(store) == report
    assert verify_audit(state_dir / "dutyroom.db") == report
    assert verify_audit(str(state_dir)) == report


def test_an_empty_log_verifies(tmp_path: Path) -> None:
    Store.open(tmp_path).close()

    assert verify_audit(tmp_path).ok


def test_the_triggers_refuse_update_and_delete(state_dir: Path) -> None:
    with sqlite3.connect(state_dir / "dutyroom.db") as connection:
        for statement in (
            "UPDATE audit SET detail = '{}' WHERE seq = 2",
            "DELETE FROM audit WHERE seq = 6",
            "UPDATE actions SET payload = '{}' WHERE id = 1",
            "DELETE FROM actions WHERE id = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)

    assert verify_audit(state_dir).ok


def test_a_changed_record_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("""UPDATE audit SET detail = '{"alert":"","attempted":"ack","reason":"ok"}' WHERE seq = 6""")

    report = verify_audit(state_dir)

    assert not report.ok
    assert report.bad_seq == 6
    assert "record 6 was changed" in report.problem
    assert report.records == 5


def test_a_changed_time_or_actor_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("UPDATE audit SET at = at + 3600 WHERE seq = 2")

    assert verify_audit(state_dir).bad_seq == 2

    tamper.execute("UPDATE audit SET at = at - 3600 WHERE seq = 2")
    tamper.execute("""UPDATE audit SET actor = replace(actor, 'alice', 'mallory') WHERE seq = 4""")

    assert verify_audit(state_dir).bad_seq == 4


def test_a_removed_record_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq = 3")

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 3)
    assert "record 3 is missing" in report.problem


def test_a_removed_first_record_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq = 1")

    assert verify_audit(state_dir).bad_seq == 1


def test_removing_the_newest_records_is_noticed_by_the_head(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq >= 5")

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 5)
    assert "records 5 to 6 are missing" in report.problem


def test_a_rewritten_record_with_a_fresh_keyed_hash_breaks_the_next_link(
    state_dir: Path, tamper: sqlite3.Connection
) -> None:
    seq, at, actor, kind, _detail, prev_hash = tamper.execute(
        "SELECT seq, at, actor, kind, detail, prev_hash FROM audit WHERE seq = 3"
    ).fetchone()
    forged_detail = '{"action_id":3,"alert":"fp-2","drill":false,"payload":{"n":99}}'
    forged_hash = record_hash(prev_hash, seq, at, actor, kind, forged_detail, read_key(state_dir))
    tamper.execute("UPDATE audit SET detail = ?, hash = ? WHERE seq = 3", (forged_detail, forged_hash))

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 4)
    assert "does not link" in report.problem


def test_a_record_rehashed_without_the_key_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    seq, at, actor, kind, prev_hash = tamper.execute(
        "SELECT seq, at, actor, kind, prev_hash FROM audit WHERE seq = 3"
    ).fetchone()
    forged_detail = '{"action_id":3,"alert":"fp-2","drill":false,"payload":{"n":99}}'
    forged_hash = record_hash(prev_hash, seq, at, actor, kind, forged_detail)
    tamper.execute("UPDATE audit SET detail = ?, hash = ? WHERE seq = 3", (forged_detail, forged_hash))

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 3)
    assert "record 3 has a hash recomputed without the key" in report.problem


def test_renumbering_to_hide_a_gap_is_noticed(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq = 6")
    tamper.execute("UPDATE audit SET seq = 6 WHERE seq = 5")

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 5)


def test_a_changed_action_row_is_named_by_its_audit_record(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("""UPDATE actions SET payload = '{"n":42}' WHERE id = 2""")

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 2)
    assert "action 2 differs from its audit record 2" in report.problem


def test_an_action_without_its_audit_record_is_noticed(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute(
        "INSERT INTO actions(id, at, kind, actor, alert, payload, drill, audit_seq)"
        " VALUES (99, 1.0, 'ack', '{}', 'fp', '{}', 0, 99)"
    )

    assert verify_audit(state_dir).bad_seq == 99


def test_a_missing_database_is_a_failed_report(tmp_path: Path) -> None:
    report = verify_audit(tmp_path / "nowhere")

    assert not report.ok
    assert "nowhere" in report.problem


def test_the_hash_is_an_hmac_of_prev_hash_and_the_canonical_record(state_dir: Path) -> None:
    """The documented formula, recomputed independently, so an outside tool holding the key can verify the log."""
    secret = bytes.fromhex((state_dir / "audit.key").read_text().strip())
    with sqlite3.connect(state_dir / "dutyroom.db") as connection:
        rows = connection.execute("SELECT seq, at, actor, kind, detail, prev_hash, hash FROM audit ORDER BY seq")
        previous = GENESIS_HASH
        for seq, at, actor, kind, detail, prev_hash, stored_hash in rows:
            record = {
                "actor": json.loads(actor),
                "at": at,
                "detail": json.loads(detail),
                "kind": kind,
                "seq": seq,
            }
            expected = hmac.new(secret, (previous + canonical_json(record)).encode(), hashlib.sha256).hexdigest()
            assert (prev_hash, stored_hash) == (previous, expected)
            assert detail == canonical_json(json.loads(detail))
            previous = stored_hash


def test_no_environment_value_reaches_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYROOM_TEST_SECRET", "s3cr3t-token-value")
    with Store.open(tmp_path) as store:
        store.record_action(ActionRecord(Ack(comment="fine"), OPERATOR, 1.0, "fp"))
        store.record_refusal(OPERATOR, "silence", "viewer")

    stored_bytes = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    assert b"s3cr3t-token-value" not in stored_bytes
