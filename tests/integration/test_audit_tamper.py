"""Tampering with a real store, checked by the real `dutyroom audit verify`: each kind is caught and named.

The intruder here can write the database but not read the audit key (as a member of a group that may write the
state directory would): they change a record, delete the newest, cut the end and move the head back, rewrite
the log with recomputed (unkeyed) hashes, append a back-dated record. The last test is the key holder
rewriting the log after a handover: only the head the handover recorded shows it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.store.audit import head_mac, record_hash
from dutyroom.store.audit_key import AuditKey, read_key
from dutyroom.store.schema import MIGRATIONS

pytestmark = pytest.mark.integration

DUTYROOM = Path(sys.executable).with_name("dutyroom")
CONFIG = '[site]\nname = "tamper room"\n'


def dutyroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DUTYROOM), *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def room(tmp_path: Path) -> tuple[Path, Path]:
    """A room made by `serve` running for a moment, then three silences from the shell: audit records 1 to 3."""
    if not DUTYROOM.exists():
        pytest.skip("the dutyroom entry point is not installed in this environment")
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    state = tmp_path / "state"
    served = dutyroom("serve", "--seconds", "0.5", "--config", str(config), "--state", str(state))
    assert served.returncode == 0, served.stderr
    for index in range(3):
        silenced = dutyroom(
            "silence", "--group", "power", "--for", "1h", "-m", f"UPS work {index}", *where(config, state)
        )
        assert silenced.returncode == 0, silenced.stderr
    return config, state


def where(config: Path, state: Path) -> tuple[str, ...]:
    return ("--config", str(config), "--state", str(state))


def verify(config: Path, state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return dutyroom("audit", "verify", *extra, *where(config, state))


@pytest.fixture
def intruder(room: tuple[Path, Path]) -> Iterator[sqlite3.Connection]:
    """The database opened by someone who drops the append-only triggers first."""
    connection = sqlite3.connect(room[1] / "dutyroom.db", isolation_level=None)
    for trigger in ("audit_no_update", "audit_no_delete", "actions_no_update"):
        connection.execute(f"DROP TRIGGER {trigger}")
    yield connection
    connection.close()


def assert_fails_naming(result: subprocess.CompletedProcess[str], finding: str) -> None:
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("audit log damaged: " + finding), result.stderr


def rewrite_comment(connection: sqlite3.Connection, seq: int, key: AuditKey | None) -> None:
    """Change record `seq`'s comment (and its action row), then recompute every hash from there to the head."""
    for table in ("audit SET detail = replace(detail", "actions SET payload = replace(payload"):
        where_row = "seq = ?" if table.startswith("audit") else "audit_seq = ?"
        connection.execute(f"UPDATE {table}, 'UPS work', 'nothing happened') WHERE {where_row}", (seq,))
    (prev,) = connection.execute("SELECT prev_hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    rows = connection.execute("SELECT seq, at, actor, kind, detail FROM audit WHERE seq >= ? ORDER BY seq", (seq,))
    for row_seq, at, actor, kind, detail in rows.fetchall():
        digest = record_hash(prev, row_seq, at, actor, kind, detail, key)
        connection.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, row_seq))
        connection.execute("UPDATE audit_head SET seq = ?, hash = ?", (row_seq, digest))
        if key is not None:
            connection.execute("UPDATE audit_head SET mac = ?", (head_mac(key, row_seq, digest),))
        prev = digest


def test_an_untouched_log_is_intact_and_prints_its_head(room: tuple[Path, Path]) -> None:
    result = verify(*room)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audit log intact: 3 records; head: record 3 ")


def test_a_changed_record(room: tuple[Path, Path], intruder: sqlite3.Connection) -> None:
    intruder.execute("UPDATE audit SET detail = replace(detail, 'UPS work', 'nothing happened') WHERE seq = 2")

    assert_fails_naming(verify(*room), "record 2 was changed")


def test_the_newest_record_deleted(room: tuple[Path, Path], intruder: sqlite3.Connection) -> None:
    intruder.execute("DELETE FROM audit WHERE seq = 3")

    assert_fails_naming(verify(*room), "record 3, the newest, is missing")


def test_the_end_truncated_and_the_head_moved_back(room: tuple[Path, Path], intruder: sqlite3.Connection) -> None:
    intruder.execute("DELETE FROM audit WHERE seq >= 2")
    intruder.execute("UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit WHERE seq = 1)")

    assert_fails_naming(verify(*room), "the head (record 1) was changed without the key")


