"""A modal form that records one operator action; Enter submits, Escape cancels without recording anything.

The dialog stays open (keeping what was typed) when the form is incomplete or the action is refused, and
shows why; a console that may not record the action at all (a viewer) gets the form greyed out with the reason,
before anything is typed. It closes with the stored action only once `submit` returned, so nothing shows as
done before it is durable (or, on a console that sends actions off the UI loop, as soon as it is sent: that
console reports the outcome itself). A field is a line of text or a yes/no box (`[x]`/`[ ]`, toggled by space,
readable without colour).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input

from dutyroom.actions_model import OperatorAction
from dutyroom.store.records import StoredAction
from tui.i18n import Translator
from tui.render import plain
from tui.screens.context import Recorder
from tui.widgets.text_label import TextLabel

FIELD_LIMIT = 2000
YES = "yes"
"""A yes/no field's value when ticked ("" when not)."""


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    value: str = ""
    focus: bool = False
    yes_no: bool = False
    """A box to tick (value YES or "") instead of a line of text."""


class YesNoBox(Widget, can_focus=True):
    """A yes/no choice drawn as `[x] label` or `[ ] label`; space toggles it, Enter submits the form."""

    DEFAULT_CSS = """
    YesNoBox {
        height: 1;
        &:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "flip", show=False),
        Binding("enter", "screen.submit", show=False),
    ]
    value: reactive[bool] = reactive(False)

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(YesNoBox.value, value)

    def render(self) -> Text:
        return plain(f"[{'x' if self.value else ' '}] {self.label}")

    def action_flip(self) -> None:
        self.value = not self.value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_flip()


@dataclass(frozen=True, slots=True)
class Request:
    """The typed action the form built, and the alert it is about (its fingerprint, or "")."""

    action: OperatorAction
    alert: str


Builder = Callable[[dict[str, str]], Request | str]
"""Turns the typed values into a request, or returns why they are not acceptable yet."""


class ActionDialog(ModalScreen[StoredAction | None]):
    DEFAULT_CSS = """
    ActionDialog {
        align: center middle;
        #dialog {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        .field-label { color: $text-muted; }
        Input { margin: 0; background: $boost; }
        #dialog-error { color: $text-error; text-style: bold; }
        #dialog-keys { color: $text-muted; }
        #dialog-buttons { height: auto; align-horizontal: right; }
        #dialog-buttons Button { margin-left: 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        title: str,
        subject: Text,
        fields: Sequence[Field],
        build: Builder,
        record: Recorder,
        translate: Translator,
        *,
        cursor_blink: bool = True,
        refused: str = "",
    ) -> None:
        """`refused` (why this console may not record the action) greys the form out and says so at once."""
        super().__init__()
        self._refused = refused
        self._title = title
        self._subject = subject
        self._fields = tuple(fields)
        self._build = build
        self._record = record
        self._translate = translate
        self._cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        translate = self._translate
        with Vertical(id="dialog") as dialog:
            dialog.border_title = plain(self._title)
            yield TextLabel(self._subject, id="dialog-subject")
            for field in self._fields:
                if field.yes_no:
                    yield YesNoBox(field.label, field.value == YES, id=f"field-{field.name}")
                    continue
                yield TextLabel(plain(field.label), classes="field-label")
                field_input = Input(field.value, id=f"field-{field.name}", compact=True, max_length=FIELD_LIMIT)
                field_input.cursor_blink = self._cursor_blink
                field_input.disabled = bool(self._refused)
                yield field_input
            yield TextLabel(plain(self._refused), id="dialog-error")
            yield TextLabel(plain("" if self._refused else translate("dialog.keys")), id="dialog-keys")
            with Horizontal(id="dialog-buttons"):
                yield Button(translate("dialog.cancel"), id="cancel", compact=True)
                submit = Button(translate("dialog.submit"), id="submit", variant="primary", compact=True)
                submit.disabled = bool(self._refused)
                yield submit

    def on_mount(self) -> None:
        if self._refused:
            for box in self.query(YesNoBox):
                box.disabled = True
            self.query_one("#cancel", Button).focus()
            return
        focused = next((field for field in self._fields if field.focus), self._fields[0] if self._fields else None)
        if focused is not None:
            self.query_one(f"#field-{focused.name}").focus()

    def values(self) -> dict[str, str]:
        """What each field holds: its text, or YES / "" for a yes/no box."""
        found: dict[str, str] = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, YesNoBox):
                found[field.name] = YES if widget.value else ""
            elif isinstance(widget, Input):
                found[field.name] = widget.value
        return found

    def show_error(self, reason: str) -> None:
        self.query_one("#dialog-error", TextLabel).show(plain(reason))

    def action_submit(self) -> None:
        self.submit()

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if self._refused:
            return
        built = self._build(self.values())
        if isinstance(built, str):
            self.show_error(built)
            return
        outcome = self._record(built.action, built.alert)
        if outcome.pending:
            self.dismiss(None)  # on its way: the console says how it went once the other end answers
            return
        if outcome.action is None:
            self.show_error(outcome.reason)
            return
        self.dismiss(outcome.action)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
