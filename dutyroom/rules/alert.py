"""The state kept per check (rule x target x labels): its alert phase, value, flapping history.

A `Check` is what the engine persists; its alert is the Prometheus-style lifecycle
inactive -> pending -> firing -> resolved, keyed by a fingerprint of (rule, target, labels). `AlertPhase`
itself lives in `dutyroom.model`, beside the `Transition` between phases that the store keeps.
"""

from __future__ import annotations

import hashlib

import msgspec

from dutyroom.model import AlertPhase, Labels, MetricValue, State

__all__ = ["SEVERITY_ORDER", "STATE_SEVERITY", "AlertPhase", "Check", "TargetHealth", "fingerprint"]

SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}
STATE_SEVERITY = {
    State.CRITICAL: "critical",
    State.UNREACHABLE: "critical",
    State.WARNING: "warning",
    State.UNKNOWN: "warning",
    State.STALE: "warning",
    State.OK: "info",
}


def fingerprint(rule: str, target: str, labels: Labels) -> str:
    """A short stable id for one check's alert."""
    text = "\x1f".join([rule, target, *(f"{key}={value}" for key, value in labels)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class Check(msgspec.Struct, kw_only=True):
    """One check's evaluated state; persisted as JSON between restarts."""

    fingerprint: str
    rule: str
    target: str
    labels: Labels = ()
    state: State = State.OK
    reason: str = ""
    value: MetricValue | None = None
    value_at: float = 0.0
    unit: str = ""
    phase: AlertPhase = AlertPhase.INACTIVE
    severity: str = "info"
    active_since: float = 0.0
    fired_at: float = 0.0
    resolved_at: float = 0.0
    keep_firing_since: float = 0.0
    """The first evaluation that found the condition false while firing (0: none since it was last true)."""
    suppressed_by: str = ""
    """The down parent(s) that explain this alert, joined by '+'; the target itself for a STALE series whose
    target is failing."""
    checking_parent: str = ""
    """Parent(s) whose failures are being confirmed: this alert would fire, and waits pending until they are known."""
    set_by_trap: bool = False
    """The value came with a trap: it holds (never STALE) until a new trap, a poll or the hold time."""
    flapping: bool = False
    changes: list[bool] = []
    peaks: dict[str, float] = {}
    drill: bool = False
    annotations: Labels = ()
    """What its source last said about the alert beside the labels (`Sample.annotations`: an Alertmanager
    alert's summary and description); not in the fingerprint, and its changes are no state change."""

    @property
    def active(self) -> bool:
        """Shown as an alert: pending, firing, or recently resolved."""
        return self.phase is not AlertPhase.INACTIVE

    @property
    def firing(self) -> bool:
        return self.phase is AlertPhase.FIRING


class TargetHealth(msgspec.Struct, kw_only=True):
    """How polling of one target is going (for reachability rules and the status line)."""

    target: str
    last_result_at: float = 0.0
    last_ok_at: float = 0.0
    consecutive_failures: int = 0
    failure: State | None = None
    reason: str = ""
    hard_failure_since: float = 0.0
