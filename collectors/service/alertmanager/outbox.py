"""Which alerts to send to Alertmanager now, following Prometheus's notifier (rules/alerting.go, manager.go).

A firing alert is sent when it starts firing and again every resend interval, with `endsAt` four resend
intervals ahead, so that Alertmanager resolves it by itself if dutyroom stops talking. A resolved alert is sent
with `endsAt` = when it resolved, and again each resend interval for 15 minutes (Prometheus's retention), so an
Alertmanager that missed it still hears. Pending alerts, drills, and alerts suppressed by a down parent are not
sent (one root cause, one page): the parent's alert lists what it explains instead. Nor are alerts read from an
Alertmanager (`alertmanager.alert`): they are there already, and sent back they would be read again as new
ones, a loop when the source is the destination. Every alert sent carries the `dutyroom_site` mark, by which
Alertmanager sources leave it out. An escalation (warning -> critical) changes the `severity` label, so it is
a new alert in Alertmanager: the warning one is resolved and the critical one fires, both with the same
`alertname` and `target` (and so in the same group). Pure: `now` is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from collectors.service.metric_names import label_name
from dutyroom.model import SENT_MARK_LABEL, SOURCE_ALERT_METRIC
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

RESOLVED_RETENTION_S = 15 * 60.0
VALID_FOR_RESENDS = 4
OWN_LABELS = frozenset({"alertname", "target", "site", "group", "severity", SENT_MARK_LABEL})
SUPPRESSED_LISTED = 5
"""How many suppressed alerts a parent's annotation names before it says 'and N more'."""


@dataclass(frozen=True, slots=True)
class Postable:
    """One alert as the Alertmanager v2 API takes it."""

    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: float
    ends_at: float

    def as_json(self) -> dict[str, object]:
        return {
            "labels": dict(self.labels),
            "annotations": dict(self.annotations),
            "startsAt": rfc3339(self.starts_at),
            "endsAt": rfc3339(self.ends_at),
        }


def rfc3339(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Wording:
    """What the annotations need beyond the alert: the site, playbook titles, the runbook URL pattern."""

    site: str
    playbook_title: Callable[[str], str] = lambda playbook: playbook
    runbook_url: str = ""


@dataclass(slots=True)
class _Sent:
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: float
    last_sent_at: float
    resolved_at: float = 0.0


@dataclass
class Outbox:
    """Remembers what was sent per alert fingerprint, to resend, resolve and forget at the right times."""

    resend_interval_s: float
    sent: dict[str, _Sent] = field(default_factory=dict)

    def due(self, views: Sequence[AlertView], wording: Wording, now: float) -> list[Postable]:
        """The alerts to send at `now`; each is counted as sent (as Prometheus counts a queued alert)."""
        out: list[Postable] = []
        firing = {view.fingerprint: view for view in views if _pages(view)}
        for fingerprint, view in firing.items():
            labels = identity_labels(view, wording.site)
            annotations = _annotations(view, views, wording)
            previous = self.sent.get(fingerprint)
            if previous is not None and previous.labels != labels and not previous.resolved_at:
                out.append(Postable(previous.labels, previous.annotations, previous.starts_at, now))
                previous = None
            if (
                previous is not None
                and not previous.resolved_at
                and now < previous.last_sent_at + self.resend_interval_s
            ):
                continue  # annotations (the value) may have changed: they go with the next resend, as in Prometheus
            starts_at = view.fired_at or view.since
            self.sent[fingerprint] = _Sent(labels, annotations, starts_at, now)
            out.append(Postable(labels, annotations, starts_at, now + VALID_FOR_RESENDS * self.resend_interval_s))
        for fingerprint, sent in list(self.sent.items()):
            if fingerprint in firing:
                continue
            if not sent.resolved_at:
                sent.resolved_at = now
            elif now - sent.resolved_at > RESOLVED_RETENTION_S:
                del self.sent[fingerprint]
                continue
            elif not self._resend_due(sent, now):
                continue
            sent.last_sent_at = now
            out.append(Postable(sent.labels, sent.annotations, sent.starts_at, sent.resolved_at))
        return out

    def _resend_due(self, sent: _Sent, now: float) -> bool:
        return now >= sent.last_sent_at + self.resend_interval_s


def _pages(view: AlertView) -> bool:
    return (
        view.phase is AlertPhase.FIRING
        and not view.suppressed_by
        and not view.drill
        and view.metric != SOURCE_ALERT_METRIC
    )


def identity_labels(view: AlertView, site: str) -> dict[str, str]:
    """The labels that identify the alert in Alertmanager, the mark included; a sample label that clashes gets
    `sample_` (so no device can forge the mark)."""
    labels = {label_name(key, OWN_LABELS): value for key, value in view.labels}
    labels |= {"alertname": view.rule, "target": view.target, "severity": view.severity}
    own = (("site", site), ("group", view.group), (SENT_MARK_LABEL, site))
    labels |= {key: value for key, value in own if value}
    return labels


def _annotations(view: AlertView, views: Sequence[AlertView], wording: Wording) -> dict[str, str]:
    value = "" if view.value is None else f"{view.value}{' ' + view.unit if view.unit else ''}"
    summary = view.summary or f"{view.rule} on {view.target_name}: {view.state} {value}".rstrip()
    annotations = {"summary": summary}
    if value:
        annotations["value"] = value
    if view.playbook:
        annotations["playbook"] = wording.playbook_title(view.playbook)
    if wording.runbook_url and view.playbook:
        annotations["runbook_url"] = wording.runbook_url.replace("{playbook}", view.playbook).replace(
            "{rule}", view.rule
        )
    explained = [
        f"{other.rule} on {other.target}"
        for other in views
        if other.phase is AlertPhase.FIRING and view.target in other.suppressed_by.split("+")
    ]
    if explained:
        more = len(explained) - SUPPRESSED_LISTED
        annotations["suppressed_alerts"] = ", ".join(explained[:SUPPRESSED_LISTED]) + (
            f" and {more} more" if more > 0 else ""
        )
    return annotations
