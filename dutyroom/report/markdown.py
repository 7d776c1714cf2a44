"""The period report as a document for reading: Markdown at 80 columns, English or Chinese."""

from __future__ import annotations

from dutyroom.documents.capacity import format_number, labels_text
from dutyroom.documents.model import Document, Item
from dutyroom.documents.render import render
from dutyroom.documents.trading_hours import describe_impact
from dutyroom.playbooks.progress import DeadlineState
from dutyroom.report.availability import TimeInState, overall
from dutyroom.report.data import IncidentReport, PeriodReport, TimelineEntry
from dutyroom.store.records import StoredAction


def as_markdown(report: PeriodReport) -> str:
    return render(as_document(report), "md", ambiguous_wide=report.words.lang == "zh")


def as_document(report: PeriodReport) -> Document:
    words, scrub, config = report.words, report.scrub, report.room.config
    doc = Document(words("report.title", site=scrub(config.parsed.site.name, 80)))
    real = [item for item in report.incidents if not item.incident.drill]
    drills = [item for item in report.incidents if item.incident.drill]
    drill_actions = [action for action in report.actions if action.drill]
    critical = sum(1 for item in real if item.incident.severity == "critical")
    doc.bullets(
        [
            Item(
                words(
                    "report.period",
                    since=words.minute(report.since),
                    until=words.minute(report.until),
                    tz=config.timezone.key,
                    length=words.duration(report.length_s),
                )
            ),
            Item(
                words(
                    "report.summary",
                    incidents=len(real),
                    s=words.plural(len(real)),
                    critical=critical,
                    availability=_percent(overall(report.targets)),
                    actions=len(report.actions),
                    s2=words.plural(len(report.actions)),
                    drills=len(drills) + len(drill_actions),
                    s3=words.plural(len(drills) + len(drill_actions)),
                )
            ),
            Item(words("report.written", at=words.stamp(report.now))),
        ]
    )
    _availability(doc, report, report.groups, "section.by_group", group=True)
    _availability(doc, report, report.targets, "section.by_target", group=False)
    doc.heading(words("section.incidents", n=len(real)))
    doc.bullets([_incident_item(report, item) for item in real], words("none"))
    _deadlines(doc, report)
    _capacity(doc, report)
    doc.heading(words("section.actions", n=len(report.actions)))
    doc.bullets([_action_item(report, action) for action in report.actions], words("none"))
    doc.heading(words("section.drills"))
    mark = words("drill")
    drill_items = [_marked(mark, _incident_item(report, item)) for item in drills]
    drill_items += [_marked(mark, _action_item(report, action)) for action in drill_actions]
    doc.bullets(drill_items, words("none"))
    return doc


def _marked(mark: str, item: Item) -> Item:
    return Item(f"{mark} {item.text}", item.details)


def _percent(share: float) -> str:
    return f"{100 * share:.2f}%"


def _availability(doc: Document, report: PeriodReport, rows: list[TimeInState], key: str, *, group: bool) -> None:
    words = report.words
    doc.heading(words(key))
    labels = {
        name: grp.label_zh if words.lang == "zh" and grp.label_zh else grp.label
        for name, grp in report.room.config.parsed.groups.items()
    }
    table = []
    for row in rows:
        group_label = report.scrub(labels.get(row.group) or row.group, 40) or "-"
        first = group_label if group else report.scrub(row.name, 40)
        middle = str(row.targets) if group else group_label
        table.append(
            (first, middle, _percent(row.availability), words.duration(row.critical_s), words.duration(row.warning_s))
        )
    headers = (
        words("col.group" if group else "col.target"),
        words("col.targets" if group else "col.group"),
        words("col.available"),
        words("col.critical"),
        words("col.warning"),
    )
    doc.table(
        headers,
        table,
        align=("left", "left" if not group else "right", "right", "right", "right"),
        flexible=(0, 1),
        empty=words("none"),
    )


def _incident_item(report: PeriodReport, item: IncidentReport) -> Item:
    words, incident = report.words, item.incident
    end = words.minute(incident.resolved_at) if incident.resolved_at is not None else words("still.open")
    start = (
        words.minute(incident.opened_at)
        if incident.known_start
        else words("before", at=words.minute(incident.opened_at))
    )
    head = words(
        "incident.head",
        target=report.scrub(incident.target, 40),
        rule=incident.rule,
        severity=words("severity." + incident.severity) if incident.severity else "-",
        start=start,
        end=end,
        duration=words.duration(incident.duration(report.until)),
    )
    resolve = (
        incident.resolved_at - incident.fired_at
        if incident.resolved_at is not None and incident.fired_at is not None
        else None
    )
    details = [describe_impact(words, item.impact)] if item.impact is not None else []
    details.extend(_timeline_line(report, entry) for entry in item.timeline)
    details.append(
        words(
            "incident.durations",
            ack="-" if item.time_to_ack is None else words.duration(item.time_to_ack),
            resolve="-" if resolve is None else words.duration(resolve),
        )
    )
    return Item(head, tuple(details))


