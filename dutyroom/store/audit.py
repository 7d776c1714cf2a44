"""The append-only, hash-chained audit log: who did what, when, and proof that nobody changed it since.

Each record has `seq` (1, 2, 3, ... without gaps), `at`, `actor` (canonical JSON of user, sudo_user,
ssh_client), `kind`, `detail` (canonical JSON: sorted keys, no spaces, UTF-8) and
`hash = sha256(prev_hash + canonical_record)`, where `prev_hash` is the previous record's hash (64 zeros for
the first) and `canonical_record` is the canonical JSON of `{"actor", "at", "detail", "kind", "seq"}` with the
stored actor and detail texts embedded as they are. `audit_head` keeps the last seq and hash, so removing the
newest records is noticed too. Triggers refuse UPDATE and DELETE on the log; the chain catches whoever drops
them. Only fixed fields go in: nothing here records the environment or anything else that may hold a secret.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from dutyroom.model import Identity
from dutyroom.store.records import PayloadValue, canonical_json, identity_json

GENESIS_HASH = "0" * 64
REFUSAL_KIND = "refused"
"""The kind of an audit record for an attempt the console refused (a viewer trying to acknowledge)."""


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The outcome of checking the chain: `bad_seq` names the first record found changed or missing."""

    ok: bool
    records: int
    problem: str = ""
    bad_seq: int | None = None


def record_hash(prev_hash: str, seq: int, at: float, actor_text: str, kind: str, detail_text: str) -> str:
    canonical_record = (
        f'{{"actor":{actor_text},"at":{json.dumps(at)},"detail":{detail_text},'
        f'"kind":{json.dumps(kind, ensure_ascii=False)},"seq":{seq}}}'
    )
    return hashlib.sha256((prev_hash + canonical_record).encode("utf-8")).hexdigest()


def action_detail_text(action_id: int, alert: str, drill: bool, payload_text: str) -> str:
    """The detail of an action's audit record, built from the action row's stored payload text."""
    return (
        f'{{"action_id":{action_id},"alert":{json.dumps(alert, ensure_ascii=False)},'
        f'"drill":{"true" if drill else "false"},"payload":{payload_text}}}'
    )


def append_audit(connection: sqlite3.Connection, at: float, actor: Identity, kind: str, detail_text: str) -> int:
    """Append one record inside the caller's write transaction (BEGIN IMMEDIATE); returns its seq."""
    at = float(at)
    actor_text = identity_json(actor)
    row = connection.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS_HASH)
    digest = record_hash(prev_hash, seq, at, actor_text, kind, detail_text)
    connection.execute(
        "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor_text, kind, detail_text, prev_hash, digest),
    )
    connection.execute(
        "INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        (seq, digest),
    )
    return seq


def detail_text(detail: Mapping[str, PayloadValue]) -> str:
    return canonical_json(dict(detail))


def verify_connection(connection: sqlite3.Connection) -> AuditReport:
    """Walk the whole log in one read snapshot; the first problem found is reported."""
    try:
        connection.execute("BEGIN")
        try:
            report = _verify_chain(connection)
            if report.ok:
                report = _verify_actions(connection, report.records)
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return AuditReport(ok=False, records=0, problem=f"cannot read the audit log: {exc}")
    return report


def _verify_chain(connection: sqlite3.Connection) -> AuditReport:
    expected_seq, prev_hash, records = 1, GENESIS_HASH, 0
    rows = connection.execute("SELECT seq, at, actor, kind, detail, prev_hash, hash FROM audit ORDER BY seq")
    for seq, at, actor_text, kind, detail, stored_prev, stored_hash in rows:
        if seq != expected_seq:
            return _bad(records, f"record {expected_seq} is missing (the next record is {seq})", expected_seq)
        if stored_prev != prev_hash:
            return _bad(records, f"record {seq} does not link to the record before it", seq)
        computed = record_hash(stored_prev, seq, at, f"{actor_text}", f"{kind}", f"{detail}")
        if computed != stored_hash:
            return _bad(records, f"record {seq} was changed (its hash does not match its content)", seq)
        records += 1
        expected_seq, prev_hash = seq + 1, stored_hash
    head = connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    head_seq, head_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
    if head_seq > records:
        return _bad(records, f"records {records + 1} to {head_seq} are missing from the end", records + 1)
    if head_seq != records or head_hash != prev_hash:
        return _bad(records, f"the head (record {head_seq}) does not match the last record", records)
    return AuditReport(ok=True, records=records)


def _verify_actions(connection: sqlite3.Connection, records: int) -> AuditReport:
    """Every stored action must equal the audit record written with it in the same transaction."""
    rows = connection.execute(
        "SELECT a.id, a.at, a.kind, a.actor, a.alert, a.payload, a.drill, a.audit_seq,"
        " u.at, u.kind, u.actor, u.detail"
        " FROM actions AS a LEFT JOIN audit AS u ON u.seq = a.audit_seq ORDER BY a.id"
    )
    for action_id, at, kind, actor, alert, payload, drill, audit_seq, *audited in rows:
        expected = [at, kind, actor, action_detail_text(action_id, f"{alert}", bool(drill), f"{payload}")]
        if audited != expected:
            return _bad(records, f"action {action_id} differs from its audit record {audit_seq}", audit_seq)
    return AuditReport(ok=True, records=records)


def _bad(records: int, problem: str, bad_seq: int | None) -> AuditReport:
    return AuditReport(ok=False, records=records, problem=problem, bad_seq=bad_seq)
