"""Playbook steps, deadlines and the run's own lines as text: status box, number, two-person marker, command,
who and when; which run the steps belong to (joined, closed).

Pure functions (no widgets): the pane turns these into options and labels. Playbook text is rendered like
device text (cleaned, never markup); commands are shown for the operator to type, never executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from dutyroom.config.durations import format_duration
from dutyroom.playbooks.model import Step
from dutyroom.playbooks.progress import DeadlineState, DeadlineStatus
from dutyroom.playbooks.run_state import PlaybookRun, StepState, StepStatus, person_of
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator
from tui.render import device_text, local_time, plain, wrap_text

STEP_TEXT_LIMIT = 2000
STATUS_BOXES = {
    StepStatus.OPEN: "[ ]",
    StepStatus.AWAITING_CONFIRMATION: "[/]",
    StepStatus.DONE: "[x]",
    StepStatus.SKIPPED: "[-]",
}


@dataclass(frozen=True, slots=True)
class StepStyles:
    """Rich styles resolved from the widget's component classes (theme variables)."""

    done: Style = field(default_factory=Style)
    awaiting: Style = field(default_factory=Style)
    skipped: Style = field(default_factory=Style)
    command: Style = field(default_factory=Style)
    marker: Style = field(default_factory=Style)
    who: Style = field(default_factory=Style)


def step_status(state: StepState | None) -> StepStatus:
    return state.status if state is not None else StepStatus.OPEN


BOX_CELLS = 8
"""Cells taken by the status box and number column ("[x] 12." plus a gap)."""


def step_renderable(
    step: Step, state: StepState | None, translate: Translator, timezone: str, styles: StepStyles, width: int = 0
) -> RenderableType:
    """One step as a two-column grid, so wrapped lines hang under the text, not under the box.

    With `width` (the cells left for the text) lines are broken here, CJK-aware; else rich wraps at spaces.
    """
    status = step_status(state)
    box_style = {
        StepStatus.DONE: styles.done,
        StepStatus.AWAITING_CONFIRMATION: styles.awaiting,
        StepStatus.SKIPPED: styles.skipped,
    }.get(status, Style())
    box = Text(f"{STATUS_BOXES[status]} {step.number:>2}.", style=box_style, end="")
    body = Text(end="")
    if step.two_person:
        body.append(translate("playbook.two_person"), styles.marker)
        body.append(" ")
    text = device_text(step.text, STEP_TEXT_LIMIT)
    inline = inline_command_span(text.plain, step.command)
    if inline is not None:
        text.stylize(styles.command, *inline)
    body.append_text(text)
    lines: list[Text] = [body]
    if step.command and inline is None:
        command = Text("$ ", end="") + device_text(step.command, STEP_TEXT_LIMIT)
        command.stylize(styles.command)
        lines.append(command)
    lines.extend(_who_lines(state, translate, timezone, styles))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(box, Text("\n", end="").join(wrap_text(line, width) for line in lines))
    return grid


def inline_command_span(text: str, command: str | None) -> tuple[int, int] | None:
    """Where the step's command is in its text as inline code (backticks included), or None.

    A command written inline is already on screen in the step's words: it is highlighted there, not repeated
    as a `$ ...` line (which cost up to three of the four step lines at 80x24).
    """
    if not command:
        return None
    start = text.find(f"`{command}`")
    return (start, start + len(command) + 2) if start >= 0 else None


def _who_lines(state: StepState | None, translate: Translator, timezone: str, styles: StepStyles) -> list[Text]:
    if state is None:
        return []
    lines: list[Text] = []
    if state.ticked is not None:
        who = person_of(state.ticked.actor)
        lines.append(
            _who(translate("playbook.ticked_by", who=who, at=local_time(state.ticked.at, timezone)), styles.who)
        )
    if state.confirmed is not None:
        who = person_of(state.confirmed.actor)
        lines.append(
            _who(translate("playbook.confirmed_by", who=who, at=local_time(state.confirmed.at, timezone)), styles.who)
        )
    elif state.two_person and state.ticked is not None:
        lines.append(_who(translate("playbook.awaiting"), styles.awaiting))
    if state.skipped is not None:
        skip = state.skipped
        text = translate(
            "playbook.skipped_by", who=person_of(skip.actor), at=local_time(skip.at, timezone), reason=skip.reason
        )
        lines.append(_who(text, styles.who))
    return lines


