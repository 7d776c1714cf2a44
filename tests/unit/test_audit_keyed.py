"""The keyed chain: what only the key holder can write, the head that pins the end, and logs from before keys."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.model import Identity
from dutyroom.store.audit import KEYING_KIND, head_mac, record_hash
from dutyroom.store.audit_key import AuditKeyError, read_key
from dutyroom.store.audit_verify import RecordedHead
from dutyroom.store.database import Store, verify_audit
from dutyroom.store.records import identity_json
from dutyroom.store.schema import MIGRATIONS

ALICE = Identity("alice")


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """Three audit records at 100, 101, 102."""
    with Store.open(tmp_path) as store:
        for index in range(3):
            store.record_audit(ALICE, "reload", {"n": index}, at=100.0 + index)
    return tmp_path


@pytest.fixture
def tamper(state_dir: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(state_dir / "dutyroom.db", isolation_level=None)
    connection.execute("DROP TRIGGER audit_no_update")
    connection.execute("DROP TRIGGER audit_no_delete")
    yield connection
    connection.close()


def test_the_key_is_private_and_never_in_the_database(state_dir: Path) -> None:
    key_file = state_dir / "audit.key"
    key = read_key(state_dir)

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key.secret.hex() not in (state_dir / "dutyroom.db").read_bytes().decode("latin-1")
    assert key.secret.hex() not in repr(key)
    with sqlite3.connect(state_dir / "dutyroom.db") as connection:
        key_ids = {row[0] for row in connection.execute("SELECT key_id FROM audit")}
    assert key_ids == {key.key_id}


def test_a_key_readable_by_others_is_refused_with_what_to_change(state_dir: Path) -> None:
    (state_dir / "audit.key").chmod(0o640)

    with pytest.raises(AuditKeyError, match=r"readable by others \(mode 0640\): chmod 600"):
        read_key(state_dir)


def test_without_the_key_verify_fails_and_says_why(state_dir: Path) -> None:
    (state_dir / "audit.key").unlink()

    report = verify_audit(state_dir)

    assert not report.ok
    assert "cannot check the keyed chain" in report.problem
    assert "no audit key" in report.problem


def test_a_back_dated_record_appended_without_the_key_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    actor = identity_json(Identity("mallory"))
    prev_hash = tamper.execute("SELECT hash FROM audit WHERE seq = 3").fetchone()[0]
    forged = record_hash(prev_hash, 4, 50.0, actor, "ack", "{}")
    tamper.execute(
        "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash, key_id)"
        " VALUES (4, 50.0, ?, 'ack', '{}', ?, ?, (SELECT key_id FROM audit WHERE seq = 3))",
        (actor, prev_hash, forged),
    )
    tamper.execute("UPDATE audit_head SET seq = 4, hash = ?", (forged,))

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 4)
    assert "record 4 is back-dated (1970-01-01 00:00:50Z, before record 3 at 1970-01-01 00:01:42Z)" in report.problem


def test_an_unkeyed_record_after_keyed_ones_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    actor = identity_json(Identity("mallory"))
    prev_hash = tamper.execute("SELECT hash FROM audit WHERE seq = 3").fetchone()[0]
    tamper.execute(
        "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash) VALUES (4, 200.0, ?, 'ack', '{}', ?, ?)",
        (actor, prev_hash, "f" * 64),
    )

    report = verify_audit(state_dir)

    assert (report.ok, report.bad_seq) == (False, 4)
    assert "record 4 is not keyed, though the log is keyed from record 1" in report.problem


def test_cutting_the_end_and_moving_the_head_back_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq = 3")
    tamper.execute("UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit WHERE seq = 2)")

    report = verify_audit(state_dir)

    assert not report.ok
    assert "the head (record 2) was changed without the key: records after 2 may have been cut" in report.problem


def test_cutting_the_end_and_removing_the_head_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    tamper.execute("DELETE FROM audit WHERE seq >= 2")
    tamper.execute("DELETE FROM audit_head")

    report = verify_audit(state_dir)

    assert not report.ok
    assert "the head is missing: the end of the log may have been cut after record 1" in report.problem
    with Store.open(state_dir) as store:  # a writer opening it does not heal it
        assert not store.verify_audit().ok


def test_a_log_rewritten_wholly_without_keys_is_named(state_dir: Path, tamper: sqlite3.Connection) -> None:
    rows = tamper.execute("SELECT seq, at, actor, kind, detail FROM audit ORDER BY seq").fetchall()
    tamper.execute("DELETE FROM audit")
    prev = "0" * 64
    for seq, at, actor, kind, detail in rows:
        digest = record_hash(prev, seq, at, actor, kind, detail)
        tamper.execute(
            "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, kind, detail, prev, digest),
        )
        prev = digest

    report = verify_audit(state_dir)

    assert not report.ok
    assert "no record is keyed, though this state directory has an audit key" in report.problem


def test_a_recorded_head_catches_a_rewrite_made_with_the_key(state_dir: Path) -> None:
    with Store.open(state_dir) as store:
        seq, digest = store.audit_head()
    recorded = RecordedHead(seq, digest, "handover-1.md")
    key = read_key(state_dir)
    with sqlite3.connect(state_dir / "dutyroom.db", isolation_level=None) as connection:
        connection.execute("DROP TRIGGER audit_no_update")
        at, actor, prev = connection.execute("SELECT at, actor, prev_hash FROM audit WHERE seq = 3").fetchone()
        forged = record_hash(prev, 3, at, actor, "reload", '{"n":9}', key)
        connection.execute("UPDATE audit SET detail = '{\"n\":9}', hash = ? WHERE seq = 3", (forged,))
        connection.execute("UPDATE audit_head SET hash = ?, mac = ?", (forged, head_mac(key, 3, forged)))

    with Store.open_existing(state_dir) as store:
        assert store.verify_audit().ok  # whoever holds the key can rewrite: only a published head shows it
        report = store.verify_audit(recorded)

    assert (report.ok, report.bad_seq) == (False, 3)
    assert "record 3 is not the head handover-1.md recorded: the log was rewritten after it" in report.problem


def test_a_log_from_before_keys_is_keyed_on_opening_and_verifies_honestly(tmp_path: Path) -> None:
    write_a_version_3_log(tmp_path, records=2)
    assert not (tmp_path / "audit.key").exists()

    with Store.open(tmp_path) as store:
        report = store.verify_audit()
        store.record_audit(ALICE, "reload", {"n": 3}, at=300.0)
        after = store.verify_audit()

    assert (report.ok, report.records, report.legacy_records) == (True, 3, 2)
    assert (after.ok, after.records, after.legacy_records) == (True, 4, 2)
    with sqlite3.connect(tmp_path / "dutyroom.db") as connection:
        kind, detail = connection.execute("SELECT kind, detail FROM audit WHERE seq = 3").fetchone()
    assert (kind, json.loads(detail)) == (KEYING_KIND, {"legacy_records": 2})


def test_a_record_from_before_keys_changed_later_breaks_the_first_keyed_link(tmp_path: Path) -> None:
    write_a_version_3_log(tmp_path, records=2)
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "dutyroom.db", isolation_level=None) as connection:
        connection.execute("DROP TRIGGER audit_no_update")
        at, actor, prev = connection.execute("SELECT at, actor, prev_hash FROM audit WHERE seq = 2").fetchone()
        forged = record_hash(prev, 2, at, actor, "reload", '{"n":9}')
        connection.execute("UPDATE audit SET detail = '{\"n\":9}', hash = ? WHERE seq = 2", (forged,))

    report = verify_audit(tmp_path)

    assert (report.ok, report.bad_seq) == (False, 3)
    assert "record 3 does not link" in report.problem


def write_a_version_3_log(state_dir: Path, records: int) -> None:
    """A store as dutyroom wrote it at schema version 3: sha256 chain, no key."""
    state_dir.mkdir(mode=0o700, exist_ok=True)
    connection = sqlite3.connect(state_dir / "dutyroom.db", isolation_level=None)
    try:
        for script in MIGRATIONS[:3]:
            connection.executescript(script)
        connection.execute("BEGIN")
        actor, prev = identity_json(ALICE), "0" * 64
        for seq in range(1, records + 1):
            detail = json.dumps({"n": seq}, separators=(",", ":"))
            digest = record_hash(prev, seq, 100.0 + seq, actor, "reload", detail)
            connection.execute(
                "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash) VALUES (?, ?, ?, 'reload', ?, ?, ?)",
                (seq, 100.0 + seq, actor, detail, prev, digest),
            )
            connection.execute("INSERT OR REPLACE INTO audit_head(id, seq, hash) VALUES (1, ?, ?)", (seq, digest))
            prev = digest
        connection.execute("PRAGMA user_version = 3")
        connection.execute("COMMIT")
    finally:
        connection.close()
