"""Is anyone watching the room? The poller's lock and heartbeat, judged against one bound that consoles,
`dutyroom status` and `dutyroom alerts` all share.

The poller writes its heartbeat every batch (a few times a second). It is down when its lock is free (it died:
the kernel dropped the lock, so this is seen at once) or when its heartbeat is older than POLLER_DOWN_AFTER_S
(it hangs). A poller that took the lock less than that bound ago and has not beaten yet is starting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dutyroom.store.database import Store
from dutyroom.store.lock import LockState, probe_lock
from dutyroom.store.records import Heartbeat

POLLER_DOWN_AFTER_S = 10.0
"""Ten console ticks, and twice SQLite's 5 s busy timeout: a poller whose heartbeat write queues behind another
writer never looks dead, and one that stopped is called down within a few ticks."""


class PollerState(StrEnum):
    ALIVE = "alive"
    STARTING = "starting"
    """The lock was taken less than the bound ago and no heartbeat came since."""
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class PollerLiveness:
    state: PollerState
    reason: str
    """Why, in a few words: 'heartbeat 0.4 s ago', 'not running', 'no heartbeat for 42 s', ..."""
    since: float
    """Since when nothing is watched: the last heartbeat (or, without one, when a hung poller took the lock);
    0 when no poller ever beat here. Meaningful only when down."""
    pid: int | None
    heartbeat_at: float | None

    @property
    def down(self) -> bool:
        return self.state is PollerState.DOWN


def judge_poller(
    heartbeat: Heartbeat | None, lock: LockState, now: float, bound_s: float = POLLER_DOWN_AFTER_S
) -> PollerLiveness:
    """The verdict on one look at the lock and the heartbeat (pure: time is passed in)."""
    beat_at = heartbeat.at if heartbeat is not None else None
    pid = lock.pid if lock.pid is not None else (heartbeat.pid if heartbeat is not None else None)
    if not lock.held:
        return PollerLiveness(PollerState.DOWN, "not running", beat_at or 0.0, pid, beat_at)
    if heartbeat is not None and heartbeat.is_fresh(now, bound_s):
        age = max(0.0, heartbeat.age(now))
        return PollerLiveness(PollerState.ALIVE, f"heartbeat {age:.1f} s ago", 0.0, pid, beat_at)
    if now - lock.since <= bound_s:
        return PollerLiveness(PollerState.STARTING, "started, no heartbeat yet", 0.0, pid, beat_at)
    last_sign = beat_at if beat_at is not None else lock.since
    return PollerLiveness(PollerState.DOWN, f"no heartbeat for {now - last_sign:.0f} s", last_sign, pid, beat_at)


def read_poller_liveness(store: Store, now: float, bound_s: float = POLLER_DOWN_AFTER_S) -> PollerLiveness:
    """Look at the lock beside `store` and at its heartbeat; creates nothing."""
    lock = probe_lock(store.db_path.parent)
    return judge_poller(store.read_heartbeat(), lock, now, bound_s)
