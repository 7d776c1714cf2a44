"""What the poller says about itself to Prometheus: polls and their errors per collector kind, store errors,
the last reload, the heartbeat. Counts only go up; the exporter turns them into counters."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from dutyroom.model import PollResult


@dataclass
class PollCounts:
    """Polls, their total duration and their failures (by state) for one collector kind."""

    polls: int = 0
    seconds: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class SelfMetrics:
    kinds: dict[str, PollCounts] = field(default_factory=dict)
    store_errors: int = 0
    """Batches whose state could not be saved."""
    reload_ok: bool = True
    reload_ok_at: float = 0.0
    heartbeat_at: float = 0.0

    def polled(self, result: PollResult, kind: str) -> None:
        counts = self.kinds.setdefault(kind, PollCounts())
        counts.polls += 1
        counts.seconds += max(result.duration_s, 0.0)
        if result.failure is not None:
            counts.errors[str(result.failure)] = counts.errors.get(str(result.failure), 0) + 1

    def snapshot(self) -> SelfMetrics:
        """A copy for the exporter's thread, which must never see a half-updated count."""
        return copy.deepcopy(self)
