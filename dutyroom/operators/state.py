"""Operator state rebuilt from the durable action log: acknowledgements, silences and notes.

Acknowledgements belong to one incident: an ack made before the alert last became active no longer
applies, so an ack clears itself when the alert recovers and fires again. A normal ack also stops applying
when the alert's severity rises above the one it was made at (Icinga's default: escalation resumes); a sticky
ack is kept. Silences come from config and from operators; both are matched by rule, target and group.

Expiry is decided once: when the poller first sees an ack or a one-shot silence lapse it records a `lapse`
action (`dutyroom.operators.lapses`), and from then on the fold drops it whatever the clock says, so a clock
set back (+1 h and back) cannot bring it back. Each item is decided on its own: a high-water mark of "now"
shared by all would also make a silence recorded after the clock went back look expired at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dutyroom import actions_model as actions
from dutyroom.config.types import Silence
from dutyroom.model import Identity
from dutyroom.rules.alert import SEVERITY_ORDER
from dutyroom.store.records import StoredAction

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Ack:
    by: Identity
    at: float
    comment: str
    expires_at: float | None = None
    sticky: bool = False
    severity: str = ""
    """The alert's severity when acknowledged ("" for acks recorded before it was kept: never cleared by a rise)."""
    action_id: int = 0
    """The ack action's id, which a `lapse` names."""

    def applies(self, active_since: float, now: float, severity: str = "") -> bool:
        """Whether the ack covers an alert active since `active_since`, at `severity`, at `now`."""
        return self.at >= active_since and not self.lapse_reason(now, severity)

    def lapse_reason(self, now: float, severity: str) -> str:
        """Why the ack stopped applying to its incident ('expired', 'severity rose to critical'), or ""."""
        if self.expires_at is not None and now >= self.expires_at:
            return EXPIRED
        if self.rose_above(severity):
            return f"severity rose to {severity}"
        return ""

    def rose_above(self, severity: str) -> bool:
        """A normal ack's alert is now more severe than when it was acknowledged."""
        if self.sticky or self.severity not in SEVERITY_ORDER or severity not in SEVERITY_ORDER:
            return False
        return SEVERITY_ORDER[severity] > SEVERITY_ORDER[self.severity]


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

    @property
    def one_shot(self) -> bool:
        """A window with a start and an end (it can expire), not a recurring one."""
        return not self.days

    def active_at(self, now: float, timezone: ZoneInfo) -> bool:
        """Inside the window at `now`. A recurring window that crosses midnight belongs to the night it starts:
        `days = ["fri"]`, 22:00-06:00 covers Friday 22:00 to Saturday 06:00, not Friday's small hours."""
        if self.one_shot:
            return self.start <= now < self.end
        if self.from_time is None or self.to_time is None:
            return False
        local = datetime.fromtimestamp(now, timezone)
        clock, day = local.time(), local.date()
        if self.from_time <= self.to_time:
            return self.from_time <= clock < self.to_time and _WEEKDAYS[day.weekday()] in self.days
        if clock >= self.from_time:
            return _WEEKDAYS[day.weekday()] in self.days
        if clock < self.to_time:
            return _WEEKDAYS[(day - timedelta(days=1)).weekday()] in self.days
        return False

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
    lapsed_windows: set[tuple[str, float]] = field(default_factory=set)
    """One-shot silences (id, end) recorded as lapsed: over for good, whatever the clock says."""
    last_action_id: int = 0

    def lapsed(self, window: SilenceWindow) -> bool:
        """A one-shot window recorded as lapsed (readers leave it out, whatever the clock says)."""
        return window.one_shot and (window.id, window.end) in self.lapsed_windows

    def apply_all(self, actions: Iterable[StoredAction]) -> None:
        for action in actions:
            self.apply(action)

    def apply(self, stored: StoredAction) -> None:
        """Fold one stored action in; other kinds are left to other readers (e.g. playbook runs)."""
        self.last_action_id = max(self.last_action_id, stored.id)
        match stored.action:
            case actions.Ack() as ack if stored.alert:
                self.acks[stored.alert] = Ack(
                    stored.actor, stored.at, ack.comment, ack.expires_at, ack.sticky, ack.severity, stored.id
                )
            case actions.Unack():
                self.acks.pop(stored.alert, None)
            case actions.Lapse() as lapse:
                self.note_lapse(lapse, stored.alert)
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

    def note_lapse(self, lapse: actions.Lapse, alert: str) -> None:
        """Drop what `lapse` names, if it is still the same ack or window (folding it twice changes nothing)."""
        if lapse.ack:
            current = self.acks.get(alert)
            if current is not None and current.action_id == lapse.ack:
                del self.acks[alert]
        if lapse.silence:
            self.lapsed_windows.add((lapse.silence, lapse.end))
            window = self.silences.get(lapse.silence)
            if window is not None and window.one_shot and window.end == lapse.end:
                del self.silences[lapse.silence]
