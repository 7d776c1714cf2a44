"""What the console needs from whoever owns the state, as a protocol and frozen snapshots.

Two implementations exist: the owner (this process polls and runs the engine) and the attached viewer
(another process polls; this one reads the store). The console never knows which, beyond `mode`.
Fakes implementing this protocol drive the console's unit and snapshot tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from dutyroom.config.types import BellSetting
from dutyroom.duties.status import Readiness
from dutyroom.model import Identity, Labels, MetricValue, State, Transition
from dutyroom.operators.roles import Role
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.runs import PlaybookRun
from dutyroom.views.alerts import AlertView, CollectorHealth, GroupCount

Mode = Literal["owner", "viewer"]


@dataclass(frozen=True, slots=True)
class StatusLine:
    site: str
    now: float
    timezone: str
    phase_kind: str
    phase_text: str
    calendar_warning: str
    health: CollectorHealth
    reload_status: str
    """'' when the config in force loaded cleanly; otherwise 'reload failed: file:line:col: message'."""
    mode: Mode
    identity: Identity
    role: Role
    calendar_mark: str = ""
    """'provisional calendar' or 'draft calendar' while today's phase is not the exchanges' confirmed word."""
    readiness: Readiness | None = None
    """The verdict of today's running duty (the pre-open check), until the opening it prepares for."""
    duty_state: str = ""
    """That duty's state: 'running', 'done' or 'missed' ('' when there is no verdict to show)."""
    duty_title: str = ""
    """That duty's checklist title in the console's language ('Pre-open readiness check')."""


@dataclass(frozen=True)
class ConsoleSnapshot:
    """Everything the main screen shows, at one instant."""

    status: StatusLine
    alerts: tuple[AlertView, ...]
    overview: tuple[GroupCount, ...]
    runs: Mapping[str, PlaybookRun] = field(default_factory=dict)
    """Open playbook run per alert fingerprint."""
    language: str = "en"
    bell: BellSetting = "critical"
    """The site's bell rule (`[defaults] bell`), read with each snapshot so a reload changes it."""
    transitions: tuple[Transition, ...] = ()
    """Alert transitions recorded since the previous snapshot, oldest first: what the bell decides on. The first
    snapshot has none (what fired before the console opened is on screen, not news)."""


@dataclass(frozen=True, slots=True)
class MetricLine:
    metric: str
    labels: Labels
    value: MetricValue | None
    unit: str
    age_s: float
    history: tuple[float, ...]
    """Values over the last hour, oldest first, for a sparkline."""


@dataclass(frozen=True, slots=True)
class TargetDetail:
    target: str
    name: str
    group: str
    kind: str
    state: State
    last_error: str
    metrics: tuple[MetricLine, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the timeline, kept as words the console translates rather than as one English sentence."""

    at: float
    kind: str
    """'event', 'transition' or 'action'."""
    target: str
    text: str
    """Free text: an event's message, a transition's value, an action's comment, note or reason."""
    who: str = ""
    drill: bool = False
    rule: str = ""
    what: str = ""
    """What happened: an event's kind ('trap'), an action's kind ('ack', 'run-join') or the phase a transition
    entered ('firing'); the console shows it in its own language."""
    before: str = ""
    """The phase a transition left ('pending'); '' for events and actions."""
    severity: str = ""
    step: int = 0
    """The playbook step an action is about; 0 for none."""


class ConsoleSource(Protocol):
    """The console's only window onto the room. It only reads: actions go to a `dutyroom.operators.desk` desk."""

    def snapshot(self, now: float) -> ConsoleSnapshot:
        """The room now; each transition comes with one snapshot only (the console is the one reader)."""
        ...

    def playbook(self, playbook_id: str, language: str) -> Playbook | None: ...

    def detail(self, target_id: str, now: float) -> TargetDetail | None: ...

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]: ...
