"""The run's forms: skip a step (a reason is required), a note on the run, and closing the run (asked, then a comment).

Each names the run it records on (its playbook's title and the run id) and, for a step, the step's text as the
pane shows it, so the operator sees what will be recorded before it is. Like the alert forms
(`tui.screens.action_forms`) they build typed actions and record them through the console's recorder.
"""

from __future__ import annotations

from rich.text import Text

from dutyroom.actions_model import RunClose, StepNote, StepSkip
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.run_state import PlaybookRun, StepStatus
from tui.i18n import Translator
from tui.render import device_text, local_time
from tui.screens.context import ConsoleContext
from tui.screens.dialogs import ActionDialog, Builder, Field, Request
from tui.screens.step_keys import StepTarget

STEP_WORDS_LIMIT = 80
"""Cells of step text quoted in a question: enough to tell the step, short enough for a small dialog."""


def run_title(run: PlaybookRun, playbook: Playbook | None) -> str:
    """The run as people name it: its playbook's title (its id when the playbook is not loaded)."""
    return device_text(playbook.title if playbook is not None else run.playbook_id, 120).plain


def step_words(playbook: Playbook | None, number: int) -> str:
    step = playbook.step(number) if playbook is not None else None
    return device_text(step.text if step is not None else "", STEP_WORDS_LIMIT).plain


def run_subject(run: PlaybookRun, playbook: Playbook | None, step: int = 0) -> Text:
    """`Title [run id]`, and the step's number and text below it when the form is about one step."""
    subject = Text(run_title(run, playbook), style="bold", end="")
    subject.append(" [")
    subject.append_text(device_text(run.run_id, 120))
    subject.append("]")
    if step:
        subject.append(f"\n{step}. {step_words(playbook, step)}")
    return subject


def undo_question(run: PlaybookRun, playbook: Playbook | None, step: int, translate: Translator) -> str:
    return translate("confirm.undo", step=step, title=run_title(run, playbook), text=step_words(playbook, step))


def close_question(run: PlaybookRun, playbook: Playbook | None, translate: Translator, timezone: str) -> str:
    """Asks before closing, saying how many steps are not done (a closed run takes no more ticks)."""
    waiting = sum(1 for step in run.steps if step.status in (StepStatus.OPEN, StepStatus.AWAITING_CONFIRMATION))
    return translate(
        "confirm.close",
        title=run_title(run, playbook),
        at=local_time(run.started_at, timezone),
        open=waiting,
        steps=len(run.steps),
    )


def skip_dialog(target: StepTarget, playbook: Playbook | None, context: ConsoleContext) -> ActionDialog:
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        reason = values["reason"].strip()
        if not reason:
            return translate("dialog.reason_required")
        return Request(StepSkip(run=target.run.run_id, step=target.step, reason=reason), target.alert)

    fields = [Field("reason", translate("dialog.reason"), focus=True)]
    title = translate("dialog.skip.title", step=target.step)
    return _dialog(title, run_subject(target.run, playbook, target.step), fields, build, context)


def run_note_dialog(run: PlaybookRun, alert: str, playbook: Playbook | None, context: ConsoleContext) -> ActionDialog:
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        text = values["text"].strip()
        if not text:
            return translate("dialog.text_required")
        return Request(StepNote(run=run.run_id, text=text, step=0), alert)

    fields = [Field("text", translate("dialog.note_text"), focus=True)]
    return _dialog(translate("dialog.run_note.title"), run_subject(run, playbook), fields, build, context)


def close_dialog(run: PlaybookRun, alert: str, playbook: Playbook | None, context: ConsoleContext) -> ActionDialog:
    """The comment for closing `run` (asked for after `close_question` was answered yes)."""
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        comment = values["comment"].strip()
        if not comment:
            return translate("dialog.comment_required")
        return Request(RunClose(run=run.run_id, reason=comment), alert)

    fields = [Field("comment", translate("dialog.comment"), focus=True)]
    return _dialog(translate("dialog.close.title"), run_subject(run, playbook), fields, build, context)


def _dialog(title: str, subject: Text, fields: list[Field], build: Builder, context: ConsoleContext) -> ActionDialog:
    blink = not context.settings.remote
    refused = context.viewer_refusal(title)
    return ActionDialog(
        title, subject, fields, build, context.record, context.translate, cursor_blink=blink, refused=refused
    )
