"""`dutyroom alerts --json`'s stable document: one alert and the poller's verdict, for one site or several.

Apart from the commands, so `alerts` and `alerts --site` print the same fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.store.liveness import PollerLiveness
    from dutyroom.views.alerts import AlertView


def alert_json(alert: AlertView) -> dict[str, object]:
    from tui.text_format import severity_text

    ack = alert.ack
    return {
        "fingerprint": alert.fingerprint,
        "rule": alert.rule,
        "target": alert.target,
        "group": alert.group,
        "labels": dict(alert.labels),
        "phase": str(alert.phase),
        "state": str(alert.state),
        "severity": alert.severity,
        "severity_text": severity_text(alert),
        "capped_from": alert.capped_from or None,
        "capped_in": alert.capped_in or None,
        "value": alert.value,
        "unit": alert.unit,
        "value_at": alert.value_at,
        "reason": alert.reason,
        "since": alert.since,
        "fired_at": alert.fired_at or None,
        "resolved_at": alert.resolved_at or None,
        "suppressed_by": alert.suppressed_by or None,
        "flapping": alert.flapping,
        "acknowledged_by": ack.by.describe() if ack else None,
        "ack_comment": ack.comment if ack else None,
        "acknowledged_at": ack.at if ack else None,
        "ack_expires_at": ack.expires_at if ack else None,
        "ack_sticky": ack.sticky if ack else None,
        "ack_severity": (ack.severity or None) if ack else None,
        "silenced_by": alert.silenced_by or None,
        "escalated": alert.escalated,
        "playbook": alert.playbook,
        "summary": alert.summary or None,
        "description": alert.description or None,
        "notes": [{"by": note.by.describe(), "at": note.at, "text": note.text} for note in alert.notes],
        "drill": alert.drill,
        "provisional_calendar": alert.provisional_calendar,
    }


def poller_json(liveness: PollerLiveness) -> dict[str, object]:
    """`alerts --json`'s verdict on the poller: a top-level field, so it is there even when no alert is."""
    return {
        "state": str(liveness.state),
        "reason": liveness.reason,
        "down_since": (liveness.since or None) if liveness.down else None,
        "heartbeat_at": liveness.heartbeat_at,
        "pid": liveness.pid,
    }
