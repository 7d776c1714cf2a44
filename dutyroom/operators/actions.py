"""Operator actions: checked (role, required comment, known alert), then committed before they count as done.

A refused attempt is audited with its reason; an accepted one is durable in the store when `submit` returns.
People's actions reach this through `dutyroom.operators.desk`, which plans run actions first; the poller's
own run starts and the handover's signatures come straight here.
"""

from __future__ import annotations

from dataclasses import dataclass

from msgspec import structs

from dutyroom.actions_model import Ack, Note, OperatorAction, Silence, kind_of
from dutyroom.config.load import LoadedConfig
from dutyroom.model import Identity
from dutyroom.operators.roles import role_of
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord, StoredAction
from dutyroom.textclean import clean_text

COMMENT_LIMIT = 2000
CLEANED_FIELDS = ("comment", "text", "reason")
"""Free-text fields a person types: control bytes removed and cut to COMMENT_LIMIT before they are stored."""


class ActionRefused(Exception):  # noqa: N818 - a refusal is an outcome, not a crash
    """The action was not recorded; the message says why (and the attempt is audited when it was a role issue)."""


@dataclass(frozen=True)
class ActionRequest:
    """What to record: the action, the alert it is about (its fingerprint, or ""), and whether it is a drill."""

    action: OperatorAction
    alert: str = ""
    drill: bool = False


def submit(store: Store, config: LoadedConfig, actor: Identity, request: ActionRequest, now: float) -> StoredAction:
    """Record `request` for `actor`, or raise ActionRefused (auditing refusals of the role check).

    Every kind of action is an operator's: viewers can look but not act.
    """
    kind = kind_of(request.action)
    if role_of(actor, config.parsed.roles) == "viewer":
        reason = f"{actor.user} is a viewer: viewers can look but not act (roles in {config.path.name})"
        store.record_refusal(actor, kind, reason, request.alert, at=now)
        raise ActionRefused(reason)
    action = cleaned(request.action)
    if isinstance(action, Ack | Silence) and not action.comment.strip():
        raise ActionRefused(f"a {kind} needs a comment saying why")
    if isinstance(action, Note) and not action.text.strip():
        raise ActionRefused("a note needs text")
    return store.record_action(ActionRecord(action, actor, now, request.alert, request.drill))


def cleaned(action: OperatorAction) -> OperatorAction:
    """`action` with its free-text fields made safe to store and show (see CLEANED_FIELDS)."""
    changes = {
        name: clean_text(value, COMMENT_LIMIT)
        for name in CLEANED_FIELDS
        if isinstance(value := getattr(action, name, None), str)
    }
    return structs.replace(action, **changes) if changes else action
