"""The records the store keeps: operator actions, minute roll-ups and the poller heartbeat.

Everything here is a frozen value; conversion to and from the JSON text kept in SQLite lives beside it.
Alert transitions are kept as the engine makes them (`dutyroom.model.Transition`), not as a record of their own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dutyroom.actions_model import (
    ACTION_TYPES,
    FieldValue,
    OperatorAction,
    UnreadableAction,
    action_fields,
    action_from_fields,
    kind_of,
)
from dutyroom.model import Identity, Labels

PayloadValue = FieldValue
"""What an action's fields and an audit record's detail may hold: JSON scalars only."""

Payload = Mapping[str, PayloadValue]

ACTION_KIND_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,31}")
"""Kinds are short lowercase words: the audit log's kinds (`refused`, `config-reload`, ...) are checked against it."""

MAX_PAYLOAD_CHARS = 65_536
"""An action's payload as canonical JSON may not be longer than this (a note is text, not a file)."""


class StoreError(Exception):
    """A store operation failed; the message names the database. A failed write committed nothing."""


def canonical_json(value: object) -> str:
    """The one JSON form used for hashing and storage: sorted keys, no spaces, UTF-8 kept, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An operator action as the console or CLI submits it: what was done, by whom, when, on which alert.

    `alert` is the alert's fingerprint ("" for actions about no one alert, such as a silence).
    """

    action: OperatorAction
    actor: Identity
    at: float
    alert: str = ""
    drill: bool = False

    @property
    def kind(self) -> str:
        return kind_of(self.action)


@dataclass(frozen=True, slots=True)
class StoredAction:
    """An operator action after it was committed: `id` grows by one per action, so viewers tail by id.

    `action` is an `UnreadableAction` for a row no known kind fits; readers skip those.
    """

    id: int
    action: OperatorAction | UnreadableAction
    actor: Identity
    at: float
    alert: str = ""
    drill: bool = False
    audit_seq: int = 0

    @property
    def kind(self) -> str:
        return kind_of(self.action)

    @property
    def payload(self) -> Payload:
        """The action's own fields as the store keeps them, for readers that list them generically (reports)."""
        return self.action.fields if isinstance(self.action, UnreadableAction) else action_fields(self.action)


@dataclass(frozen=True, slots=True)
class MinuteRollup:
    """Minimum, maximum, average and count of one series over the minute starting at `minute`."""

    minute: int
    min: float
    max: float
    avg: float
    count: int


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """The poller's last sign of life, so consoles can tell whether anyone is polling."""

    at: float
    pid: int

    def age(self, now: float) -> float:
        return now - self.at

    def is_fresh(self, now: float, max_age_s: float) -> bool:
        """True when the beat is at most `max_age_s` old (a beat from the future counts as fresh)."""
        return self.age(now) <= max_age_s


def validated_payload(payload: Payload) -> dict[str, PayloadValue]:
    """A plain copy of `payload`, or ValueError naming the key that is not a finite JSON scalar."""
    checked: dict[str, PayloadValue] = {}
    for key, value in payload.items():
        if not isinstance(key, str):
            raise ValueError(f"payload key {key!r} is not a string")
        if value is not None and not isinstance(value, str | int | float):
            raise ValueError(f"payload value for {key!r} is a {type(value).__name__}, not a JSON scalar")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"payload value for {key!r} is not finite")
        checked[key] = value
    if len(canonical_json(checked)) > MAX_PAYLOAD_CHARS:
        raise ValueError(f"payload is longer than {MAX_PAYLOAD_CHARS} characters")
    return checked


def validate_action(action: ActionRecord) -> dict[str, PayloadValue]:
    """Check an action before it is stored; returns its fields as they will be stored.

    The fields are decoded back before anything is written, so what is stored is what a reader will get.
    """
    if not isinstance(action.action, ACTION_TYPES):
        raise ValueError(f"{type(action.action).__name__} is not an operator action")
    if not isinstance(action.alert, str):
        raise ValueError("action alert must be a fingerprint string")
    if not math.isfinite(float(action.at)):
        raise ValueError("action time is not finite")
    fields = validated_payload(action_fields(action.action))
    action_from_fields(action.kind, fields)
    return fields


def identity_json(identity: Identity) -> str:
    """The actor as stored in actions and the audit log (roles are configuration, not identity)."""
    return canonical_json({"user": identity.user, "sudo_user": identity.sudo_user, "ssh_client": identity.ssh_client})


def identity_from_json(text: str) -> Identity:
    data: dict[str, Any] = json.loads(text)
    return Identity(
        user=str(data.get("user", "")),
        sudo_user=str(data.get("sudo_user", "")),
        ssh_client=str(data.get("ssh_client", "")),
    )


def labels_json(labels: Labels) -> str:
    """Labels as canonical JSON object text: the key of a series and of a transition's labels."""
    return canonical_json(dict(labels))


def labels_from_json(text: str) -> Labels:
    data: dict[str, Any] = json.loads(text)
    return tuple(sorted((str(key), str(value)) for key, value in data.items()))
