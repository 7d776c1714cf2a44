"""The handover's alert sections: open alerts, and alerts opened and resolved in the shift.

An open alert's line carries its summary and description (its source's words, else its rule's summary), so
the engineer taking over reads what the alert is about, not only its rule. Every alert says whether it fell in
a trading session, off-hours or on a holiday and how long trading was affected (`documents.trading_hours`); the
acknowledgement comments of resolved alerts follow their table, since the comment is often the only record of
what was done about them.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.documents.model import Document, Item
from dutyroom.documents.timeline import Incident
from dutyroom.documents.trading_hours import TradingImpact, describe_impact, incident_impact, worst_class
from dutyroom.handover.context import HandoverContext, format_value
from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

MAX_RESOLVED_ROWS = 40
MAX_ACK_COMMENTS = 40
_NATURAL_SEVERITY = {State.CRITICAL: "critical", State.UNREACHABLE: "critical", State.WARNING: "warning"}


def state_word(ctx: HandoverContext, state: State, severity: str) -> str:
    """ "X CRITICAL", or "! WARNING (critical)" when the severity is not the state's own."""
    word = f"{state.ascii_symbol} {ctx.words('state.' + state.value)}"
    if severity and _NATURAL_SEVERITY.get(state) != severity:
        word += f" ({ctx.words('severity.' + severity)})"
    return word


def open_alerts(doc: Document, ctx: HandoverContext) -> None:
    alerts = ctx.open_alerts()
    doc.heading(ctx.words("section.open", n=len(alerts)))
    doc.bullets([_alert_item(ctx, alert) for alert in alerts], ctx.words("none"))


def _alert_item(ctx: HandoverContext, alert: AlertView) -> Item:
    words, scrub = ctx.words, ctx.scrub
    head = f"{state_word(ctx, alert.state, alert.severity)} {ctx.target_label(alert.target)} / {alert.rule}"
    if alert.phase is AlertPhase.PENDING:
        head += f" ({words('alert.pending')})"
    if alert.drill:
        head = f"{words('drill')} {head}"
    details = [words("alert.since", at=ctx.when(alert.since), age=words.duration(ctx.now - alert.since))]
    if not (isinstance(alert.value, str) and alert.value == alert.reason):
        value = format_value(alert.value, alert.unit, scrub)
        details[0] += words("separator") + words(
            "alert.value", value=value, age=words.duration(ctx.now - alert.value_at)
        )
    if alert.summary:
        details.append(words("alert.summary", text=scrub(alert.summary, 300)))
    if alert.description:
        details.append(words("alert.description", text=scrub(alert.description, 1_000)))
    impact = _open_impact(ctx, alert.fingerprint)
    if impact is not None:
        details.append(describe_impact(words, impact))
    if alert.ack is not None:
        ack = words(
            "alert.acked",
            who=scrub(alert.ack.by.describe(), 80),
            at=ctx.when(alert.ack.at),
            comment=scrub(alert.ack.comment, 300),
        )
        if alert.ack.expires_at is not None:
            ack += words("alert.ack_expires", at=ctx.when(alert.ack.expires_at))
        details.append(ack)
    elif alert.phase is AlertPhase.FIRING:
        details.append(words("alert.not_acked"))
    marks = []
    if alert.silenced_by:
        marks.append(words("alert.silenced", id=scrub(alert.silenced_by, 40)))
    if alert.suppressed_by:
        marks.append(words("alert.suppressed", parent=scrub(alert.suppressed_by, 40)))
    if alert.flapping:
        marks.append(words("alert.flapping"))
    if alert.escalated:
        marks.append(words("alert.escalated"))
    if marks:
        details.append(words("separator").join(marks))
    if alert.reason:
        details.append(words("alert.reason", text=scrub(alert.reason, 200)))
    if alert.notes:
        note = alert.notes[-1]
        details.append(
            words("alert.note", who=scrub(note.by.describe(), 80), at=ctx.when(note.at), text=scrub(note.text, 300))
        )
    return Item(head, tuple(details))


def _open_impact(ctx: HandoverContext, fingerprint: str) -> TradingImpact | None:
    """The trading impact of the alert's current incident, counted from the shift's start."""
    incident = next(
        (
            item
            for item in reversed(ctx.history.incidents)
            if item.fingerprint == fingerprint and item.resolved_at is None
        ),
        None,
    )
    if incident is None:
        return None
    return incident_impact(ctx.room.config.calendar, incident, ctx.history.until, since=ctx.history.since)


