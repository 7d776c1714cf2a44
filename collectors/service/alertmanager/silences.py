"""dutyroom silences (and, as a choice, acks) mirrored as Alertmanager silences, with `mirror_silences = true`.

A one-shot silence becomes an Alertmanager silence with the same matchers (`rule` -> `alertname`, `target`,
`group`, and always this room's `site`), the same start and end, `createdBy` = the operator and the comment;
because its end is the same, it expires with the dutyroom one, and a silence removed or lapsed early is
expired there too. With `ack_silence_for`, an ack is mirrored as a short silence of that alert's labels (as
karma does), ended when the ack goes or the alert resolves. Recurring maintenance windows are not mirrored:
Alertmanager's own time intervals are the place for those. Each mirrored silence's comment ends with a
marker naming what it mirrors, so a restarted `serve` adopts the silences it made instead of making them again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from collectors.service.alertmanager.client import AlertmanagerClient
from collectors.service.alertmanager.outbox import identity_labels, rfc3339
from dutyroom.operators.state import OperatorState, SilenceWindow
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

log = logging.getLogger(__name__)
_MARKER = re.compile(r"\[dutyroom (?P<site>.+) (?P<key>(?:silence|ack) \S+)\]$")


@dataclass(frozen=True, slots=True)
class MirroredSilence:
    """An Alertmanager silence as dutyroom wants it; `key` says what it mirrors (`silence s12@1765000000`)."""

    key: str
    matchers: tuple[tuple[str, str], ...]
    starts_at: float
    ends_at: float
    created_by: str
    comment: str

    def as_json(self, site: str) -> dict[str, object]:
        return {
            "matchers": [
                {"name": name, "value": value, "isRegex": False, "isEqual": True} for name, value in self.matchers
            ],
            "startsAt": rfc3339(self.starts_at),
            "endsAt": rfc3339(self.ends_at),
            "createdBy": self.created_by,
            "comment": f"{self.comment} [dutyroom {site} {self.key}]",
        }


def wanted_silences(
    windows: Sequence[SilenceWindow],
    operator: OperatorState,
    views: Sequence[AlertView],
    site: str,
    ack_for_s: float | None,
    now: float,
) -> dict[str, MirroredSilence]:
    """The Alertmanager silences that should exist at `now`, by key. Pure."""
    wanted: dict[str, MirroredSilence] = {}
    for window in windows:
        if not window.one_shot or window.end <= now or operator.lapsed(window):
            continue
        fields = (("alertname", window.rule), ("target", window.target), ("group", window.group), ("site", site))
        key = f"silence {window.id}@{window.end:.0f}"
        kept = tuple((name, value) for name, value in fields if value)
        wanted[key] = MirroredSilence(key, kept, window.start, window.end, window.by, window.comment)
    if ack_for_s is None:
        return wanted
    for view in views:
        ack = view.ack
        if ack is None or view.suppressed_by or view.phase is AlertPhase.RESOLVED:
            continue  # a resolved alert's ack covers nothing any more: a new incident needs a new ack
        ends_at = ack.at + ack_for_s if ack.expires_at is None else min(ack.expires_at, ack.at + ack_for_s)
        if ends_at <= now:
            continue
        key = f"ack {ack.action_id}"
        matchers = tuple(sorted(identity_labels(view, site).items()))
        wanted[key] = MirroredSilence(key, matchers, ack.at, ends_at, ack.by.describe(), ack.comment)
    return wanted


class SilenceMirror:
    """Keeps Alertmanager's silences in step with what `wanted_silences` says."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.made: dict[str, str] = {}
        """Key -> Alertmanager silence id."""
        self._adopted = False

    async def sync(self, client: AlertmanagerClient, wanted: Mapping[str, MirroredSilence]) -> bool:
        """Create and expire silences until they are as wanted; False when some request failed (try again)."""
        done = True
        if not self._adopted:
            self._adopt(await client.silences())
            self._adopted = True
        for key in [key for key in self.made if key not in wanted]:
            failures = await client.expire_silence(self.made[key])
            if len(failures) == len(client.urls):
                log.error("Alertmanager silence for %s not expired: %s", key, failures[0].problem)
                done = False
                continue
            del self.made[key]
        for key, silence in wanted.items():
            if key in self.made:
                continue
            silence_id, failures = await client.create_silence(silence.as_json(self.site))
            if silence_id:
                self.made[key] = silence_id
            else:
                done = False
                if failures:
                    log.error("Alertmanager silence for %s not created: %s", key, failures[0].problem)
        return done

    def _adopt(self, silences: Sequence[Mapping[str, object]]) -> None:
        for silence in silences:
            status = silence.get("status")
            if not isinstance(status, dict) or status.get("state") == "expired":
                continue
            found = _MARKER.search(str(silence.get("comment", "")))
            if found is not None and found["site"] == self.site:
                self.made[found["key"]] = str(silence.get("id", ""))
