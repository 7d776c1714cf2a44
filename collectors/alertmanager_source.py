"""An existing Alertmanager as a source: the firm's own Prometheus alerts join dutyroom's list.

Each active alert (silenced ones too, so an ack mirrored there keeps it listed; inhibited ones are left out,
Alertmanager's own "one root cause") becomes a sample of `alertmanager.alert` labelled with the alert's labels
and, when it has one, its `runbook_url` annotation; the value is 2 for severity critical (or page, error), else
1. Its `summary` and `description` annotations ride beside the labels (`Sample.annotations`), cleaned and
capped: what the rule's author wrote reaches the duty engineer, and since their templated text changes at
every evaluation, they never take part in which alert it is. Rules pick alerts by those labels
(`labels = { alertname = "HighLatency" }`) and name their playbook. An alert no longer listed gets one 0, with
the words it last had, and is forgotten; its check resolves then, or after the target's hold if dutyroom
restarted meanwhile (the engine treats these series like traps: absence is not STALE). `poll` never raises.

Alerts a dutyroom `serve` sent (those with the `dutyroom_site` label its sender adds) are left out, whichever
site sent them. This room's own would come back as new alerts, and be sent again: a loop, when the
Alertmanager is also the room's `[alertmanager]` destination, as a firm's only one often is. Another site's
belong to that site, where their playbooks, acks and audit trail are: listed here too, the same root cause
would show twice in the sites console (`[[site_link]]`, the place to watch other sites), and an ack here
would silence that site's page behind its back. Only what the firm's own stack raised is read.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from collectors.http_fetch import transport_failure
from dutyroom.model import (
    DESCRIPTION_ANNOTATION,
    RUNBOOK_LABEL,
    SENT_MARK_LABEL,
    SOURCE_ALERT_METRIC,
    SUMMARY_ANNOTATION,
    Labels,
    PollResult,
    Sample,
    State,
)
from dutyroom.textclean import clean_text

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_ALERTS = 2_000
CRITICAL_SEVERITIES = frozenset({"critical", "page", "error", "emergency"})
QUERY = {"active": "true", "silenced": "true", "inhibited": "false", "unprocessed": "true"}
CARRIED_ANNOTATIONS = {SUMMARY_ANNOTATION: 300, DESCRIPTION_ANNOTATION: 1_000}
"""The annotations carried to the console, with the most characters kept of each: a summary is one line, a
description a paragraph; the check keeps them in the store, so neither may grow without bound."""


@dataclass(frozen=True, slots=True)
class AlertmanagerSourceSpec:
    target_id: str
    url: str
    interval_s: float
    timeout_s: float


def alert_samples(document: Any, target: str, at: float) -> list[Sample]:
    """The samples for an Alertmanager v2 alert list; raises ValueError when it is not one."""
    if not isinstance(document, list):
        raise ValueError("not an Alertmanager alert list")
    samples = []
    for alert in document[:MAX_ALERTS]:
        if not isinstance(alert, dict) or not isinstance(alert.get("labels"), dict):
            raise ValueError("not an Alertmanager alert list")
        status = _table(alert, "status")
        if status.get("inhibitedBy") or SENT_MARK_LABEL in alert["labels"]:
            continue
        labels = {clean_text(str(key), 100): clean_text(str(value), 200) for key, value in alert["labels"].items()}
        annotations = _table(alert, "annotations")
        if annotations.get("runbook_url"):
            labels[RUNBOOK_LABEL] = clean_text(str(annotations["runbook_url"]), 200)
        value = 2.0 if labels.get("severity", "").lower() in CRITICAL_SEVERITIES else 1.0
        samples.append(
            Sample(
                target,
                SOURCE_ALERT_METRIC,
                value,
                at,
                tuple(sorted(labels.items())),
                annotations=carried_annotations(annotations),
            )
        )
    return samples


def carried_annotations(annotations: dict[str, Any]) -> Labels:
    """The summary and description an alert has, cleaned at the choke point and capped, sorted by key."""
    carried = {
        key: clean_text(str(annotations[key]), limit)
        for key, limit in CARRIED_ANNOTATIONS.items()
        if annotations.get(key) not in (None, "")
    }
    return tuple(sorted((key, text) for key, text in carried.items() if text))


def _table(alert: dict[str, Any], key: str) -> dict[str, Any]:
    value = alert.get(key)
    return value if isinstance(value, dict) else {}


class AlertmanagerSourceCollector:
    """Reads one Alertmanager's alerts through a shared httpx client."""

    def __init__(
        self, spec: AlertmanagerSourceSpec, client: httpx.AsyncClient, *, wall_clock: Callable[[], float] = time.time
    ) -> None:
        self.spec = spec
        self._client = client
        self._wall_clock = wall_clock
        self._listed: dict[Labels, Labels] = {}
        """The labels of each alert listed last time -> its annotations then, for the 0 that ends it."""

    @property
    def target_id(self) -> str:
        return self.spec.target_id

    @property
    def interval_s(self) -> float:
        return self.spec.interval_s

    async def aclose(self) -> None:
        """The client is shared: its owner closes it."""

    async def poll(self) -> PollResult:
        at, started = self._wall_clock(), time.perf_counter()
        result = await self._poll(at)
        return PollResult(
            result.target, at, result.samples, result.failure, result.reason, duration_s=time.perf_counter() - started
        )

    async def _poll(self, at: float) -> PollResult:
        target = self.target_id
        try:
            async with asyncio.timeout(self.spec.timeout_s):
                body = await self._fetch()
        except TimeoutError:
            return PollResult(target, at, failure=State.UNREACHABLE, reason=f"no answer in {self.spec.timeout_s:g}s")
        except httpx.TransportError as error:
            failed = transport_failure(error, "connect", self.spec.timeout_s)
            return PollResult(target, at, failure=failed.state, reason=failed.reason)
        except ValueError as error:
            return PollResult(target, at, failure=State.UNKNOWN, reason=clean_text(str(error), 80))
        try:
            samples = alert_samples(json.loads(body), target, at)
        except ValueError as error:  # json.JSONDecodeError is one
            return PollResult(target, at, failure=State.UNKNOWN, reason=clean_text(str(error).split(":")[0], 80))
        listed = {sample.labels: sample.annotations for sample in samples}
        gone = [
            Sample(target, SOURCE_ALERT_METRIC, 0.0, at, labels, annotations=annotations)
            for labels, annotations in sorted(self._listed.items())
            if labels not in listed
        ]
        self._listed = listed
        return PollResult(target, at, tuple(samples + gone))

    async def _fetch(self) -> bytes:
        url = self.spec.url.rstrip("/") + "/api/v2/alerts"
        async with self._client.stream("GET", url, params=QUERY, timeout=self.spec.timeout_s) as response:
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise ValueError(f"alert list larger than {MAX_BODY_BYTES // 1024 // 1024} MiB")
                chunks.append(chunk)
        return b"".join(chunks)
