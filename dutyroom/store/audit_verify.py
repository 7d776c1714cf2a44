"""Checking the audit log (`dutyroom audit verify`): the first problem found, named in one line.

What each check catches: a record changed in place (its hash no longer matches), removed from the middle (a
gap in seq), cut from the end (the keyed head names a later record, or the head itself was changed or
removed), rewritten with hashes recomputed without the key (the plain sha256 where a keyed hash belongs), and
a record appended back-dated by someone without the key. A head published outside the database (serve's log,
a signed handover) also catches a rewrite by someone holding the key: `RecordedHead`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from dutyroom.store.audit import GENESIS_HASH, action_detail_text, head_mac, record_hash
from dutyroom.store.audit_key import AuditKey


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The outcome of checking the chain: `bad_seq` names the first record found changed or missing.

    `legacy_records` counts the records written before keying (schema v3 and older): only hashed when written,
    so they prove that nobody changed them since the first keyed record, not before it."""

    ok: bool
    records: int
    problem: str = ""
    bad_seq: int | None = None
    head_hash: str = ""
    legacy_records: int = 0
    checked: bool = True
    """False when the log could not be checked at all (no key, unreadable database): not known to be damaged."""


@dataclass(frozen=True, slots=True)
class RecordedHead:
    """A head published outside the database: record `seq` had hash `hash` when `source` was written."""

    seq: int
    hash: str
    source: str


def verify_connection(
    connection: sqlite3.Connection, key: AuditKey | None, key_problem: str = "", recorded: RecordedHead | None = None
) -> AuditReport:
    """Walk the whole log in one read snapshot; the first problem found is reported."""
    if key is None:
        return AuditReport(ok=False, records=0, problem=f"cannot check the keyed chain: {key_problem}", checked=False)
    try:
        connection.execute("BEGIN")
        try:
            report = _verify_chain(connection, key)
            if report.ok:
                report = _verify_actions(connection, report)
            if report.ok and recorded is not None:
                report = _verify_recorded_head(connection, report, recorded)
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return AuditReport(ok=False, records=0, problem=f"cannot read the audit log: {exc}", checked=False)
    return report


def _verify_chain(connection: sqlite3.Connection, key: AuditKey) -> AuditReport:
    expected_seq, prev_hash, prev_at, records, keyed_from = 1, GENESIS_HASH, None, 0, 0
    rows = connection.execute("SELECT seq, at, actor, kind, detail, prev_hash, hash, key_id FROM audit ORDER BY seq")
    for seq, at, actor_text, kind, detail, stored_prev, stored_hash, key_id in rows:
        if seq != expected_seq:
            return _bad(records, f"record {expected_seq} is missing (the next record is {seq})", expected_seq)
        if stored_prev != prev_hash:
            return _bad(records, f"record {seq} does not link to the record before it", seq)
        plain = record_hash(stored_prev, seq, at, f"{actor_text}", f"{kind}", f"{detail}")
        if key_id or keyed_from:
            keyed = record_hash(stored_prev, seq, at, f"{actor_text}", f"{kind}", f"{detail}", key)
            if problem := _keyed_problem(seq, at, prev_at, key_id, stored_hash, keyed, plain, key, keyed_from):
                return _bad(records, problem, seq)
            keyed_from = keyed_from or seq
        elif stored_hash != plain:
            return _bad(records, f"record {seq} was changed (its hash does not match its content)", seq)
        records += 1
        expected_seq, prev_hash, prev_at = seq + 1, stored_hash, at
    if records and not keyed_from:
        problem = "no record is keyed, though this state directory has an audit key: the log was rewritten"
        return _bad(records, problem + " with unkeyed hashes", 1)
    if problem := _head_problem(connection, key, records, prev_hash):
        return _bad(records, problem, records + 1)
    legacy = keyed_from - 1 if keyed_from else 0
    return AuditReport(ok=True, records=records, head_hash=prev_hash, legacy_records=legacy)


def _keyed_problem(
    seq: int,
    at: float,
    prev_at: float | None,
    key_id: str,
    stored_hash: str,
    keyed: str,
    plain: str,
    key: AuditKey,
    keyed_from: int,
) -> str:
    if key_id and key_id != key.key_id:
        return f"record {seq} is keyed with another key (id {key_id}) than this state directory's ({key.key_id})"
    if key_id and stored_hash == keyed:
        return ""
    if prev_at is not None and at < prev_at:
        return (
            f"record {seq} is back-dated ({_stamp(at)}, before record {seq - 1} at {_stamp(prev_at)}) and its "
            "hash was not made with the key"
        )
    if stored_hash == plain:
        return f"record {seq} has a hash recomputed without the key: the log was rewritten from record {seq}"
    if not key_id:
        return f"record {seq} is not keyed, though the log is keyed from record {keyed_from}: written without the key"
    return f"record {seq} was changed (its keyed hash does not match its content)"


def _head_problem(connection: sqlite3.Connection, key: AuditKey, records: int, last_hash: str) -> str:
    head = connection.execute("SELECT seq, hash, mac FROM audit_head WHERE id = 1").fetchone()
    if head is None:
        return f"the head is missing: the end of the log may have been cut after record {records}"
    head_seq, head_hash, mac = int(head[0]), str(head[1]), str(head[2])
    if mac != head_mac(key, head_seq, head_hash):
        return (
            f"the head (record {head_seq}) was changed without the key: records after {records} may have been "
            "cut from the end"
        )
    if head_seq == records + 1:
        return f"record {head_seq}, the newest, is missing (the head names it)"
    if head_seq > records:
        return f"records {records + 1} to {head_seq} are missing from the end (the head names record {head_seq})"
    if head_seq < records:
        return f"records {head_seq + 1} to {records} come after the head (record {head_seq}): added without the key"
    if head_hash != last_hash:
        return f"the head (record {head_seq}) does not match the last record"
    return ""


def _verify_actions(connection: sqlite3.Connection, report: AuditReport) -> AuditReport:
    """Every stored action must equal the audit record written with it in the same transaction."""
    rows = connection.execute(
        "SELECT a.id, a.at, a.kind, a.actor, a.alert, a.payload, a.drill, a.audit_seq,"
        " u.at, u.kind, u.actor, u.detail"
        " FROM actions AS a LEFT JOIN audit AS u ON u.seq = a.audit_seq ORDER BY a.id"
    )
    for action_id, at, kind, actor, alert, payload, drill, audit_seq, *audited in rows:
        expected = [at, kind, actor, action_detail_text(action_id, f"{alert}", bool(drill), f"{payload}")]
        if audited != expected:
            return _bad(report.records, f"action {action_id} differs from its audit record {audit_seq}", audit_seq)
    return report


def _verify_recorded_head(connection: sqlite3.Connection, report: AuditReport, recorded: RecordedHead) -> AuditReport:
    if recorded.seq == 0 and recorded.hash == GENESIS_HASH:
        return report  # recorded while the log was empty: whatever came after, nothing before it can be checked
    row = connection.execute("SELECT hash FROM audit WHERE seq = ?", (recorded.seq,)).fetchone()
    if row is None:
        problem = f"record {recorded.seq}, the head {recorded.source} recorded, is missing: the log was cut after it"
        return _bad(report.records, problem, recorded.seq)
    if str(row[0]) != recorded.hash:
        problem = f"record {recorded.seq} is not the head {recorded.source} recorded: the log was rewritten after it"
        return _bad(report.records, problem, recorded.seq)
    return report


def _stamp(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _bad(records: int, problem: str, bad_seq: int | None) -> AuditReport:
    return AuditReport(ok=False, records=records, problem=problem, bad_seq=bad_seq)
