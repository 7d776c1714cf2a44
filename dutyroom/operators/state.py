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

    def apply(self, action: StoredAction) -> None:
        """Fold one stored action in; unknown kinds are left to other readers (e.g. playbook runs)."""
        self.last_action_id = max(self.last_action_id, action.id)
        payload = action.payload
        if action.kind == "ack" and action.alert:
            expires = payload.get("expires_at")
            self.acks[action.alert] = Ack(
                action.actor,
                action.at,
                str(payload.get("comment", "")),
                float(expires) if isinstance(expires, int | float) else None,
            )
        elif action.kind == "unack":
            self.acks.pop(action.alert, None)
        elif action.kind == "note" and action.alert:
            self.notes.setdefault(action.alert, []).append(
                Note(action.actor, action.at, str(payload.get("text", "")), action.drill)
            )
        elif action.kind == "silence":
            silence_id = str(payload.get("id") or f"s{action.id}")
            self.silences[silence_id] = SilenceWindow(
                id=silence_id,
                rule=str(payload.get("rule") or ""),
                target=str(payload.get("target") or ""),
                group=str(payload.get("group") or ""),
                comment=str(payload.get("comment", "")),
                by=action.actor.describe(),
                start=float(payload.get("start") or action.at),
                end=float(payload.get("end") or action.at),
            )
        elif action.kind == "unsilence":
            self.silences.pop(str(payload.get("id", "")), None)
