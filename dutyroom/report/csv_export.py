"""The period report as ONE CSV file for spreadsheets: every row names its section in the first column.

One file (not one per section) so it travels as a single attachment and filters with one click. Each column
means one thing in every row that fills it (empty where it does not apply), and the file carries its own
legend: the first rows after the header, of section `legend`, name a column in `kind` and say what it means
in `detail` (`LEGEND`, below, is the one place that says it).

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

LEGEND: dict[str, str] = {
    "section": "what the row is: legend, availability-group, availability-target, incident, incident-event, "
    "deadline, capacity, action",
    "group": "the target group",
    "target": "the target id",
    "rule": "the rule id",
    "alert": "the alert's fingerprint (incident, incident-event, action on an alert)",
    "run": "the playbook run id",
    "step": "the playbook step number",
    "action_id": "the operator action's number in the audit log",
    "series": "the series' labels (capacity)",
    "kind": "the row's kind within its section: ok/warning/critical (availability); pending, firing, ack, "
    "note, run-start, step, step-confirm, ..., resolved (incident-event); the deadline id (deadline); "
    "peak/capacity/headroom/needed (capacity); the action's kind (action); the column named (legend)",
    "severity": "the worst severity (incident) or the severity fired at (incident-event)",
    "start": "when it began, ISO 8601 local time with offset (incident: opened; deadline: due; event, action: at)",
    "end": "when it ended, ISO 8601 (incident: resolved; deadline: settled); empty while still open",
    "duration_s": "seconds: time in that state (availability) or from opening to resolution or to the "
    "period's end (incident)",
    "share": "share of the period in that state, 0-1 (availability)",
    "targets": "number of targets in the group (availability-group)",
    "ack_s": "seconds from firing to the first acknowledgement (incident)",
    "fell_in": "trading, off-hours or holiday: when the incident fired, by the trading calendar",
    "trading_s": "seconds of firing inside trading sessions in the period (incident)",
    "spare_s": "seconds to spare when the deadline was settled, negative = late (deadline)",
    "amount": "the number the kind names (capacity)",
    "state": "resolved/open (incident); awaiting-confirmation/done (incident-event of a step); "
    "met/missed/pending/waived (deadline); ok/below/unknown (capacity)",
    "who": "who acted",
    "detail": "what they wrote (comments, notes, reasons), a step's text, or a deadline's description",
    "drill": "1 for drills (exercises), else 0",
}
COLUMNS = tuple(LEGEND)
_NUMERIC = frozenset(
    {"step", "action_id", "duration_s", "share", "targets", "ack_s", "trading_s", "spare_s", "amount", "drill"}
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_csv(report: PeriodReport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for column, meaning in LEGEND.items():
        writer.writerow({"section": "legend", "kind": column, "detail": meaning})
    for row in rows(report):
        writer.writerow({column: _cell(column, row.get(column, "")) for column in COLUMNS})
    return "\ufeff" + buffer.getvalue()


def rows(report: PeriodReport) -> list[dict[str, object]]:
    when = _iso_formatter(report)
    out: list[dict[str, object]] = []
    for row in report.groups:
        out.extend(_availability("availability-group", row, group=row.group, targets=str(row.targets)))
    for row in report.targets:
        out.extend(_availability("availability-target", row, group=row.group, target=row.name))
    for item in report.incidents:
        incident = item.incident
        base = {
            "group": item.group,
            "target": incident.target,
            "rule": incident.rule,
            "alert": incident.fingerprint,
            "drill": int(incident.drill),
        }
        impact = item.impact
        out.append(
            {
                **base,
                "section": "incident",
                "severity": incident.severity,
                "start": when(incident.opened_at),
                "end": when(incident.resolved_at),
                "duration_s": _number(incident.duration(report.until), 3),
                "state": "resolved" if incident.resolved_at is not None else "open",
                "ack_s": _number(item.time_to_ack, 3),
                "fell_in": impact.fell_in if impact is not None else "",
                "trading_s": _number(impact.trading_s, 3) if impact is not None else "",
            }
        )
        for entry in item.timeline:
            detail = " ".join(
                part for part in (entry.value if not entry.step else "", entry.step_text, entry.text) if part
            )
            step_state = ""
            if entry.kind == "step":
                step_state = "awaiting-confirmation" if entry.two_person else "done"
            elif entry.kind == "step-confirm":
                step_state = "done"
            out.append(
                {
                    **base,
                    "section": "incident-event",
                    "kind": entry.kind,
                    "severity": entry.severity,
                    "run": entry.run,
                    "step": entry.step or "",
                    "start": when(entry.at),
                    "state": step_state,
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
                "run": deadline.run.run_id,
                "kind": status.deadline.id,
                "start": when(status.due_at),
                "end": when(status.settled_at),
                "spare_s": _number(status.remaining_s, 3) if status.settled_at is not None else "",
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
                    "series": report.scrub(labels_text(capacity.labels), 120),
                    "kind": kind,
                    "state": state,
                    "amount": _number(number, 6),
                    "drill": 0,
                }
            )
    for action in report.actions:
        target, rule = report.alert_name(action.alert) if action.alert else ("", "")
        payload = action.payload
        text = payload.get("comment") or payload.get("text") or payload.get("reason") or ""
        extras = " ".join(f"{key}={payload[key]}" for key in ("group", "file", "role") if payload.get(key))
        step = payload.get("step")
        out.append(
            {
                "section": "action",
                "target": target or str(payload.get("target") or ""),
                "rule": rule or str(payload.get("rule") or ""),
                "alert": action.alert or "",
                "run": str(payload.get("run") or ""),
                "step": step if isinstance(step, int) else "",
                "action_id": action.id,
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
            "duration_s": _number(seconds, 3),
            "share": _number(seconds / row.period_s, 6) if row.period_s else "",
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
