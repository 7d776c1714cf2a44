"""When silence is news: a series is STALE after the staleness limit of *watching* without fresh data.

The engine can only hear a series while it evaluates. After a gap in its evaluations longer than the
staleness limit (the poller was restarted or SIGKILLed, hung, or the clock jumped forward) every series
would look stale at once, although nobody was listening: 40-odd phantom alerts on every restart. So a gap
starts the watch afresh, as Prometheus does after a restart and Icinga by re-checking before it alerts:
silence is counted from the end of the gap, a series is "no data yet" until the polls after the gap had
their chance, and a real change during the gap shows in those polls and fires from them.
"""

from __future__ import annotations

import math


class ListeningClock:
    """When the engine last evaluated, and since when it has been listening without a break."""

    def __init__(self, gap_after_s: float) -> None:
        self.gap_after_s = gap_after_s
        """A pause between evaluations longer than this is a gap (the shortest staleness limit)."""
        self.last_evaluated_at: float | None = None
        self.listening_since = -math.inf
        """The end of the last gap: no silence before it counts."""

    def resume_after(self, last_heard_at: float) -> None:
        """Carry on from saved state whose newest record is `last_heard_at` (0: nothing was saved)."""
        if last_heard_at > 0:
            self.last_evaluated_at = max(self.last_evaluated_at or 0.0, last_heard_at)

    def observe(self, now: float) -> float:
        """Note an evaluation at `now`; returns the length of the gap it ends (0.0 when there was none).

        A clock that went back is no gap: silence then just looks shorter until the clock catches up."""
        gap = 0.0
        if self.last_evaluated_at is not None and now - self.last_evaluated_at > self.gap_after_s:
            gap = now - self.last_evaluated_at
            self.listening_since = now
        self.last_evaluated_at = now
        return gap

    def silent_for(self, last_heard_at: float, now: float) -> float:
        """How long the engine has listened at `now` without hearing from a series last heard at `last_heard_at`."""
        return now - max(last_heard_at, self.listening_since)
