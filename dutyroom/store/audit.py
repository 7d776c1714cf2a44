"""The append-only, keyed, hash-chained audit log: who did what, when, and proof that nobody changed it since.

Each record has `seq` (1, 2, 3, ... without gaps), `at`, `actor` (canonical JSON of user, sudo_user,
ssh_client), `kind`, `detail` (canonical JSON: sorted keys, no spaces, UTF-8), `key_id` and
`hash = HMAC-SHA256(key, prev_hash + canonical_record)`, where `prev_hash` is the previous record's hash (64
zeros for the first) and `canonical_record` is the canonical JSON of `{"actor", "at", "detail", "kind", "seq"}`
with the stored actor and detail texts embedded as they are. The key (`dutyroom.store.audit_key`) is readable
only by the store's writer, so someone who can write the database but not read the key cannot make a record
that verifies. Records from before keying (schema v3 and older) have `key_id = ''` and
`hash = sha256(prev_hash + canonical_record)`; the first keyed record links to them, which pins them from then on.
`audit_head` keeps the last seq and hash with an HMAC of both, so cutting records from the end is noticed.
Triggers refuse UPDATE and DELETE on the log. Only fixed fields go in: nothing here records the environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import sqlite3
from collections.abc import Mapping

from dutyroom.model import Identity
from dutyroom.store.audit_key import AuditKey
from dutyroom.store.records import PayloadValue, canonical_json, identity_json

GENESIS_HASH = "0" * 64
REFUSAL_KIND = "refused"
"""The kind of an audit record for an attempt the console refused (a viewer trying to acknowledge)."""
KEYING_KIND = "chain-keyed"
"""The kind of the record that starts keying a log written before keys: its detail counts the older records."""


def canonical_record(seq: int, at: float, actor_text: str, kind: str, detail_text: str) -> str:
    return (
        f'{{"actor":{actor_text},"at":{json.dumps(at)},"detail":{detail_text},'
        f'"kind":{json.dumps(kind, ensure_ascii=False)},"seq":{seq}}}'
    )


def record_hash(
    prev_hash: str, seq: int, at: float, actor_text: str, kind: str, detail_text: str, key: AuditKey | None = None
) -> str:
    """The record's keyed hash, or with no key the plain sha256 that records before keying carry."""
    message = prev_hash + canonical_record(seq, at, actor_text, kind, detail_text)
    if key is None:
        return hashlib.sha256(message.encode("utf-8")).hexdigest()
    return key.mac(message)


def head_mac(key: AuditKey, seq: int, record_hash_text: str) -> str:
    return key.mac(f"dutyroom audit head\n{seq}\n{record_hash_text}")


def action_detail_text(action_id: int, alert: str, drill: bool, payload_text: str) -> str:
    """The detail of an action's audit record, built from the action row's stored payload text."""
    return (
        f'{{"action_id":{action_id},"alert":{json.dumps(alert, ensure_ascii=False)},'
        f'"drill":{"true" if drill else "false"},"payload":{payload_text}}}'
    )


def append_audit(
    connection: sqlite3.Connection, at: float, actor: Identity, kind: str, detail_text: str, key: AuditKey
) -> int:
    """Append one keyed record inside the caller's write transaction (BEGIN IMMEDIATE); returns its seq."""
    at = float(at)
    actor_text = identity_json(actor)
    row = connection.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS_HASH)
    digest = record_hash(prev_hash, seq, at, actor_text, kind, detail_text, key)
    connection.execute(
        "INSERT INTO audit(seq, at, actor, kind, detail, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor_text, kind, detail_text, prev_hash, digest, key.key_id),
    )
    _write_head(connection, seq, digest, key)
    return seq


def seal_chain(connection: sqlite3.Connection, key: AuditKey, now: float) -> None:
    """Start keying, inside the caller's write transaction: a keyed head for an empty log, or a keyed record
    after a log written before keys. A log already keyed is left as it is, whatever state it is in: healing
    a tampered log here would hide it from `audit verify`."""
    keyed = connection.execute("SELECT 1 FROM audit WHERE key_id != '' LIMIT 1").fetchone()
    head = connection.execute("SELECT mac FROM audit_head WHERE id = 1").fetchone()
    if keyed is not None or (head is not None and head[0]):
        return
    last = connection.execute("SELECT seq FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    if last is None:
        _write_head(connection, 0, GENESIS_HASH, key)
        return
    detail = detail_text({"legacy_records": int(last[0])})
    append_audit(connection, now, process_identity(), KEYING_KIND, detail, key)


def process_identity() -> Identity:
    """The writer itself, named by the kernel's uid (never the environment)."""
    uid = os.geteuid()
    try:
        return Identity(pwd.getpwuid(uid).pw_name)
    except KeyError:
        return Identity(f"uid {uid}")


def detail_text(detail: Mapping[str, PayloadValue]) -> str:
    return canonical_json(dict(detail))


def _write_head(connection: sqlite3.Connection, seq: int, digest: str, key: AuditKey) -> None:
    connection.execute(
        "INSERT INTO audit_head(id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        (seq, digest, head_mac(key, seq, digest)),
    )
