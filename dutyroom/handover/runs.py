"""The handover's people sections: playbook runs (steps done by whom, steps open), notes, and drills."""

from __future__ import annotations

from dutyroom.documents.model import Document, Item
from dutyroom.handover.context import HandoverContext
from dutyroom.playbooks.progress import DeadlineState, RunSummary, summary
from dutyroom.playbooks.run_state import PlaybookRun, StepStatus
from dutyroom.playbooks.runs import RUN_ACTION_KINDS

HANDOVER_NOTE = "handover-note"
MAX_DRILL_LINES = 30
STEP_TEXT_LIMIT = 2000
"""Step text is wrapped to the page, never cut short: the cap only bounds a runaway playbook line."""


def run_summary(ctx: HandoverContext, run: PlaybookRun) -> RunSummary | None:
    playbook = ctx.room.playbooks.get(run.playbook_id, ctx.lang)
    return summary(run, playbook, ctx.now) if playbook is not None else None


def playbook_runs(doc: Document, ctx: HandoverContext) -> None:
    doc.heading(ctx.words("section.runs"))
    touched = [run for run in ctx.history.runs_touched() if not run.drill]
    doc.bullets([run_item(ctx, run) for run in touched], ctx.words("none"))


def run_item(ctx: HandoverContext, run: PlaybookRun) -> Item:
    words, scrub = ctx.words, ctx.scrub
    found = run_summary(ctx, run)
    title = scrub(found.title, 60) if found is not None else run.playbook_id
    head = words("run.head", title=title, run=run.run_id)
    who = scrub(run.started_by.describe(), 60)
    details = []
    if run.target:
        rule = run.alerts[0].rule_id if run.alerts else ""
        details.append(
            words("run.for", target=ctx.target_label(run.target), rule=rule, at=ctx.when(run.started_at), who=who)
        )
    else:
        details.append(words("run.by_hand", at=ctx.when(run.started_at), who=who))
    if run.closed_at is not None:
        closer = scrub(run.closed_by.describe(), 60) if run.closed_by is not None else "-"
        details.append(
            words("run.closed", at=ctx.when(run.closed_at), who=closer, reason=scrub(run.close_reason, 120)).rstrip()
        )
    else:
        done = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED))
        details.append(words("run.open", done=done, steps=len(run.steps)))
    details.extend(_step_lines(ctx, run, found))
    if found is not None:
        details.extend(_deadline_lines(ctx, found))
    for note in run.notes:
        details.append(
            words("alert.note", who=scrub(note.actor.describe(), 60), at=ctx.when(note.at), text=scrub(note.text, 300))
        )
    return Item(head, tuple(details))


def _step_lines(ctx: HandoverContext, run: PlaybookRun, found: RunSummary | None) -> list[str]:
    words, scrub = ctx.words, ctx.scrub
    texts = {step.number: step.text for step in found.steps} if found is not None else {}
    lines = []
    for step in run.steps:
        text = scrub(texts.get(step.number, ""), STEP_TEXT_LIMIT)
        status = step.status
        if status is StepStatus.DONE:
            marks = [mark for mark in (step.ticked, step.confirmed) if mark is not None]
            who = " + ".join(scrub(mark.actor.describe(), 40) for mark in marks)
            at = ctx.when(step.done_at or marks[-1].at)
            lines.append(words("step.done", n=step.number, who=who, at=at, text=text))
        elif status is StepStatus.AWAITING_CONFIRMATION and step.ticked is not None:
            who = scrub(step.ticked.actor.describe(), 40)
            lines.append(words("step.awaiting", n=step.number, who=who, at=ctx.when(step.ticked.at), text=text))
        elif status is StepStatus.SKIPPED and step.skipped is not None:
            who = scrub(step.skipped.actor.describe(), 40)
            reason = scrub(step.skipped.reason, 120)
            lines.append(words("step.skipped", n=step.number, who=who, at=ctx.when(step.skipped.at), reason=reason))
        else:
            lines.append(words("step.open", n=step.number, text=text))
    return lines


def _deadline_lines(ctx: HandoverContext, found: RunSummary) -> list[str]:
    words, scrub = ctx.words, ctx.scrub
    lines = []
    for status in found.deadlines:
        what = scrub(status.deadline.what or status.deadline.id, 80)
        due = ctx.when(status.due_at)
        if status.state is DeadlineState.MET and status.settled_at is not None:
            lines.append(words("deadline.met", what=what, at=ctx.when(status.settled_at), due=due))
        elif status.state is DeadlineState.MISSED:
            lines.append(words("deadline.missed", what=what, due=due))
        elif status.state is DeadlineState.WAIVED:
            lines.append(words("deadline.waived", what=what))
        else:
            lines.append(words("deadline.pending", what=what, due=due, left=words.duration(status.remaining_s)))
    return lines


def notes(doc: Document, ctx: HandoverContext) -> None:
    """Handover notes and notes on alerts recorded during the shift (drill notes are under DRILLS)."""
    words, scrub = ctx.words, ctx.scrub
    doc.heading(words("section.notes"))
    items = []
    for action in ctx.history.period_actions:
        if action.drill:
            continue
        who, at, text = (
            scrub(action.actor.describe(), 60),
            ctx.when(action.at),
            scrub(str(action.payload.get("text", "")), 600),
        )
        if action.kind == HANDOVER_NOTE:
            items.append(Item(words("note.handover", who=who, at=at, text=text)))
        elif action.kind == "note" and action.alert:
            target, rule = ctx.alert_name(action.alert)
            items.append(
                Item(words("note.alert", who=who, at=at, target=ctx.target_label(target), rule=rule, text=text))
            )
    doc.bullets(items, words("none"))


def drills(doc: Document, ctx: HandoverContext) -> None:
    """Drill alerts, drill runs and drill actions of the shift, each marked as a drill."""
    words, scrub, history = ctx.words, ctx.scrub, ctx.history
    doc.heading(words("section.drills"))
    mark = words("drill")
    lines = []
    for incident in history.incidents:
        if incident.drill:
            end = ctx.when(incident.resolved_at) if incident.resolved_at is not None else words("still.open")
            severity = words("severity." + incident.severity) if incident.severity else "-"
            text = words(
                "drill.alert",
                target=ctx.target_label(incident.target),
                rule=incident.rule,
                severity=severity,
                start=ctx.when(incident.opened_at),
                end=end,
            )
            lines.append(f"{mark} {text}")
    for run in history.runs_touched():
        if run.drill:
            found = run_summary(ctx, run)
            title = scrub(found.title, 60) if found is not None else run.playbook_id
            done = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED))
            lines.append(f"{mark} " + words("drill.run", title=title, run=run.run_id, done=done, steps=len(run.steps)))
    for action in history.period_actions:
        if action.drill and action.kind not in RUN_ACTION_KINDS:
            detail = scrub(str(action.payload.get("text") or action.payload.get("comment") or ""), 200)
            who = scrub(action.actor.describe(), 60)
            lines.append(
                f"{mark} " + words("drill.action", who=who, at=ctx.when(action.at), kind=action.kind, detail=detail)
            )
    if len(lines) > MAX_DRILL_LINES:
        lines = [*lines[:MAX_DRILL_LINES], f"+{len(lines) - MAX_DRILL_LINES}"]
    doc.bullets([Item(line.rstrip()) for line in lines], words("none"))