def _who(text: str, style: Style) -> Text:
    """Names and reasons come from the action log: cleaned like device text."""
    cleaned = device_text(text, 400)
    cleaned.stylize(style)
    return cleaned


def countdown(seconds: float, *, precise: bool = True) -> str:
    """Time left or late: `29s`, `3m`, `1h05m`; when not `precise` (remote), `<1m` under a minute, so the text
    changes once a minute, like the remote profile's ages, instead of on every 2 s tick."""
    if not precise and seconds < 60:
        return "<1m"
    return format_duration(seconds)


def deadline_line(status: DeadlineStatus, translate: Translator, timezone: str, *, precise: bool = True) -> Text:
    what = device_text(status.deadline.what, 120).plain
    if status.state is DeadlineState.PENDING:
        text = translate("deadline.left", what=what, left=countdown(status.remaining_s, precise=precise))
    elif status.state is DeadlineState.MISSED:
        text = translate("deadline.missed", what=what, late=countdown(-status.remaining_s, precise=precise))
    elif status.state is DeadlineState.MET:
        text = translate("deadline.met", what=what, at=local_time(status.settled_at or 0.0, timezone))
    else:
        text = translate("deadline.waived", what=what)
    return plain(text)


def deadline_class(status: DeadlineStatus, warn_within_s: float = 300.0) -> str:
    """The dash-class for a deadline: -missed, -soon (due within 5 minutes), -pending, -met or -waived."""
    if status.state is DeadlineState.PENDING and status.remaining_s <= warn_within_s:
        return "-soon"
    return f"-{status.state.value}"


def shown_playbook_id(alert: AlertView | None, run: PlaybookRun | None) -> str:
    """The playbook the pane shows: the run's when the alert has one (the steps the keys act on), else the alert's.

    An alert can join the open run of a related playbook (`ups-runtime-low` joins `mains-failure`): its steps,
    deadlines and ticks are that run's, so its own playbook's text would put one step's words on another's state.
    """
    if run is not None:
        return run.playbook_id
    if alert is None:
        return ""
    return alert.playbook or ""


def joined_another(alert: AlertView, run: PlaybookRun) -> bool:
    """Whether `alert` is in `run` because it joined it, not because it started it."""
    return alert.fingerprint != run.incident_key


def run_lines(alert: AlertView, run: PlaybookRun, translate: Translator, timezone: str) -> list[str]:
    """What the pane says about the run above its steps: that the alert joined it, and that it is closed."""
    lines = []
    if joined_another(alert, run):
        playbook = _name(run.playbook_id)
        at = local_time(run.started_at, timezone)
        starter = run.alerts[0] if run.alerts else None
        if starter is not None and starter.target:
            target, rule = _name(starter.target), _name(starter.rule_id)
            lines.append(translate("playbook.joined", playbook=playbook, at=at, target=target, rule=rule))
        else:
            lines.append(translate("playbook.joined_by_hand", playbook=playbook, at=at))
    if run.closed_at is not None:
        who = _name(person_of(run.closed_by)) if run.closed_by is not None else "-"
        at = local_time(run.closed_at, timezone)
        lines.append(translate("playbook.closed", at=at, who=who, reason=_name(run.close_reason, 200)).rstrip(": "))
    return lines


def _name(text: str, limit: int = 80) -> str:
    """Ids, names and reasons from the config and the action log: cleaned like device text."""
    return device_text(text, limit).plain
