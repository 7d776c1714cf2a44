"""Reading the audit log back as records a person (or a script) can list: who did what, and when.

`dutyroom.store.audit` writes and verifies the chain; this only reads it, filtered by time, user and kind, in
the order it was written. The detail stays as stored (canonical JSON), parsed once for whoever prints it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from dutyroom.model import Identity
from dutyroom.store.records import identity_from_json


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One record of the audit log; `detail` is its JSON object ({} when the stored text is not one)."""

    seq: int
    at: float
    actor: Identity
    kind: str
    detail: Mapping[str, object]
    hash: str


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which records to list: `since <= at < until`, by one login user (or who they sudo'ed from), of some kinds."""

    since: float = float("-inf")
    until: float = float("inf")
    user: str = ""
    kinds: Collection[str] = ()


def select_audit_records(connection: sqlite3.Connection, chosen: AuditFilter) -> list[AuditRecord]:
    """The records `chosen` picks, oldest first (by seq, the order the chain was written)."""
    query = "SELECT seq, at, actor, kind, detail, hash FROM audit WHERE at >= ? AND at < ?"
    parameters: list[object] = [chosen.since, chosen.until]
    if chosen.kinds:
        query += f" AND kind IN ({', '.join('?' * len(chosen.kinds))})"
        parameters.extend(chosen.kinds)
    query += " ORDER BY seq"
    records = [_record(row) for row in connection.execute(query, parameters)]
    if chosen.user:
        records = [record for record in records if chosen.user in (record.actor.user, record.actor.sudo_user)]
    return records


def _record(row: tuple[object, ...]) -> AuditRecord:
    seq, at, actor, kind, detail, digest = row
    try:
        parsed = json.loads(str(detail))
    except ValueError:
        parsed = {}
    try:
        identity = identity_from_json(str(actor))
    except (ValueError, AttributeError):
        identity = Identity(user="?")
    return AuditRecord(
        seq=int(str(seq)),
        at=float(str(at)),
        actor=identity,
        kind=str(kind),
        detail=parsed if isinstance(parsed, dict) else {},
        hash=str(digest),
    )
