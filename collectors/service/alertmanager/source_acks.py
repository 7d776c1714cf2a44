"""An ack of an alert read from an Alertmanager (a `kind = "alertmanager"` target) becomes a silence there.

The silence matches the alert's own labels, carries the operator as `createdBy` and the ack's comment, and is
expired when the ack goes (unacknowledged, lapsed, or the alert resolved). It ends with the ack's expiry, or
after a day at most, so that one left behind by a stopped `serve` does not last for ever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from collectors.service.alertmanager.client import AlertmanagerClient
from collectors.service.alertmanager.silences import MirroredSilence, SilenceMirror
from dutyroom.config.types import Alertmanager
from dutyroom.model import RUNBOOK_LABEL
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

log = logging.getLogger(__name__)
LONGEST_S = 24 * 3600.0
SYNC_EVERY_S = 30.0
NOT_ALERT_LABELS = frozenset({RUNBOOK_LABEL})
"""Sample labels the source adds that are not the alert's own."""


def wanted_source_silences(
    views: Sequence[AlertView], sources: Mapping[str, str], now: float
) -> dict[str, dict[str, MirroredSilence]]:
    """Alertmanager URL -> the silences its acknowledged alerts need at `now`. Pure."""
    wanted: dict[str, dict[str, MirroredSilence]] = {url: {} for url in sources.values()}
    for view in views:
        url, ack = sources.get(view.target), view.ack
        if url is None or ack is None or view.phase is AlertPhase.RESOLVED or not view.labels:
            continue
        ends_at = min(ack.expires_at or ack.at + LONGEST_S, ack.at + LONGEST_S)
        if ends_at <= now:
            continue
        matchers = tuple((key, value) for key, value in view.labels if key not in NOT_ALERT_LABELS)
        key = f"ack {ack.action_id}"
        wanted[url][key] = MirroredSilence(key, matchers, ack.at, ends_at, ack.by.describe(), ack.comment)
    return wanted


class SourceAcks:
    """Keeps each source Alertmanager's silences in step with dutyroom's acks of its alerts."""

    def __init__(self, site: str, base_dir: Path) -> None:
        self.site, self.base_dir = site, base_dir
        self._wanted: dict[str, dict[str, MirroredSilence]] = {}
        self._synced: dict[str, dict[str, MirroredSilence]] = {}
        self._ends: dict[str, tuple[AlertmanagerClient, SilenceMirror]] = {}
        self._wakeup = asyncio.Event()

    def offer(self, wanted: dict[str, dict[str, MirroredSilence]]) -> None:
        if wanted != self._wanted:
            self._wanted = wanted
            self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            waiter, stopper = asyncio.ensure_future(self._wakeup.wait()), asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=SYNC_EVERY_S, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            stopper.cancel()
            self._wakeup.clear()
            await self.sync()
        for client, _ in self._ends.values():
            await client.aclose()

    async def sync(self) -> None:
        wanted = self._wanted
        for url in set(wanted) | set(self._ends):
            silences = wanted.get(url, {})
            if self._synced.get(url) == silences:
                continue
            if url not in self._ends:
                client = AlertmanagerClient(Alertmanager(urls=[url]), self.base_dir)
                self._ends[url] = (client, SilenceMirror(self.site))
            client, mirror = self._ends[url]
            if await mirror.sync(client, silences):
                self._synced[url] = silences