@dataclass
class _Resolved:
    target: str
    rule: str
    worst: str
    times: int
    first: float
    first_known: bool
    total: float
    incidents: list[Incident]


def resolved_in_shift(ctx: HandoverContext) -> list[Incident]:
    history = ctx.history
    return [
        incident
        for incident in history.incidents
        if not incident.drill
        and incident.resolved_at is not None
        and history.since <= incident.resolved_at < history.until
    ]


def opened_and_resolved(doc: Document, ctx: HandoverContext) -> None:
    """One row per alert (an alert that fired ten times is one row with Times = 10), worst first."""
    words = ctx.words
    doc.heading(words("section.resolved"))
    by_alert: dict[str, _Resolved] = {}
    order = {"critical": 0, "warning": 1, "info": 2}
    for incident in resolved_in_shift(ctx):
        length = incident.duration(ctx.history.until)
        row = by_alert.get(incident.fingerprint)
        if row is None:
            by_alert[incident.fingerprint] = _Resolved(
                incident.target,
                incident.rule,
                incident.severity,
                1,
                incident.opened_at,
                incident.known_start,
                length,
                [incident],
            )
            continue
        row.incidents.append(incident)
        row.times += 1
        row.total += length
        if order.get(incident.severity, 3) < order.get(row.worst, 3):
            row.worst = incident.severity
    rows = sorted(by_alert.values(), key=lambda row: (order.get(row.worst, 3), -row.total, row.target, row.rule))
    calendar = ctx.room.config.calendar
    table: list[tuple[str, ...]] = []
    for row in rows[:MAX_RESOLVED_ROWS]:
        cells: tuple[str, ...] = (
            ctx.target_label(row.target),
            row.rule,
            words("severity." + row.worst) if row.worst else "-",
            str(row.times),
            ctx.when(row.first) if row.first_known else words("before", at=ctx.when(row.first)),
            words.duration(row.total),
        )
        if calendar is not None:
            impacts = [
                impact
                for incident in row.incidents
                if (impact := incident_impact(calendar, incident, ctx.history.until)) is not None
            ]
            trading_s = sum(impact.trading_s for impact in impacts)
            cells += (words("impact.word." + worst_class(impacts)), words.duration(trading_s))
        table.append(cells)
    keys = ["col.target", "col.rule", "col.worst", "col.times", "col.first", "col.total"]
    align = ["left", "left", "left", "right", "left", "right"]
    if calendar is not None:
        keys += ["col.session", "col.trading"]
        align += ["left", "right"]
    if len(rows) > MAX_RESOLVED_ROWS:
        hidden = rows[MAX_RESOLVED_ROWS:]
        more = (f"+{len(hidden)}", "", "", str(sum(row.times for row in hidden)))
        table.append(more + ("",) * (len(keys) - len(more)))
    doc.table(
        tuple(words(key) for key in keys),
        table,
        align=tuple(align),
        flexible=(0, 1),
        empty=words("none"),
    )
    doc.bullets(_ack_comments(ctx, [incident for row in rows for incident in row.incidents]))


def _ack_comments(ctx: HandoverContext, incidents: list[Incident]) -> list[Item]:
    """Each acknowledgement given while a resolved incident was open, oldest first, with its comment."""
    words, scrub = ctx.words, ctx.scrub
    windows: dict[str, list[Incident]] = {}
    for incident in incidents:
        windows.setdefault(incident.fingerprint, []).append(incident)
    items = []
    for action in ctx.history.actions:
        if action.kind != "ack" or not action.alert or action.alert not in windows:
            continue
        if not any(
            incident.opened_at <= action.at <= (incident.resolved_at or ctx.history.until)
            for incident in windows[action.alert]
        ):
            continue
        target, rule = ctx.alert_name(action.alert)
        line = words(
            "resolved.ack",
            target=ctx.target_label(target),
            rule=rule,
            who=scrub(action.actor.describe(), 80),
            at=ctx.when(action.at),
            comment=scrub(str(action.payload.get("comment", "")), 600),
        )
        items.append(Item(line))
    if len(items) > MAX_ACK_COMMENTS:
        items = [*items[:MAX_ACK_COMMENTS], Item(f"+{len(items) - MAX_ACK_COMMENTS}")]
    return items
