"""What the console does while nobody polls: notice each outage once, and show every value as stale.

With the poller down the store still holds the last states (`✔ OK` rows included) but none of them is being
checked any more; the console then shows every alert and every group count as STALE, values kept with their
ages, and the status line counts every collector stale (none "on time"), until a heartbeat comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dutyroom.model import State
from dutyroom.store.liveness import PollerLiveness
from dutyroom.views.alerts import AlertView, CollectorHealth, GroupCount
from dutyroom.views.console_source import ConsoleSnapshot

LivenessReader = Callable[[float], PollerLiveness]
"""Looks at the poller at `now` (the console's clock); the launcher reads the state directory's lock and store."""


class OutageWatch:
    """Tells when an outage starts, so the bell rings once per outage however many ticks it lasts."""

    def __init__(self) -> None:
        self._down = False

    def started(self, liveness: PollerLiveness) -> bool:
        """True on the first look that finds the poller down after one that did not (or on the very first)."""
        was_down, self._down = self._down, liveness.down
        return liveness.down and not was_down


class StaleWhileDown:
    """A snapshot as shown while the poller is down: every state STALE, values and their ages as they were.

    The result is kept while the source hands out the same tuples, so the alert table still sees an unchanged
    list as unchanged and repaints nothing but the ages.
    """

    def __init__(self) -> None:
        self._alerts_in: tuple[AlertView, ...] | None = None
        self._alerts_out: tuple[AlertView, ...] = ()
        self._overview_in: tuple[GroupCount, ...] | None = None
        self._overview_out: tuple[GroupCount, ...] = ()

    def apply(self, snapshot: ConsoleSnapshot) -> ConsoleSnapshot:
        if snapshot.alerts is not self._alerts_in:
            self._alerts_in = snapshot.alerts
            self._alerts_out = tuple(_stale_alert(alert) for alert in snapshot.alerts)
        if snapshot.overview is not self._overview_in:
            self._overview_in = snapshot.overview
            self._overview_out = tuple(_stale_group(group) for group in snapshot.overview)
        health = snapshot.status.health
        unwatched = CollectorHealth(health.targets, 0, health.targets, 0)
        return replace(
            snapshot,
            alerts=self._alerts_out,
            overview=self._overview_out,
            status=replace(snapshot.status, health=unwatched),
        )


def _stale_alert(alert: AlertView) -> AlertView:
    return alert if alert.state is State.STALE else replace(alert, state=State.STALE)


def _stale_group(group: GroupCount) -> GroupCount:
    targets = sum(group.counts.values())
    return replace(group, counts={State.STALE: targets} if targets else {})
