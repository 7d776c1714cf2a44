"""The live state a verifier reads: the engine's checks and target health, and which alerts are acknowledged.

The poller builds it from its engine; a command builds it from what the poller last saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import Check, TargetHealth


@dataclass(frozen=True)
class LiveState:
    """The room at `now` (epoch seconds), as the rule engine sees it."""

    now: float
    checks: tuple[Check, ...] = ()
    health: Mapping[str, TargetHealth] = field(default_factory=dict)
    acknowledged: frozenset[str] = frozenset()
    """Fingerprints of alerts an operator has acknowledged."""

    @classmethod
    def of(
        cls,
        now: float,
        checks: Iterable[Check],
        health: Mapping[str, TargetHealth],
        acknowledged: Iterable[str] = (),
    ) -> LiveState:
        return cls(now, tuple(checks), dict(health), frozenset(acknowledged))


def acknowledged_alerts(operators: OperatorState, checks: Iterable[Check], now: float) -> frozenset[str]:
    """The fingerprints of the alerts among `checks` whose acknowledgement still applies at `now`."""
    return frozenset(
        check.fingerprint
        for check in checks
        if (ack := operators.acks.get(check.fingerprint)) is not None
        and ack.applies(check.active_since, now, check.severity)
    )
