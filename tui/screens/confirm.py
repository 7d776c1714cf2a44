"""A yes/no question whose default is No: Enter on the focused No, `n` and Escape all answer No."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from tui.i18n import Translator
from tui.render import plain
from tui.widgets.text_label import TextLabel


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        #confirm {
            width: 48;
            max-width: 100%;
            height: auto;
            border: round $warning;
            background: $surface;
            padding: 0 1;
        }
        #confirm-question { text-style: bold; }
        #confirm-keys { color: $text-muted; }
        #confirm-buttons { height: auto; align-horizontal: right; }
        #confirm-buttons Button { margin-left: 1; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", show=False),
        Binding("n", "answer(False)", show=False),
        Binding("y", "answer(True)", show=False),
    ]

    def __init__(self, question: str, translate: Translator) -> None:
        super().__init__()
        self._question = question
        self._translate = translate

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield TextLabel(plain(self._question), id="confirm-question")
            yield TextLabel(plain(self._translate("confirm.keys")), id="confirm-keys")
            with Horizontal(id="confirm-buttons"):
                yield Button(self._translate("confirm.no"), id="no", variant="primary", compact=True)
                yield Button(self._translate("confirm.yes"), id="yes", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
