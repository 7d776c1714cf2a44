"""Acks and one-shot silences that just lapsed, turned into `lapse` actions so that expiry is decided once.

Readers decide by the clock until a lapse is recorded, and by the record after: the poller (`serve`, or the
console that owns the room) asks a `LapseWatch` after every batch and records what it returns, so a wall
clock that jumps forward and back again brings nothing back (RELIABILITY R8). An ack lapses when it expires
or, for a normal ack, when its alert's severity rises above the one it was made at; a silence when its end
passes. Recurring windows are schedules of the local clock, not expiries: nothing is recorded for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dutyroom.actions_model import Lapse
from dutyroom.config.load import LoadedConfig
from dutyroom.model import Identity
from dutyroom.operators.state import EXPIRED, OperatorState, SilenceWindow, silence_from_config
from dutyroom.rules.alert import Check
from dutyroom.store.database import Store
from dutyroom.store.records import ActionRecord


def due_lapses(
    config: LoadedConfig, checks: Iterable[Check], operator: OperatorState, now: float
) -> list[tuple[Lapse, str]]:
    """The lapses to record at `now`, each with the alert it is about ("" for a silence). Pure."""
    due: list[tuple[Lapse, str]] = []
    for check in checks:
        ack = operator.acks.get(check.fingerprint)
        if ack is None or not check.active or ack.at < check.active_since:
            continue  # no ack, or one from an earlier incident: it applies to nothing, nothing to decide
        reason = ack.lapse_reason(now, check.severity)
        if reason:
            due.append((Lapse(reason=reason, ack=ack.action_id), check.fingerprint))
    for window in _one_shot_windows(config, operator):
        if now >= window.end and not operator.lapsed(window):
            due.append((Lapse(reason=EXPIRED, silence=window.id, end=window.end), ""))
    return due


def _one_shot_windows(config: LoadedConfig, operator: OperatorState) -> list[SilenceWindow]:
    timezone: ZoneInfo = config.timezone
    configured = [silence_from_config(silence, timezone) for silence in config.parsed.silence]
    return [window for window in (*configured, *operator.silences.values()) if window.one_shot]


class LapseWatch:
    """Follows the store's action log and says, after each batch, which lapses to record (each only once)."""

    def __init__(self, actor: Identity) -> None:
        self.actor = actor
        self.operator = OperatorState()

    def due(self, store: Store, config: LoadedConfig, checks: Iterable[Check], now: float) -> list[ActionRecord]:
        """The lapse records to write now. They are folded in at once, so a record still waiting to be written
        (a full disk) is not asked for again."""
        while batch := store.actions_after(self.operator.last_action_id):
            self.operator.apply_all(batch)
        records = []
        for lapse, alert in due_lapses(config, checks, self.operator, now):
            self.operator.note_lapse(lapse, alert)
            records.append(ActionRecord(lapse, self.actor, now, alert))
        return records
