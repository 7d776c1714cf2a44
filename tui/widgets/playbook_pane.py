"""The selected alert's playbook run: title, deadlines counting down, numbered steps that can be ticked, its keys.

The pane shows the playbook of the run the keys act on (`playbook_text.shown_playbook_id`): for an alert that
joined a related run, that run's playbook, with a line saying so. The pane only shows; the screen acts on
`highlighted_step` and `run`. Steps are rebuilt only when the playbook or the run changed; deadlines are
recomputed each tick and repainted only when their text changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.progress import deadline_status
from dutyroom.playbooks.run_state import PlaybookRun, StepState
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator
from tui.render import device_text, plain
from tui.text_format import summary_lines
from tui.widgets.playbook_text import (
    BOX_CELLS,
    StepStyles,
    deadline_class,
    deadline_line,
    run_lines,
    step_renderable,
)
from tui.widgets.text_label import TextLabel


@dataclass(frozen=True, slots=True)
class PlaybookView:
    """What the pane shows: the selected alert, its run (if any) and that run's playbook (else the alert's own)."""

    alert: AlertView | None
    playbook: Playbook | None
    run: PlaybookRun | None
    now: float
    timezone: str
    origin: str = ""
    """On a console of several sites, whose copy the playbook is ("SH-DR: ", put before its title), or, when there
    is no playbook, why (being read; the site gives none). "" on a one-site console: its playbooks are its own."""


class PlaybookSteps(OptionList):
    """Steps as options; wrapped lines hang under the step text."""

    DEFAULT_CSS = """
    PlaybookSteps {
        height: 1fr;
        border: none;
        padding: 0;
        &:focus { border: none; }
        & > .playbook-steps--done { color: $text-success; text-style: bold; }
        & > .playbook-steps--awaiting { color: $text-warning; text-style: bold; }
        & > .playbook-steps--skipped { color: $text-muted; }
        & > .playbook-steps--command { color: $text-accent; }
        & > .playbook-steps--marker { color: $text-warning; text-style: bold; }
        & > .playbook-steps--who { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "playbook-steps--done",
        "playbook-steps--awaiting",
        "playbook-steps--skipped",
        "playbook-steps--command",
        "playbook-steps--marker",
        "playbook-steps--who",
    }

    def step_styles(self) -> StepStyles:
        def style(name: str) -> Style:
            # Plain until Textual has computed the component styles: a snapshot can arrive before that.
            return self.get_component_rich_style(f"playbook-steps--{name}", partial=True, default=Style())

        return StepStyles(
            style("done"), style("awaiting"), style("skipped"), style("command"), style("marker"), style("who")
        )


class DeadlineLabel(TextLabel):
    DEFAULT_CSS = """
    DeadlineLabel {
        height: auto;
        &.-pending { color: $text; }
        &.-soon { color: $text-warning; text-style: bold; }
        &.-missed { background: $error; color: $text; text-style: bold; }
        &.-met { color: $text-success; }
        &.-waived { color: $text-muted; }
    }
    """


class PlaybookPane(Vertical):
    DEFAULT_CSS = """
    PlaybookPane {
        height: 1fr;
        #playbook-title { height: auto; text-style: bold; }
        #playbook-note { height: auto; color: $text-muted; }
        #playbook-deadlines { height: auto; }
        #playbook-keys { height: auto; color: $text-muted; }
    }
    """

    def __init__(self, translate: Translator, *, precise_times: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._translate = translate
        self._precise_times = precise_times
        """Off for remote sessions: countdowns read `<1m` under a minute, so they repaint once a minute."""
        self._steps_key: tuple[object, ...] | None = None
        self._deadline_texts: list[tuple[str, str]] = []
        self.run: PlaybookRun | None = None
        self._view: PlaybookView | None = None
        self.playbook: Playbook | None = None
        self._steps: PlaybookSteps | None = None
        self._note: TextLabel | None = None
        self._keys: TextLabel | None = None

    def compose(self) -> ComposeResult:
        yield TextLabel(id="playbook-title")
        yield Vertical(id="playbook-deadlines")
        yield TextLabel(id="playbook-note")
        yield PlaybookSteps(id="playbook-steps")
        yield TextLabel(plain(self._translate("playbook.keys")), id="playbook-keys")

    @property
    def steps(self) -> PlaybookSteps:
        if self._steps is None:
            self._steps = self.query_one(PlaybookSteps)
        return self._steps

    @property
    def highlighted_step(self) -> int | None:
        index = self.steps.highlighted
        if self.playbook is None or index is None or not 0 <= index < len(self.playbook.steps):
            return None
        return self.playbook.steps[index].number

    def step_state(self, number: int) -> StepState | None:
        return self.run.step(number) if self.run is not None else None

    def show(self, view: PlaybookView) -> None:
        self._view = view
        self.run, self.playbook = view.run, view.playbook
        alert_id = view.alert.fingerprint if view.alert else ""
        key = (alert_id, view.playbook, view.origin, view.run, view.timezone, self._text_width())
        if key != self._steps_key:
            self._steps_key = key
            self._rebuild_steps(view)
        note = self._note_text(view)
        if self._note is None:
            self._note = self.query_one("#playbook-note", TextLabel)
            self._keys = self.query_one("#playbook-keys", TextLabel)
        note_widget = self._note
        note_widget.display = bool(note)
        note_widget.show(plain(note))
        if self._keys is not None:
            self._keys.display = view.run is not None and view.run.is_open and view.playbook is not None
        self._show_deadlines(view)

    def _note_text(self, view: PlaybookView) -> str:
        translate, alert, run = self._translate, view.alert, view.run
        if alert is None:
            return translate("playbook.no_alert")
        runbook = [translate("playbook.runbook", url=device_text(alert.runbook_url, 200).plain)]
        runbook = runbook if alert.runbook_url else []
        missing_id = run.playbook_id if run is not None else alert.playbook
        if not missing_id:
            return "\n".join([translate("playbook.none"), *summary_lines(alert, translate), *runbook])
        lines = run_lines(alert, run, translate, view.timezone) if run is not None else []
        if view.playbook is None:
            lines.insert(0, view.origin or translate("playbook.missing", id=device_text(missing_id, 80).plain))
        elif run is None:
            lines.append(translate("playbook.no_run"))
        return "\n".join([*lines, *runbook])

    def _text_width(self) -> int:
        """Cells for step text: the list's width less its scrollbar and the status box."""
        steps = self.steps
        return max(0, steps.size.width - steps.styles.scrollbar_size_vertical - BOX_CELLS)

    def on_resize(self) -> None:
        if self._view is not None:
            self.show(self._view)

    def _rebuild_steps(self, view: PlaybookView) -> None:
        title = self.query_one("#playbook-title", TextLabel)
        steps = self.steps
        previous = steps.highlighted
        steps.clear_options()
        if view.playbook is None:
            title.show(plain(""))
            title.display = False
            return
        heading = plain(view.origin) + device_text(view.playbook.title, 200)
        if view.run is not None and view.run.drill:
            heading.append(f"  {self._translate('playbook.drill')}")
        title.show(heading)
        title.display = True
        styles, width = steps.step_styles(), self._text_width()
        options = [
            Option(
                step_renderable(step, self.step_state(step.number), self._translate, view.timezone, styles, width),
                id=f"step-{step.number}",
            )
            for step in view.playbook.steps
        ]
        steps.add_options(options)
        if options:
            steps.highlighted = min(previous if previous is not None else 0, len(options) - 1)

    def _show_deadlines(self, view: PlaybookView) -> None:
        statuses = (
            deadline_status(view.run, view.playbook, view.now)
            if view.run is not None and view.playbook is not None
            else ()
        )
        lines = [
            (
                deadline_line(status, self._translate, view.timezone, precise=self._precise_times).plain,
                deadline_class(status),
            )
            for status in statuses
        ]
        if lines == self._deadline_texts:
            return
        container = self.query_one("#playbook-deadlines", Vertical)
        if len(lines) != len(self._deadline_texts):
            container.remove_children()
            container.mount_all(DeadlineLabel(plain(text), classes=css) for text, css in lines)
        else:
            for label, (text, css) in zip(container.query(DeadlineLabel), lines, strict=True):
                label.show(plain(text))
                label.set_classes(css)
        self._deadline_texts = lines
