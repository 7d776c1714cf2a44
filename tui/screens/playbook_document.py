"""The whole playbook on one scrollable screen, one key (`p`) from the pane: contacts first, then the text as written.

The pane has room for the steps only; the phone numbers in `[[contact]]`, the introduction and the appendices
(the shutdown order step 7 of mains-failure refers to) are what an engineer reaches for next. The text is the
playbook's own Markdown, cleaned line by line like device text and shown as plain `Text`, never parsed as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from dutyroom.playbooks.markdown import reflowed_lines
from dutyroom.playbooks.model import Contact, Playbook
from tui.i18n import Translator
from tui.render import device_text, plain, wrap_text
from tui.widgets.text_label import TextLabel

LINE_LIMIT = 2000
"""Characters kept of one line of the playbook's text."""
LINES_LIMIT = 5000
"""Lines kept of the playbook's text: a playbook is a few pages; a runaway file must not stall the screen."""


def body_lines(playbook: Playbook) -> list[Text]:
    """The playbook's text after the front matter, paragraphs reflowed, each line cleaned (no blank lines at
    either end)."""
    lines = reflowed_lines(playbook.body_text.strip("\n"))[:LINES_LIMIT]
    return [device_text(line, LINE_LIMIT) for line in lines]


def contact_lines(contacts: tuple[Contact, ...]) -> list[Text]:
    """One line per contact, in the playbook's (escalation) order: the phone first, in a column, then who."""
    phones = [device_text(contact.phone, 60) for contact in contacts]
    width = max((phone.cell_len for phone in phones), default=0)
    lines = []
    for contact, phone in zip(contacts, phones, strict=True):
        line = phone.copy()
        line.pad_right(width - phone.cell_len + 2)
        line.append_text(device_text(contact.name, 120))
        if contact.role:
            line.append(", ")
            line.append_text(device_text(contact.role, 200))
        lines.append(line)
    return lines


class WrappedLines(TextLabel):
    """Lines broken again (CJK-aware, like the pane's steps) whenever the width changes."""

    def __init__(self, lines: list[Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = lines
        self._wrapped_at = -1

    def on_resize(self) -> None:
        width = self.content_region.width
        if width != self._wrapped_at and width > 0:
            self._wrapped_at = width
            self.show(Text("\n", end="").join(wrap_text(line, width) for line in self._lines))


class PlaybookDocumentScreen(Screen[None]):
    DEFAULT_CSS = """
    PlaybookDocumentScreen {
        #document { border-top: solid $primary; border-title-color: $text-primary; border-title-style: bold;
                    height: 1fr; padding: 0 1; }
        #document-contacts-title { text-style: bold; color: $text-secondary; }
        #document-contacts { height: auto; margin-bottom: 1; }
        #document-hints { dock: bottom; height: 1; background: $panel; color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", show=False),
        Binding("q", "close", show=False),
        Binding("p", "close", show=False),
    ]

    def __init__(self, playbook: Playbook, translate: Translator) -> None:
        super().__init__()
        self._playbook = playbook
        self._translate = translate
        self._contacts = contact_lines(playbook.contacts) or [plain(translate("document.no_contacts"))]
        self._lines = body_lines(playbook)

    @property
    def document_text(self) -> str:
        """Everything the screen shows, as plain text (titles, contacts, then the playbook's text)."""
        title, contacts = device_text(self._playbook.title, 200).plain, self._translate("document.contacts")
        parts = [title, contacts, *(line.plain for line in self._contacts)]
        return "\n".join([*parts, *(line.plain for line in self._lines)])

    def compose(self) -> ComposeResult:
        translate = self._translate
        with VerticalScroll(id="document") as box:
            box.border_title = device_text(translate("document.title", title=self._playbook.title), 200)
            box.can_focus = True
            yield TextLabel(plain(translate("document.contacts")), id="document-contacts-title")
            yield WrappedLines(self._contacts, id="document-contacts")
            yield WrappedLines(self._lines, id="document-body")
        yield TextLabel(plain(translate("document.hints")), id="document-hints")

    def on_mount(self) -> None:
        self.query_one("#document", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
