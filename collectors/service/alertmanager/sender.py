"""Alerts to Alertmanager beside the poller: the batch loop hands over the alert views, a task sends.

The poller calls `offer` after every batch (in memory, never blocks); `run` posts what the outbox says is due
to every Alertmanager, so a slow or dead Alertmanager never delays polling. Unsent alerts wait in a bounded
queue (the oldest go first beyond it, as in Prometheus's notifier). A failing Alertmanager is one log line
when it starts failing and one when it answers again, never a line per batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

from collectors.service.alertmanager.client import AlertmanagerClient, Delivery
from collectors.service.alertmanager.outbox import Outbox, Postable, Wording
from collectors.service.alertmanager.silences import MirroredSilence, SilenceMirror
from dutyroom.config.durations import parse_duration
from dutyroom.config.secrets import SecretError
from dutyroom.config.types import Alertmanager
from dutyroom.views.alerts import AlertView

log = logging.getLogger(__name__)
QUEUE_LIMIT = 10_000
BATCH_LIMIT = 64
"""Alerts per request (Prometheus's default `maxBatchSize`)."""


class AlertSender:
    """Owns the outbox, the queue and the client of the room's `[alertmanager]` table (idle without one)."""

    def __init__(self) -> None:
        self.section: Alertmanager | None = None
        self.client: AlertmanagerClient | None = None
        self.outbox = Outbox(60.0)
        self.queue: deque[Postable] = deque(maxlen=QUEUE_LIMIT)
        self.failing: dict[str, str] = {}
        """Alertmanager URL -> why its last request failed."""
        self.sent = 0
        self.mirror: SilenceMirror | None = None
        self.ack_silence_for_s: float | None = None
        self._wanted: Mapping[str, MirroredSilence] = {}
        self._synced: Mapping[str, MirroredSilence] | None = None
        self._wakeup = asyncio.Event()
        self._retired: list[AlertmanagerClient] = []

    def configure(self, section: Alertmanager | None, base_dir: Path, site: str) -> None:
        """Follow the configuration in force; what was sent is remembered, so resolutions still go out."""
        if section == self.section and (self.mirror is None or self.mirror.site == site):
            return
        if self.client is not None:
            self._retired.append(self.client)
        self.section, self.client, self._synced = section, None, None
        if section is None:
            self.queue.clear()
            self.mirror = None
            return
        self.outbox.resend_interval_s = parse_duration(section.resend_interval)
        if not section.mirror_silences:
            self.mirror = None
        elif self.mirror is None or self.mirror.site != site:
            self.mirror = SilenceMirror(site)
        ack_for = section.ack_silence_for
        self.ack_silence_for_s = parse_duration(ack_for) if ack_for and section.mirror_silences else None
        try:
            self.client = AlertmanagerClient(section, base_dir)
        except (SecretError, OSError) as error:
            log.error("alerts not sent to Alertmanager: %s", error)

    def offer(self, views: Sequence[AlertView], wording: Wording, now: float) -> None:
        """Queue what is due at `now` (called by the poller after each batch)."""
        if self.client is None:
            return
        due = self.outbox.due(views, wording, now)
        if due:
            self.queue.extend(due)
            self._wakeup.set()

    def offer_silences(self, wanted: Mapping[str, MirroredSilence]) -> None:
        """The Alertmanager silences that should exist now (with mirroring on)."""
        if self.mirror is not None and self.client is not None and wanted != self._wanted:
            self._wanted = wanted
            self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Send queued alerts until `stop`; then one last attempt for what is queued."""
        while not stop.is_set():
            waiter = asyncio.ensure_future(self._wakeup.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait(
                {waiter, stopper}, timeout=self.outbox.resend_interval_s, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            stopper.cancel()
            self._wakeup.clear()
            await self.flush()
        await self.aclose()

    async def flush(self) -> None:
        for retired in self._retired:
            await retired.aclose()
        self._retired.clear()
        client = self.client
        while client is not None and self.queue:
            batch = [self.queue.popleft() for _ in range(min(BATCH_LIMIT, len(self.queue)))]
            self._note(await client.post_alerts([alert.as_json() for alert in batch]))
            self.sent += len(batch)
        wanted = self._wanted
        if client is not None and self.mirror is not None and wanted != self._synced:
            self._synced = wanted if await self.mirror.sync(client, wanted) else None

    def _note(self, deliveries: Sequence[Delivery]) -> None:
        for delivery in deliveries:
            before = self.failing.get(delivery.url)
            if delivery.problem and before is None:
                log.error("Alertmanager %s refused alerts: %s; sent again at the next resend", *_parts(delivery))
            elif not delivery.problem and before is not None:
                log.info("Alertmanager %s accepts alerts again", delivery.url)
            if delivery.problem:
                self.failing[delivery.url] = delivery.problem
            else:
                self.failing.pop(delivery.url, None)

    async def aclose(self) -> None:
        for client in (*self._retired, *([self.client] if self.client else [])):
            await client.aclose()
        self._retired.clear()
        self.client = None


def _parts(delivery: Delivery) -> tuple[str, str]:
    return delivery.url, delivery.problem
