"""The values that cross layers: samples from collectors, states, events, alert transitions and operator identity.

Times are Unix epoch seconds (wall clock, UTC) in records; display converts them to the site's timezone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Labels = tuple[tuple[str, str], ...]
"""Identifying labels of a series, sorted by key (e.g. `(("ifname", "XGE1/0/1"),)`)."""

SOURCE_ALERT_METRIC = "alertmanager.alert"
"""The metric of an alert read from an Alertmanager (`kind = "alertmanager"`): 2 critical, 1 other, 0 gone."""

SENT_MARK_LABEL = "dutyroom_site"
"""The label on every alert `serve` posts to an Alertmanager, valued with its site's name: an Alertmanager
source leaves alerts with it out, so that dutyroom never reads its own alerts (or another site's) back."""

RUNBOOK_LABEL = "runbook_url"
"""The label that links rather than names: an Alertmanager source carries an alert's `runbook_url` annotation
as this label; the console shows it as a link, never as part of the target."""

SUMMARY_ANNOTATION = "summary"
"""What a source's rule author wrote in one line ("Disk /var on db1 will fill in 4h"): shown where a rule's
summary goes."""
DESCRIPTION_ANNOTATION = "description"
"""The longer text beside the summary: shown in the alert's detail, its playbook pane and the handover."""

MetricValue = float | str


def make_labels(pairs: dict[str, str] | None = None) -> Labels:
    """Labels in their canonical (sorted) form."""
    return tuple(sorted((pairs or {}).items()))


class State(StrEnum):
    """What a check says about a target right now; every state has a symbol and a word."""

    OK = "ok"
    """The value is within its thresholds."""
    WARNING = "warning"
    """A warning threshold is crossed."""
    CRITICAL = "critical"
    """A critical threshold is crossed."""
    UNREACHABLE = "unreachable"
    """The target did not answer (timeout, refused, no route)."""
    UNKNOWN = "unknown"
    """An answer came but could not be evaluated (garbage, wrong type, missing object)."""
    STALE = "stale"
    """No fresh data for longer than the staleness limit; the last value is shown with its age only."""

    @property
    def symbol(self) -> str:
        return STATE_SYMBOLS[self]

    @property
    def ascii_symbol(self) -> str:
        return STATE_ASCII_SYMBOLS[self]

    @property
    def rank(self) -> int:
        """How urgently a human is needed: higher first."""
        return STATE_RANKS[self]


STATE_SYMBOLS = {
    State.CRITICAL: "✖",
    State.UNREACHABLE: "⊘",
    State.WARNING: "▲",
    State.UNKNOWN: "?",
    State.STALE: "◌",
    State.OK: "✔",
}
STATE_ASCII_SYMBOLS = {
    State.CRITICAL: "X",
    State.UNREACHABLE: "#",
    State.WARNING: "^",  # "!" marks an unacknowledged critical alert; "^" is the triangle
    State.UNKNOWN: "?",
    State.STALE: "~",
    State.OK: "+",
}
"""For terminals without the symbols above (`--ascii`, TERM=linux): one character per state, none of them used
for anything else on screen (`!` is the unhandled mark, `...` the ellipsis)."""
STATE_RANKS = {
    State.CRITICAL: 6,
    State.UNREACHABLE: 5,
    State.WARNING: 4,
    State.UNKNOWN: 3,
    State.STALE: 2,
    State.OK: 0,
}


class AlertPhase(StrEnum):
    """Where an alert is in Prometheus's lifecycle: inactive -> pending -> firing -> resolved."""

    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class Transition:
    """An alert moved from one phase to another (or fired at another severity); `notify` says whether people
    should be told. The rule engine makes these and the store keeps them as they are, for the timeline and
    time-in-state reports: one shape for one fact."""

    at: float
    fingerprint: str
    rule: str
    target: str
    labels: Labels
    before: AlertPhase
    after: AlertPhase
    state: State
    severity: str
    value: str
    reason: str
    notify: bool
    suppressed_by: str = ""
    flapping: bool = False
    drill: bool = False


@dataclass(frozen=True, slots=True)
class Sample:
    """One decoded measurement: `ups.runtime_min` of `ups-a` was 42.0 minutes at `at`."""

    target: str
    metric: str
    value: MetricValue
    at: float
    labels: Labels = ()
    unit: str = ""
    annotations: Labels = ()
    """What the source says about the series beside its labels (an Alertmanager alert's summary and
    description), sorted by key, as labels are: never part of its identity, so new text is not a new alert."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, worth a line in the timeline (agent restarted, trap received, ...)."""

    at: float
    kind: str
    target: str
    message: str
    severity: State = State.OK


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one target produced: samples, or a failure state with a short clean reason.

    A failed poll has `failure` set to UNREACHABLE (no answer) or UNKNOWN (an answer that made no sense).
    """

    target: str
    at: float
    samples: tuple[Sample, ...] = ()
    failure: State | None = None
    reason: str = ""
    events: tuple[Event, ...] = ()
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who did something: `user` is the kernel's word (a uid's name); `sudo_user` and `ssh_client` are what the
    client's environment reported, kept as unverified context."""

    user: str
    sudo_user: str = ""
    ssh_client: str = ""
    roles: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        text = self.user
        if self.sudo_user and self.sudo_user != self.user:
            text += f" (SUDO_USER {self.sudo_user}, unverified)"
        if self.ssh_client:
            text += f" from {self.ssh_client}"
        return text
