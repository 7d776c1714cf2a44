"""When to ring the terminal bell: a critical alert firing whose fingerprint was not seen firing before.

The first snapshot only seeds what is already firing (an operator opening the console sees those on
screen); every later newcomer rings once.
"""

from __future__ import annotations

from collections.abc import Iterable

from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView


class NewCriticalWatch:
    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._seeded = False

    def newcomers(self, alerts: Iterable[AlertView]) -> list[str]:
        """Fingerprints of critical alerts firing for the first time since the console started."""
        firing = [
            alert.fingerprint for alert in alerts if alert.phase is AlertPhase.FIRING and alert.severity == "critical"
        ]
        new = [fingerprint for fingerprint in firing if fingerprint not in self._seen]
        self._seen.update(firing)
        if not self._seeded:
            self._seeded = True
            return []
        return new
