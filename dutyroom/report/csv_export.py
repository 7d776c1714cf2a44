"""The period report as ONE CSV file for spreadsheets: every row names its section in the first column.

One file (not one per section) so it travels as a single attachment and filters with one click. Columns:

- section: availability-group, availability-target, incident, incident-event, deadline, capacity, action.
- group, target, rule: where it happened (empty when not applicable).
- item: target count (availability-group), fingerprint (incident, incident-event), run id (deadline),
  series labels (capacity), action id (action).
- kind: availability: ok / warning / critical; incident: its worst severity; incident-event: pending,
  firing, ack, unack, note, run-start, step, step-confirm, step-skip, ..., resolved; deadline: its id;
  capacity: peak / capacity / headroom / needed; action: the action's kind.
- start, end: ISO 8601 local time with offset (incident: opened and resolved; deadline: due and settled).
- seconds: availability: time in that state; incident: opened to resolved (or to the period's end);
  deadline: seconds to spare when settled (negative = late).
- state: incident: resolved / open; deadline: met / missed / pending / waived; capacity: ok / below / unknown.
- value: availability: share of the period (0-1); incident: seconds from firing to the first
  acknowledgement; capacity: the number named by kind.
- who, detail: who acted and what they wrote (comments, notes, reasons).
- drill: 1 for drills (exercises), else 0.

UTF-8 with a byte-order mark, so spreadsheet programs read Chinese text correctly. Text cells that a
spreadsheet would take for a formula (starting with =, +, -, @) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

from dutyroom.documents.capacity import labels_text
from dutyroom.report.availability import TimeInState
from dutyroom.report.data import PeriodReport

COLUMNS = (
    "section",
    "group",
    "target",
    "rule",
    "item",
    "kind",
    "start",
    "end",
    "seconds",
    "state",
    "value",
    "who",
    "detail",
    "drill",
)
_NUMERIC = frozenset({"seconds", "value", "drill"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_csv(report: PeriodReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({column: _cell(column, row.get(column, "")) for column in COLUMNS})
    return "\ufeff" + buffer.getvalue()


def rows(report: PeriodReport) -> list[dict[str, object]]:
    when = _iso_formatter(report)
    out: list[dict[str, object]] = []
    for row in report.groups:
        out.extend(_availability("availability-group", row, group=row.group, item=str(row.targets)))
    for row in report.targets:
        out.extend(_availability("availability-target", row, group=row.group, target=row.name))
    for item in report.incidents:
        incident = item.incident
        base = {"group": item.group, "target": incident.target, "rule": incident.rule, "drill": int(incident.drill)}
        out.append(
            {
                **base,
                "section": "incident",
                "item": incident.fingerprint,
                "kind": incident.severity,
                "start": when(incident.opened_at),
                "end": when(incident.resolved_at),
                "seconds": _number(incident.duration(report.until), 3),
                "state": "resolved" if incident.resolved_at is not None else "open",
                "value": _number(item.time_to_ack, 3),
            }
        )
        for entry in item.timeline:
            detail = " ".join(part for part in (entry.severity, entry.value, entry.text) if part)
            out.append(
                {
                    **base,
                    "section": "incident-event",
                    "item": incident.fingerprint,
                    "kind": entry.kind,
                    "start": when(entry.at),
                    "who": entry.who,
                    "detail": detail,
                }
            )
    for deadline in report.deadlines:
        status = deadline.status
        out.append(
            {
                "section": "deadline",
                "target": deadline.run.target,
                "item": deadline.run.run_id,
                "kind": status.deadline.id,
                "start": when(status.due_at),
                "end": when(status.settled_at),
                "seconds": _number(status.remaining_s, 3) if status.settled_at is not None else "",
                "state": status.state.value,
                "detail": report.scrub(status.deadline.what, 200),
                "drill": int(deadline.run.drill),
            }
        )
    for capacity in report.capacity:
        state = {None: "unknown", True: "ok", False: "below"}[capacity.ok]
        numbers = (
            ("peak", capacity.peak),
            ("capacity", capacity.capacity),
            ("headroom", capacity.headroom),
            ("needed", capacity.needed),
        )
        for kind, number in numbers:
            out.append(
                {
                    "section": "capacity",
                    "target": capacity.target,
                    "rule": capacity.rule,
                    "item": report.scrub(labels_text(capacity.labels), 120),
                    "kind": kind,
                    "state": state,
                    "value": _number(number, 6),
                    "drill": 0,
                }
            )
    for action in report.actions:
        target, rule = report.alert_name(action.alert) if action.alert else ("", "")
        payload = action.payload
        text = payload.get("comment") or payload.get("text") or payload.get("reason") or ""
        extras = " ".join(
            f"{key}={payload[key]}"
            for key in ("run", "step", "target", "rule", "group", "file", "role")
            if payload.get(key)
        )
        out.append(
            {
                "section": "action",
                "target": target,
                "rule": rule,
                "item": action.id,
                "kind": action.kind,
                "start": when(action.at),
                "who": report.scrub(action.actor.describe(), 80),
                "detail": report.scrub(" ".join(part for part in (extras, str(text)) if part), 600),
                "drill": int(action.drill),
            }
        )
    return out


def _availability(section: str, row: TimeInState, **where: str) -> list[dict[str, object]]:
    shares = (("ok", row.ok_s), ("warning", row.warning_s), ("critical", row.critical_s))
    return [
        {
            "section": section,
            **where,
            "kind": kind,
            "seconds": _number(seconds, 3),
            "value": _number(seconds / row.period_s, 6) if row.period_s else "",
            "drill": 0,
        }
        for kind, seconds in shares
    ]


def _iso_formatter(report: PeriodReport) -> Callable[[float | None], str]:
    timezone = report.words.timezone

    def when(at: float | None) -> str:
        return "" if at is None else datetime.fromtimestamp(at, timezone).isoformat(timespec="seconds")

    return when


def _number(value: float | None, digits: int) -> str:
    """A fixed-point number spreadsheets read everywhere (never 5e-06), trailing zeros dropped."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _cell(column: str, value: object) -> str:
    text = "" if value is None else str(value)
    if column not in _NUMERIC:
        text = text.replace("\r", " ").replace("\n", " ")
        if text.startswith(_FORMULA_START):
            text = "'" + text
    return text
