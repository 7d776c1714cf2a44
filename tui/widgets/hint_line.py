"""The main screen's hint line as text: every key with its word, the ones a viewer may not use greyed out.

A viewer reads what exists and sees at a glance what it cannot do, before opening a form and typing a comment
that would be refused. Greyed is `dim`, which reads without colour too (NO_COLOR keeps text attributes).
"""

from __future__ import annotations

from rich.text import Text

from dutyroom.config.types import Language
from tui.i18n import hint_items

GREYED = "dim"


def hint_text(language: Language, *, short: bool, viewer: bool) -> Text:
    """The hint line (the 80-column selection when `short`); operator-only keys greyed for a viewer."""
    text = Text(end="")
    for index, (key, word, operator_only) in enumerate(hint_items(language, short=short)):
        if index:
            text.append("  ")
        text.append(f"{key} {word}", style=GREYED if viewer and operator_only else "")
    return text