def test_a_rewrite_with_recomputed_hashes(room: tuple[Path, Path], intruder: sqlite3.Connection) -> None:
    rewrite_comment(intruder, 2, key=None)

    assert_fails_naming(verify(*room), "record 2 has a hash recomputed without the key")


def test_a_back_dated_record_appended(room: tuple[Path, Path], intruder: sqlite3.Connection) -> None:
    at, actor, kind, detail, key_id, prev = intruder.execute(
        "SELECT at, actor, kind, detail, key_id, hash FROM audit WHERE seq = 3"
    ).fetchone()
    back = at - 86_400.0
    digest = record_hash(prev, 4, back, actor, kind, detail)
    intruder.execute(
        "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash, key_id) VALUES (4, ?, ?, ?, ?, ?, ?, ?)",
        (back, actor, kind, detail, prev, digest, key_id),
    )
    intruder.execute("UPDATE audit_head SET seq = 4, hash = ?", (digest,))

    assert_fails_naming(verify(*room), "record 4 is back-dated")


def test_verify_against_a_handover_catches_a_rewrite_after_it(room: tuple[Path, Path], tmp_path: Path) -> None:
    config, state = room
    handover = tmp_path / "handover.md"
    written = dutyroom("handover", "--out", str(handover), *where(config, state))
    assert written.returncode == 0, written.stderr
    signed = dutyroom("handover", "--sign", "--out", str(handover), *where(config, state))
    assert signed.returncode == 0, signed.stderr
    before = verify(config, state, "--against", str(handover))
    assert before.returncode == 0, before.stderr
    assert "the head handover.md recorded (record 5) is in the log unchanged" in before.stdout

    connection = sqlite3.connect(state / "dutyroom.db", isolation_level=None)
    try:
        connection.execute("DROP TRIGGER audit_no_update")
        connection.execute("DROP TRIGGER actions_no_update")
        rewrite_comment(connection, 2, key=read_key(state))  # the key holder: the chain verifies alone
    finally:
        connection.close()

    alone = verify(config, state)
    against = verify(config, state, "--against", str(handover))

    assert alone.returncode == 0, alone.stderr
    assert_fails_naming(against, "record 5 is not the head handover.md recorded: the log was rewritten after it")


def test_a_handover_without_a_head_is_one_line(room: tuple[Path, Path], tmp_path: Path) -> None:
    unsigned = tmp_path / "notes.md"
    unsigned.write_text("# not a handover\n")

    result = verify(*room, "--against", str(unsigned))

    assert result.returncode == 1
    assert result.stderr == (
        f"{unsigned} records no audit head (not signed yet, or signed before heads were printed)\n"
    )


def test_a_store_from_before_keys_is_keyed_by_serve_and_verify_says_what_the_old_part_proves(tmp_path: Path) -> None:
    if not DUTYROOM.exists():
        pytest.skip("the dutyroom entry point is not installed in this environment")
    config, state = tmp_path / "checks.toml", tmp_path / "state"
    config.write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    state.mkdir(mode=0o700)
    write_schema_3_log(state / "dutyroom.db", records=2)

    refused = verify(config, state)  # read-only: it cannot upgrade, and says how
    served = dutyroom("serve", "--seconds", "0.5", *where(config, state))
    keyed = verify(config, state)

    assert refused.returncode == 1
    assert "schema version 3 is older than this dutyroom's" in refused.stderr
    assert served.returncode == 0, served.stderr
    assert keyed.returncode == 0, keyed.stderr
    assert keyed.stdout.startswith("audit log intact: 3 records; head: record 3 ")
    assert "records 1 to 2 were written before the log was keyed (schema v3): they were only hashed" in keyed.stdout


def write_schema_3_log(db_path: Path, records: int) -> None:
    """The audit log as dutyroom wrote it at schema version 3: a plain sha256 chain, no key, no keyed head."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        for script in MIGRATIONS[:3]:
            connection.executescript(script)
        prev = "0" * 64
        for seq in range(1, records + 1):
            at, actor, detail = 1_700_000_000.0 + seq, '{"ssh_client":"","sudo_user":"","user":"alice"}', "{}"
            digest = record_hash(prev, seq, at, actor, "reload", detail)
            connection.execute(
                "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash) VALUES (?, ?, ?, 'reload', ?, ?, ?)",
                (seq, at, actor, detail, prev, digest),
            )
            connection.execute("INSERT OR REPLACE INTO audit_head(id, seq, hash) VALUES (1, ?, ?)", (seq, digest))
            prev = digest
        connection.execute("PRAGMA user_version = 3")
    finally:
        connection.close()
