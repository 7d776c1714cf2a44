"""Playbook runs as lines for a terminal or a pipe: one line per run for `run list`, the whole run for `run show`.

`run show` says, for each step, its text in full, its state in words, who acted and when, and for a two-person
step whether it still awaits its second operator, so a shell reader learns what the console's pane shows.
Text from playbooks and the action log is cleaned (no control bytes reach the terminal). Imported by the
command handlers only: it loads nothing heavy, but building the parser does not need it at all.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dutyroom.config.durations import format_duration
from dutyroom.model import Identity
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.progress import DeadlineState, DeadlineStatus, deadline_status
from dutyroom.playbooks.run_state import Mark, PlaybookRun, StepState, StepStatus, person_of
from dutyroom.textclean import clean_text

BOXES = {
    StepStatus.OPEN: "[ ]",
    StepStatus.AWAITING_CONFIRMATION: "[/]",
    StepStatus.DONE: "[x]",
    StepStatus.SKIPPED: "[-]",
}
STATE_WORDS = {
    StepStatus.OPEN: "open",
    StepStatus.AWAITING_CONFIRMATION: "awaiting a second operator",
    StepStatus.DONE: "done",
    StepStatus.SKIPPED: "skipped",
}
TEXT_LIMIT = 2000
INDENT = " " * 8


class RunText:
    """Times in the site's timezone, relative to `now` (HH:MM today, MM-DD HH:MM before)."""

    def __init__(self, timezone: ZoneInfo, now: float) -> None:
        self.timezone = timezone
        self.now = now

    def when(self, at: float) -> str:
        local = datetime.fromtimestamp(at, self.timezone)
        today = local.date() == datetime.fromtimestamp(self.now, self.timezone).date()
        return local.strftime("%H:%M" if today else "%m-%d %H:%M")

    def stamp(self, at: float) -> str:
        return datetime.fromtimestamp(at, self.timezone).strftime("%Y-%m-%d %H:%M:%S")

    def list_line(self, run: PlaybookRun, playbook: Playbook | None) -> str:
        """`run-id  open  3/11 done  Title; 1 awaiting a second operator; 1 deadline MISSED`."""
        settled = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED))
        state = "open" if run.is_open else "closed"
        line = f"{run.run_id}  {state:<6} {settled}/{len(run.steps)} done  {_clean(title_of(run, playbook), 80)}"
        extras = [f"started {self.when(run.started_at)}"]
        if run.drill:
            extras.insert(0, "DRILL")
        awaiting = sum(1 for step in run.steps if step.status is StepStatus.AWAITING_CONFIRMATION)
        if awaiting and run.is_open:
            extras.append(f"{awaiting} awaiting a second operator")
        missed = sum(1 for status in self.deadlines(run, playbook) if status.state is DeadlineState.MISSED)
        if missed:
            extras.append(f"{missed} deadline{'s' if missed != 1 else ''} MISSED")
        return line + "; " + "; ".join(extras)

    def deadlines(self, run: PlaybookRun, playbook: Playbook | None) -> tuple[DeadlineStatus, ...]:
        return deadline_status(run, playbook, self.now) if playbook is not None else ()

    def report(self, run: PlaybookRun, playbook: Playbook | None) -> list[str]:
        """The whole run: what it is for, its state, deadlines, every step, notes."""
        lines = [f"{_clean(title_of(run, playbook), 200)} [{run.run_id}]" + ("  DRILL" if run.drill else "")]
        settled = sum(1 for step in run.steps if step.status in (StepStatus.DONE, StepStatus.SKIPPED))
        if run.is_open:
            lines.append(f"state: open, {settled} of {len(run.steps)} steps done or skipped")
        else:
            closer = _clean(run.closed_by.describe(), 80) if run.closed_by is not None else "-"
            closed_at = self.stamp(run.closed_at or 0.0)
            lines.append(f"state: closed {closed_at} by {closer}: {_clean(run.close_reason, 400)}".rstrip(": "))
        lines.append(f"started: {self.stamp(run.started_at)} by {_clean(run.started_by.describe(), 80)}")
        for index, alert in enumerate(run.alerts):
            how = "started it" if index == 0 else "joined"
            what = f"{_clean(alert.target, 80)} {_clean(alert.rule_id, 80)}".strip() or "by hand"
            lines.append(f"alert: {what} ({how} {self.when(alert.at)})")
        if playbook is None:
            lines.append(f"playbook {run.playbook_id!r} is not loaded: step texts are missing")
        statuses = self.deadlines(run, playbook)
        if statuses:
            lines.append("deadlines:")
            lines.extend(f"  {self.deadline(status)}" for status in statuses)
        lines.append("steps:")
        for state in run.steps:
            lines.extend(self.step_lines(run, state, playbook))
        general = run.notes_for(0)
        if general:
            lines.append("notes:")
            lines.extend(f"  {self.note(note.actor.describe(), note.at, note.text)}" for note in general)
        return lines

    def deadline(self, status: DeadlineStatus) -> str:
        what = _clean(status.deadline.what or status.deadline.id, 200)
        due = self.when(status.due_at)
        if status.state is DeadlineState.PENDING:
            return f"pending  {what} (due {due}, {format_duration(status.remaining_s)} left)"
        if status.state is DeadlineState.MET:
            return f"met      {what} (at {self.when(status.settled_at or 0.0)}, due {due})"
        if status.state is DeadlineState.WAIVED:
            return f"waived   {what} (its step was skipped)"
        return f"MISSED   {what} (due {due})"

    def step_lines(self, run: PlaybookRun, state: StepState, playbook: Playbook | None) -> list[str]:
        step = playbook.step(state.number) if playbook is not None else None
        marker = "[two-person] " if state.two_person else ""
        text = _clean(step.text, TEXT_LIMIT) if step is not None else ""
        lines = [f"  {BOXES[state.status]} {state.number:>2}. {marker}{text}".rstrip()]
        lines.append(f"{INDENT}{self.step_state(state)}")
        if step is not None and step.command and step.command not in step.text:
            lines.append(f"{INDENT}$ {_clean(step.command, TEXT_LIMIT)}")
        lines.extend(
            f"{INDENT}note: {self.note(note.actor.describe(), note.at, note.text)}"
            for note in run.notes_for(state.number)
        )
        return lines

    def step_state(self, state: StepState) -> str:
        """The step's state in words, with who and when: `done: ticked by alice at 10:05, confirmed by bob ...`."""
        word = STATE_WORDS[state.status]
        if state.skipped is not None:
            skip = state.skipped
            return f"{word} by {_person(skip.actor)} at {self.when(skip.at)}: {_clean(skip.reason, 400)}"
        marks = []
        if state.ticked is not None:
            marks.append(f"ticked by {self.mark(state.ticked)}")
        if state.confirmed is not None:
            marks.append(f"confirmed by {self.mark(state.confirmed)}")
        if state.two_person and state.status is StepStatus.OPEN:
            marks.append("needs two operators")
        return f"{word}: {', '.join(marks)}" if marks else word

    def mark(self, mark: Mark) -> str:
        return f"{_person(mark.actor)} at {self.when(mark.at)}"

    def note(self, who: str, at: float, text: str) -> str:
        return f"{_clean(who, 80)} at {self.when(at)}: {_clean(text, TEXT_LIMIT)}"


def title_of(run: PlaybookRun, playbook: Playbook | None) -> str:
    return playbook.title if playbook is not None else run.playbook_id


def _person(actor: Identity) -> str:
    return _clean(person_of(actor), 80)


def _clean(text: str, limit: int) -> str:
    return clean_text(text, limit)
