"""Operator state rebuilt from the durable action log: acknowledgements, silences and notes.

Acknowledgements belong to one incident: an ack made before the alert last became active no longer
applies, so an ack clears itself when the alert recovers and fires again. Silences come from config and
from operators; both are matched by rule, target and group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from dutyroom import actions_model as actions
from dutyroom.config.types import Silence
from dutyroom.model import Identity
from dutyroom.store.records import StoredAction

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Ack:
    by: Identity
    at: float
    comment: str
    expires_at: float | None = None

    def applies(self, active_since: float, now: float) -> bool:
        return self.at >= active_since and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True, slots=True)
class Note:
    by: Identity
    at: float
    text: str
    drill: bool = False


@dataclass(frozen=True, slots=True)
class SilenceWindow:
    """A silence or maintenance window: one-shot (start/end) or recurring (weekdays, from/to local time)."""

    id: str
    rule: str
    target: str
    group: str
    comment: str
    by: str
    start: float = 0.0
    end: float = 0.0
    days: tuple[str, ...] = ()
    from_time: time | None = None
    to_time: time | None = None

    def matches(self, rule: str, target: str, group: str) -> bool:
        return (
            (not self.rule or self.rule == rule)
            and (not self.target or self.target == target)
            and (not self.group or self.group == group)
        )

    def active_at(self, now: float, timezone: ZoneInfo) -> bool:
        if not self.days:
            return self.start <= now < self.end
        local = datetime.fromtimestamp(now, timezone)
        if _WEEKDAYS[local.weekday()] not in self.days or self.from_time is None or self.to_time is None:
            return False
        clock = local.time()
        if self.from_time <= self.to_time:
            return self.from_time <= clock < self.to_time
        return clock >= self.from_time or clock < self.to_time

    def ends_at(self, now: float) -> float | None:
        """When a one-shot window ends (None for recurring ones)."""
        return self.end if not self.days else None


def silence_from_config(silence: Silence, timezone: ZoneInfo) -> SilenceWindow:
    """A silence window from checks.toml; local times use the site's timezone."""

    def stamp(text: str) -> float:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone)).timestamp()

    return SilenceWindow(
        id=silence.id,
        rule=silence.match.rule,
        target=silence.match.target,
        group=silence.match.group,
        comment=silence.comment,
        by="checks.toml",
        start=stamp(silence.start) if silence.start else 0.0,
        end=stamp(silence.end) if silence.end else 0.0,
        days=tuple(silence.days),
        from_time=time.fromisoformat(silence.from_) if silence.from_ else None,
        to_time=time.fromisoformat(silence.to) if silence.to else None,
    )


@dataclass
class OperatorState:
    """Acks, notes and operator silences, folded from actions in id order."""

    acks: dict[str, Ack] = field(default_factory=dict)
    notes: dict[str, list[Note]] = field(default_factory=dict)
    silences: dict[str, SilenceWindow] = field(default_factory=dict)
    last_action_id: int = 0

    def apply_all(self, actions: Iterable[StoredAction]) -> None:
        for action in actions:
            self.apply(action)

    def apply(self, stored: StoredAction) -> None:
        """Fold one stored action in; other kinds are left to other readers (e.g. playbook runs)."""
        self.last_action_id = max(self.last_action_id, stored.id)
        match stored.action:
            case actions.Ack(comment=comment, expires_at=expires_at) if stored.alert:
                self.acks[stored.alert] = Ack(stored.actor, stored.at, comment, expires_at)
            case actions.Unack():
                self.acks.pop(stored.alert, None)
            case actions.Note(text=text) if stored.alert:
                self.notes.setdefault(stored.alert, []).append(Note(stored.actor, stored.at, text, stored.drill))
            case actions.Silence() as silence:
                silence_id = silence.id or f"s{stored.id}"
                self.silences[silence_id] = SilenceWindow(
                    id=silence_id,
                    rule=silence.rule,
                    target=silence.target,
                    group=silence.group,
                    comment=silence.comment,
                    by=stored.actor.describe(),
                    start=silence.start or stored.at,
                    end=silence.end or stored.at,
                )
            case actions.Unsilence(id=silence_id):
                self.silences.pop(silence_id, None)
