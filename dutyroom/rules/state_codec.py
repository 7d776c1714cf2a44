"""How the engine's state is kept in the store: the one place that knows the keys and the encoding.

The store keeps opaque text per key (`Store.save_alert_states`): a check under its fingerprint, a target's
health under `target:` and the target's id, each as msgspec JSON. The poller writes and restores them
(`Engine.export_changes`, `Engine.restore`), the CLI and the handover read them all (`read_engine_state`),
and the console reads the changed ones every tick (`EngineStateCache`).

The console shows no inactive check, and most checks in a room are inactive, so `is_inactive` tells one
from its text without decoding it: one substring test for the phase field exactly as this encoder writes
it, which JSON's escaping keeps from matching inside any string (and no field of a Check maps text to text;
tests/unit/test_state_codec.py holds the test to decoding). Measured in bench/engine_state.py's room with
each way swapped in (6,000 blobs, all changed, 400 active), a tick's read costs ~9 ms with the substring
test, ~12 ms decoding only the phase, ~14 ms decoding everything; testing a prefix (phase written first)
would gain ~0.1 ms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from dutyroom.rules.alert import AlertPhase, Check, TargetHealth

TARGET_PREFIX = "target:"
"""A target health's key is this and the target's id; a check's key is its fingerprint."""

_ENCODER = msgspec.json.Encoder()
_CHECK = msgspec.json.Decoder(Check)
_HEALTH = msgspec.json.Decoder(TargetHealth)
_PHASE_FIELD = next(item.encode_name for item in msgspec.structs.fields(Check) if item.name == "phase")
_INACTIVE_MARK = _ENCODER.encode({_PHASE_FIELD: AlertPhase.INACTIVE}).decode()[1:-1]
"""The phase field of an inactive check, exactly as `_ENCODER` writes it."""


@dataclass(frozen=True)
class StoredState:
    """The engine state read back from the store."""

    checks: dict[str, Check]
    """Checks by store key (their fingerprint)."""
    health: dict[str, TargetHealth]
    """Target health by target id."""
    undecodable: frozenset[str] = field(default=frozenset())
    """Store keys whose text did not decode (skipped)."""


def health_key(target_id: str) -> str:
    return TARGET_PREFIX + target_id


def encode(item: Check | TargetHealth) -> tuple[str, str]:
    """The key and the text the store keeps for a check or a target's health."""
    if isinstance(item, TargetHealth):
        return health_key(item.target), _ENCODER.encode(item).decode()
    if item.fingerprint.startswith(TARGET_PREFIX):
        raise ValueError(f"a check's fingerprint may not start with {TARGET_PREFIX!r}: {item.fingerprint!r}")
    return item.fingerprint, _ENCODER.encode(item).decode()


def encode_all(checks: Iterable[Check], health: Iterable[TargetHealth]) -> dict[str, str]:
    """Key -> text for every check and target health given."""
    return dict(encode(item) for items in (checks, health) for item in items)


def decode(key: str, text: str) -> Check | TargetHealth:
    """What `encode` stored under `key`; raises msgspec.DecodeError when the text is not one."""
    if key.startswith(TARGET_PREFIX):
        return _HEALTH.decode(text)
    return _CHECK.decode(text)


def decode_all(blobs: Mapping[str, str]) -> StoredState:
    """Every entry of `Store.load_alert_states`; entries that do not decode are named, not raised."""
    checks: dict[str, Check] = {}
    health: dict[str, TargetHealth] = {}
    undecodable: set[str] = set()
    for key, text in blobs.items():
        try:
            item = decode(key, text)
        except msgspec.DecodeError:
            undecodable.add(key)
            continue
        if isinstance(item, TargetHealth):
            health[item.target] = item
        else:
            checks[key] = item
    return StoredState(checks, health, frozenset(undecodable))


def is_inactive(text: str) -> bool:
    """Whether `text`, as `encode` wrote it, is an inactive check (told without decoding it).

    Text from another JSON encoder (other spacing, say) is never taken for inactive: decode it to know."""
    return _INACTIVE_MARK in text


def decode_skipping_inactive(key: str, text: str) -> Check | TargetHealth | None:
    """The entry, or None for an inactive check (left undecoded when `is_inactive` can tell) and for text
    that does not decode: what the console reads each tick, since it neither shows nor counts either.

    `decode` and `is_inactive` written out inline: this runs for every changed entry on every tick."""
    try:
        if key.startswith(TARGET_PREFIX):
            return _HEALTH.decode(text)
        if _INACTIVE_MARK in text:
            return None
        check = _CHECK.decode(text)
    except msgspec.DecodeError:
        return None
    return check if check.phase is not AlertPhase.INACTIVE else None