def _timeline_line(report: PeriodReport, entry: TimelineEntry) -> str:
    words = report.words
    at = words.minute(entry.at)
    severity = words("severity." + entry.severity) if entry.severity else ""
    if entry.kind in ("pending", "firing", "resolved"):
        return words("event." + entry.kind, at=at, value=entry.value or "-", severity=severity)
    if entry.kind in ("ack", "unack", "note"):
        return words("event." + entry.kind, at=at, who=entry.who, text=entry.text)
    if entry.kind == "run-start":
        playbook = report.room.playbooks.get(entry.text, words.lang)
        title = report.scrub(playbook.title, 80) if playbook is not None else entry.text
        return words("event.run", at=at, title=title, who=entry.who)
    if entry.kind == "run-join":
        return words("event.run_join", at=at)
    if entry.kind == "run-close":
        return words("event.run_closed", at=at, who=entry.who)
    if entry.kind == "step-note" and not entry.value:
        return words("event.note", at=at, who=entry.who, text=entry.text)
    if entry.kind == "step" and entry.two_person:
        line = words("event.step_ticked", at=at, n=entry.value or "-", who=entry.who)
    elif entry.kind == "step-confirm":
        line = words("event.step_confirmed", at=at, n=entry.value or "-", who=entry.who)
    else:
        what = words("step.word." + entry.kind) if entry.kind.startswith("step") else entry.kind
        line = words("event.step", at=at, n=entry.value or "-", what=what, who=entry.who)
    said = " ".join(part for part in (entry.step_text, entry.text and f"({entry.text})") if part)
    return f"{line}: {said}" if said else line


def _deadlines(doc: Document, report: PeriodReport) -> None:
    """One bullet per deadline, missed ones first: what, which run, due, settled."""
    words, scrub = report.words, report.scrub
    doc.heading(words("section.deadlines"))
    items = []
    for row in sorted(
        report.deadlines, key=lambda row: (row.status.state is not DeadlineState.MISSED, row.status.due_at)
    ):
        status = row.status
        state = words("state." + status.state.value)
        if row.run.drill:
            state = f"{words('drill')} {state}"
        what = scrub(status.deadline.what or status.deadline.id, 120)
        settled = words.minute(status.settled_at) if status.settled_at is not None else "-"
        detail = words(
            "deadline.row", run=f"{row.title} [{row.run.run_id}]", due=words.minute(status.due_at), settled=settled
        )
        items.append(Item(words("deadline.item", state=state, what=what), (detail,)))
    doc.bullets(items, words("none"))


def _capacity(doc: Document, report: PeriodReport) -> None:
    words = report.words
    doc.heading(words("section.capacity_peaks"))
    rows = []
    for row in report.capacity:
        status = {None: "capacity.unknown", True: "capacity.ok", False: "capacity.low"}[row.ok]
        target = report.scrub(row.target + (" " + labels_text(row.labels) if row.labels else ""), 60)
        headroom = row.headroom
        rows.append(
            (
                target,
                row.rule,
                format_number(row.peak),
                format_number(row.capacity),
                "-" if headroom is None else f"{headroom:.2f}x",
                f"{row.needed:g}x",
                words(status),
            )
        )
    keys = ("col.target", "col.rule", "col.peak", "col.capacity", "col.headroom", "col.needed", "col.status")
    doc.table(
        tuple(words(key) for key in keys),
        rows,
        align=("left", "left", "right", "right", "right", "right", "left"),
        flexible=(0, 1),
        empty=words("none"),
    )


def _action_item(report: PeriodReport, action: StoredAction) -> Item:
    words, scrub = report.words, report.scrub
    payload = action.payload
    parts = [action.kind]
    if action.alert:
        target, rule = report.alert_name(action.alert)
        parts.append(f"{target} {rule}".strip())
    for key in ("run", "step", "target", "rule", "group", "file", "role"):
        value = payload.get(key)
        if value not in (None, ""):
            parts.append(f"{key}={scrub(str(value), 60)}")
    text = payload.get("comment") or payload.get("text") or payload.get("reason")
    line = f"{words.minute(action.at)} {scrub(action.actor.describe(), 60)}: {' '.join(parts)}"
    return Item(line, (scrub(str(text), 400),) if text else ())
