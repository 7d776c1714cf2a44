"""A target that cannot be set up (unknown profile, unreadable secret, bad address) still gets polled: as UNKNOWN.

Leaving such a target out of the schedule made it silently unwatched: no health, no alert, only an event at
start-up. This stand-in reports UNKNOWN with the set-up reason at the target's interval, so the engine treats it
like any failing target (reachability rules alert on it, the overview and `status` count it as failing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dutyroom.model import PollResult, State
from dutyroom.textclean import clean_text

SETUP_REASON_CHARS = 240


class SetupFailureCollector:
    """Stands in for the collector of a target that could not be built; `poll` never raises."""

    def __init__(
        self, target_id: str, interval_s: float, reason: str, *, wall_clock: Callable[[], float] = time.time
    ) -> None:
        self._target_id = target_id
        self._interval_s = interval_s
        self.reason = "cannot be set up: " + clean_text(reason, SETUP_REASON_CHARS)
        self._wall_clock = wall_clock

    @property
    def target_id(self) -> str:
        return self._target_id

    @property
    def interval_s(self) -> float:
        return self._interval_s

    async def poll(self) -> PollResult:
        return PollResult(self._target_id, self._wall_clock(), failure=State.UNKNOWN, reason=self.reason)

    async def aclose(self) -> None:
        return None
