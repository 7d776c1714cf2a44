"""Operator actions in SQL: each inserted together with its audit record, read back in id or time order.

Action ids are assigned as max(id) + 1 inside the write transaction (BEGIN IMMEDIATE holds the write lock),
so ids grow in commit order without gaps and a viewer that remembers the last id it saw misses nothing.
The `payload` column holds the action's own fields (`dutyroom.actions_model.action_fields`) as canonical JSON,
the same text for the same action as before actions were typed; a row that no kind fits reads back as an
`UnreadableAction` rather than failing every reader of the log.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dutyroom.actions_model import ActionDecodeError, OperatorAction, UnreadableAction, action_from_fields
from dutyroom.store.audit import action_detail_text, append_audit
from dutyroom.store.audit_key import AuditKey
from dutyroom.store.records import (
    ActionRecord,
    StoredAction,
    canonical_json,
    identity_from_json,
    identity_json,
    validate_action,
)

_ACTION_COLUMNS = "id, at, kind, actor, alert, payload, drill, audit_seq"


def insert_action(connection: sqlite3.Connection, action: ActionRecord, key: AuditKey) -> StoredAction:
    """Insert the action and append its audit record, inside the caller's write transaction."""
    payload = validate_action(action)
    payload_text, actor_text, at = canonical_json(payload), identity_json(action.actor), float(action.at)
    action_id = last_action_id(connection) + 1
    detail = action_detail_text(action_id, action.alert, action.drill, payload_text)
    seq = append_audit(connection, at, action.actor, action.kind, detail, key)
    row = (action_id, at, action.kind, actor_text, action.alert, payload_text, int(action.drill), seq)
    connection.execute(f"INSERT INTO actions({_ACTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    return _stored_action(row)


def last_action_id(connection: sqlite3.Connection) -> int:
    (last_id,) = connection.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()
    return int(last_id)


def select_actions_after(connection: sqlite3.Connection, after_id: int, limit: int) -> list[StoredAction]:
    rows = connection.execute(
        f"SELECT {_ACTION_COLUMNS} FROM actions WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
    )
    return [_stored_action(row) for row in rows]


def select_actions_between(
    connection: sqlite3.Connection, since: float, until: float, limit: int | None
) -> list[StoredAction]:
    rows = connection.execute(
        f"SELECT {_ACTION_COLUMNS} FROM actions WHERE at >= ? AND at < ? ORDER BY at, id LIMIT ?",
        (since, until, -1 if limit is None else limit),
    )
    return [_stored_action(row) for row in rows]


def _stored_action(row: tuple[Any, ...]) -> StoredAction:
    action_id, at, kind, actor, alert, payload, drill, audit_seq = row
    return StoredAction(
        id=int(action_id),
        action=decode_action(str(kind), str(payload)),
        actor=identity_from_json(str(actor)),
        at=float(at),
        alert=str(alert),
        drill=bool(drill),
        audit_seq=int(audit_seq),
    )


def decode_action(kind: str, payload_text: str) -> OperatorAction | UnreadableAction:
    """The typed action kept in a row's `kind` and `payload` columns, or an UnreadableAction saying why not."""
    try:
        fields = json.loads(payload_text)
    except ValueError as error:
        return UnreadableAction(kind, {}, f"payload is not JSON: {error}")
    if not isinstance(fields, dict):
        return UnreadableAction(kind, {}, "payload is not a JSON object")
    try:
        return action_from_fields(kind, fields)
    except ActionDecodeError as error:
        return UnreadableAction(kind, fields, str(error))
