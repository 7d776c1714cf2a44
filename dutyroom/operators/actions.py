"""Operator actions: checked (role, required comment, known alert), then committed before they count as done.

A refused attempt is audited with its reason; an accepted one is durable in the store when `submit` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.config.load import LoadedConfig
from dutyroom.model import Identity
from dutyroom.operators.roles import role_of
from dutyroom.playbooks.runs import RUN_ACTION_KINDS
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, Payload, StoredAction
from dutyroom.textclean import clean_text

OPERATOR_ONLY = {"ack", "unack", "silence", "unsilence", "note", "drill", "handover-sign", "handover-note"} | set(
    RUN_ACTION_KINDS
)
COMMENT_LIMIT = 2000


class ActionRefused(Exception):  # noqa: N818 - a refusal is an outcome, not a crash
    """The action was not recorded; the message says why (and the attempt is audited when it was a role issue)."""


@dataclass(frozen=True)
class ActionRequest:
    kind: str
    alert: str = ""
    payload: Payload | None = None
    drill: bool = False


def submit(store: Store, config: LoadedConfig, actor: Identity, request: ActionRequest, now: float) -> StoredAction:
    """Record `request` for `actor`, or raise ActionRefused (auditing refusals of the role check)."""
    payload = dict(request.payload or {})
    if request.kind in OPERATOR_ONLY and role_of(actor, config.parsed.roles) == "viewer":
        reason = f"{actor.user} is a viewer: viewers can look but not act (roles in {config.path.name})"
        store.record_refusal(actor, request.kind, reason, request.alert, at=now)
        raise ActionRefused(reason)
    for key in ("comment", "text"):
        if key in payload and isinstance(payload[key], str):
            payload[key] = clean_text(str(payload[key]), COMMENT_LIMIT)
    if request.kind in ("ack", "silence") and not str(payload.get("comment", "")).strip():
        raise ActionRefused(f"a {request.kind} needs a comment saying why")
    if request.kind == "note" and not str(payload.get("text", "")).strip():
        raise ActionRefused("a note needs text")
    return store.record_action(ActionRecord(request.kind, actor, now, request.alert, payload, request.drill))
