"""The alert filter's text field: Enter and Esc take effect in the order the keys were typed.

Over SSH an operator's fast `/ups⏎a` arrives as one read. Textual hands every key of that read to the widget
that has focus when the app reads it, so `⏎` and `a` both queue up in this field; a plain Input would act on
Enter through a message that comes after `a`, and `a` would be typed into the filter instead of acknowledging.
Here every key acts as the field reads it: Enter and Esc (the screen moves the focus at once), the editing keys the
Input binds (run here, not after bubbling up to the app), and a key the field reads after it lost the focus is
handed back to the app, in order, as if just typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets import Input


class FilterInput(Input):
    """An Input whose Enter (keep the filter) and Esc (clear it) call `on_close` in typing order."""

    def __init__(self, on_close: Callable[[bool], None], *, placeholder: str, id: str, compact: bool) -> None:
        """`on_close(keep)`: True for Enter, False for Esc; it must move the focus away (`Screen.set_focus`)."""
        super().__init__(placeholder=placeholder, id=id, compact=compact)
        self._on_close = on_close

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            # Read with the Enter or Esc that handed the keys back: it is the list's key, typed after them.
            event.prevent_default()
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("enter", "escape"):
            event.prevent_default()
            event.stop()
            self._on_close(event.key == "enter")
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            # An editing key (backspace, delete, arrows...) is the Input's binding, which Textual runs only once the
            # key has bubbled up to the app: by then an Enter read behind it may have moved the focus to the list.
            # Run it here, in typing order, like the printable keys the Input handles itself.
            event.prevent_default()
            event.stop()
            await self.run_action(binding.action)
            return
