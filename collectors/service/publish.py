"""How the poller tells the outside it is alive and what is wrong: the beacon file and the service manager.

Consoles and `dutyroom status` read the beacon beside dutyroom.db (see `dutyroom.store.beacon`), which keeps
beating when the database cannot be written; systemd gets READY/RELOADING/STATUS/WATCHDOG (see `notify`). Both
are fed from the poll loop after each batch, so neither says "alive" for a loop that no longer turns.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from collectors.service.notify import ServiceNotifier
from collectors.service.saving import StoreProblem
from dutyroom.store.beacon import BeaconReading, BeaconWriter

log = logging.getLogger(__name__)

BEACON_RETRY_S = 10.0
STATUS_EVERY_S = 1.0
"""STATUS= is recomputed at most this often (it counts every target); READY= goes out at once."""


class Publisher:
    """The beacon and the notifier behind one call per batch."""

    def __init__(
        self,
        state_dir: Path,
        notifier: ServiceNotifier | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.state_dir = state_dir
        self.notifier = notifier or ServiceNotifier.disabled()
        self._monotonic = monotonic
        self._beacon: BeaconWriter | None = None
        self._beacon_tried_at: float | None = None
        self._beacon_problem = ""
        self._ready_due = True
        self._status_at: float | None = None

    def batch_done(
        self,
        now: float,
        summary: Callable[[], str],
        store_problem: StoreProblem | None,
        listener_problems: Sequence[str],
        *,
        advanced: bool,
    ) -> None:
        """After a batch: beat the beacon; READY when due, else STATUS when changed; WATCHDOG if the loop advanced."""
        self._beat(now, store_problem, listener_problems)
        notifier = self.notifier
        if not notifier.enabled:
            return
        if self._ready_due:
            self._ready_due = False
            self._status_at = self._monotonic()
            notifier.ready(summary())
        elif self._status_at is None or self._monotonic() - self._status_at >= STATUS_EVERY_S:
            self._status_at = self._monotonic()
            notifier.status(summary())
        if advanced:
            notifier.watchdog()

    def reloading(self) -> None:
        """A reload begins; READY follows after the next batch, whichever configuration then runs."""
        self._ready_due = True
        self.notifier.reloading()

    def stopping(self) -> None:
        self.notifier.stopping()

    def close(self) -> None:
        if self._beacon is not None:
            self._beacon.close()
            self._beacon = None
        self.notifier.close()

    def _beat(self, now: float, store_problem: StoreProblem | None, listener_problems: Sequence[str]) -> None:
        reading = BeaconReading(
            at=now,
            pid=os.getpid(),
            store_problem=store_problem.text() if store_problem else "",
            store_problem_since=store_problem.since if store_problem else None,
            listener_problems=tuple(listener_problems),
        )
        try:
            if self._beacon is None:
                if not self._may_open():
                    return
                self._beacon = BeaconWriter.open(self.state_dir, reading)
            else:
                self._beacon.beat(reading)
        except OSError as error:
            self._beacon_failed(error)
            return
        if self._beacon_problem:
            log.info("beacon %s written again", self._beacon.path)
            self._beacon_problem = ""

    def _may_open(self) -> bool:
        now = self._monotonic()
        if self._beacon_tried_at is not None and now - self._beacon_tried_at < BEACON_RETRY_S:
            return False
        self._beacon_tried_at = now
        return True

    def _beacon_failed(self, error: OSError) -> None:
        text = f"cannot write the beacon in {self.state_dir}: {error.strerror or error}"
        if text != self._beacon_problem:
            log.error("%s; consoles may take the poller for dead while the store is not saved either", text)
            self._beacon_problem = text
