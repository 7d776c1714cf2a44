"""The timeline: events, alert transitions and operator actions of the last 24 hours, newest first.

`1`/`2`/`3` toggle events, transitions and actions; `/` filters by text (target, who, what).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input

from dutyroom.views.console_source import TimelineEntry
from tui.i18n import Translator
from tui.render import ASCII_ELLIPSIS, ELLIPSIS, device_text, local_time, plain, since_text
from tui.screens.breakpoints import apply_breakpoints
from tui.screens.context import ConsoleContext
from tui.screens.help import HelpScreen
from tui.screens.timeline_entry import TimelineEntryScreen
from tui.screens.timeline_text import what_happened
from tui.widgets.filter_input import FilterInput
from tui.widgets.line_table import Column, LineTable, Row
from tui.widgets.text_label import TextLabel
from tui.widgets.too_small import TooSmallNotice

KINDS = ("event", "transition", "action")
WINDOW_S = 24 * 3600.0
REFRESH_S = 5.0


def timeline_rows(
    entries: Sequence[TimelineEntry],
    kinds: frozenset[str],
    needle: str,
    now: float,
    timezone: str,
    translate: Translator,
) -> list[Row]:
    """Entries of the chosen kinds matching `needle`, newest first, each with a stable key."""
    return [row for row, _ in timeline_lines(entries, kinds, needle, now, timezone, translate)]


def timeline_lines(
    entries: Sequence[TimelineEntry],
    kinds: frozenset[str],
    needle: str,
    now: float,
    timezone: str,
    translate: Translator,
) -> list[tuple[Row, TimelineEntry]]:
    """Each row with the entry it shows (Enter opens that entry in full).

    The filter matches the target, rule, who and the words on screen (in the console's language) as well as
    the stored kind, so `ups-a` finds the acks, notes and ticks on UPS A and `step` finds ticks under `--lang zh`.
    """
    words = needle.lower().split()
    lines: list[tuple[Row, TimelineEntry]] = []
    seen: dict[str, int] = {}
    for entry in sorted(entries, key=lambda item: item.at, reverse=True):
        if entry.kind not in kinds:
            continue
        what = what_happened(entry, translate)
        kind_word = translate.word("timeline", entry.kind)
        haystack = " ".join((entry.target, entry.rule, entry.who, what, entry.kind, entry.what, kind_word)).lower()
        if not all(word in haystack for word in words):
            continue
        when = since_text(entry.at, now, timezone, with_time=True)
        if len(when) == 5:
            when = local_time(entry.at, timezone, seconds=True)
        text = device_text(what, 300)
        if entry.drill:
            text = plain(f"[{translate('playbook.drill')}] ") + text
        base = f"{entry.at:.3f}:{entry.kind}:{entry.target}:{entry.who}"
        seen[base] = seen.get(base, 0) + 1
        cells = (
            plain(when),
            device_text(kind_word, 20),
            device_text(entry.target, 80),
            device_text(entry.who, 40),
            text,
        )
        lines.append((Row(f"{base}:{seen[base]}", cells, ("", f"timeline--{entry.kind}", "", "", "")), entry))
    return lines


class TimelineTable(LineTable):
    DEFAULT_CSS = """
    TimelineTable {
        & > .timeline--event { color: $text-primary; }
        & > .timeline--transition { color: $text-warning; }
        & > .timeline--action { color: $text-success; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = LineTable.COMPONENT_CLASSES | {
        "timeline--event",
        "timeline--transition",
        "timeline--action",
    }


class TimelineScreen(Screen[None]):
    HELP_TOPIC: ClassVar[str] = "timeline"
    DEFAULT_CSS = """
    TimelineScreen {
        #timeline-head { background: $panel; text-style: bold; }
        #timeline-kinds, #timeline-hints { color: $text-muted; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", show=False),
        Binding("q", "back", show=False),
        Binding("slash", "filter", show=False, priority=True),
        Binding("question_mark", "help", show=False),
        Binding("1", "toggle_kind('event')", show=False),
        Binding("2", "toggle_kind('transition')", show=False),
        Binding("3", "toggle_kind('action')", show=False),
    ]

    def __init__(self, context: ConsoleContext, timezone: str = "") -> None:
        super().__init__()
        self.context = context
        self.kinds = frozenset(KINDS)
        self.entries: list[TimelineEntry] = []
        self._shown: dict[str, TimelineEntry] = {}
        self._timezone = timezone

    def compose(self) -> ComposeResult:
        translate = self.context.translate
        yield TextLabel(plain(translate("timeline.title")), id="timeline-head")
        yield TextLabel(id="timeline-kinds")
        filter_input = FilterInput(
            self._filter_closed, placeholder=translate("timeline.placeholder"), id="timeline-filter", compact=True
        )
        filter_input.cursor_blink = not self.context.settings.remote
        yield filter_input
        columns = [
            Column(translate("col.time"), 8, max_width=11, flex=1, keep=9),
            Column(translate("col.kind"), 10, keep=4),
            Column(translate("col.target"), 10, flex=1, max_width=24, keep=6),
            Column(translate("col.who"), 6, flex=1, max_width=14, keep=5),
            Column(translate("col.text"), 20, flex=4, keep=9),
        ]
        ellipsis = ASCII_ELLIPSIS if self.context.settings.ascii_only else ELLIPSIS
        yield TimelineTable(columns, "-", ellipsis=ellipsis, id="timeline")
        yield TextLabel(plain(translate("hint.timeline")), id="timeline-hints")
        yield TooSmallNotice(translate)

    def on_mount(self) -> None:
        apply_breakpoints(self)
        self.reload()
        self.set_interval(REFRESH_S, self.reload)
        self.query_one(TimelineTable).focus()

    def reload(self) -> None:
        now = self.context.clock()
        with contextlib.suppress(Exception):  # a failing source leaves the last entries on screen
            # No upper bound: an action another process recorded a moment "after" this console's clock shows too.
            self.entries = list(self.context.source.timeline(now - WINDOW_S, math.inf, tuple(KINDS)))
        try:
            self._show(now)
        except NoMatches:
            return  # the timer ticked while Textual removes the screen: its widgets go first

    def _show(self, now: float | None = None) -> None:
        translate = self.context.translate
        now = self.context.clock() if now is None else now
        needle = self.query_one("#timeline-filter", Input).value.strip()
        kinds = " ".join(translate(f"timeline.{kind}") for kind in KINDS if kind in self.kinds) or "-"
        self.query_one("#timeline-kinds", TextLabel).show(plain(translate("timeline.kinds", kinds=kinds)))
        lines = timeline_lines(self.entries, self.kinds, needle, now, self._timezone, translate)
        self._shown = {row.key: entry for row, entry in lines}
        self.query_one(TimelineTable).set_rows([row for row, _ in lines])

    def action_toggle_kind(self, kind: str) -> None:
        self.kinds = self.kinds - {kind} if kind in self.kinds else self.kinds | {kind}
        self._show()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#timeline-filter", Input))  # now: the keys read behind `/` are the filter's

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the filter has focus, `/` is its text (a priority binding, so that the keys behind it are too)."""
        return action != "filter" or not isinstance(self.focused, Input)

    @on(LineTable.RowChosen, "#timeline")
    def entry_chosen(self, event: LineTable.RowChosen) -> None:
        """Enter opens the highlighted entry in full: long comments are cut in the table, never here."""
        entry = self._shown.get(event.key)
        if entry is not None:
            self.app.push_screen(TimelineEntryScreen(entry, self.context.translate, self._timezone))

    @on(Input.Changed, "#timeline-filter")
    def filter_changed(self) -> None:
        self._show()

    def _filter_closed(self, _keep: bool) -> None:
        """Enter or Esc in the filter keeps its text and hands the keys back to the list at once."""
        self.set_focus(self.query_one(TimelineTable))

    def action_back(self) -> None:
        if self.focused is self.query_one("#timeline-filter", Input):
            self.query_one(TimelineTable).focus()
            return
        self.dismiss(None)

    def action_help(self) -> None:
        ascii_only = self.context.settings.ascii_only
        self.app.push_screen(HelpScreen(self.context.translate, topic=self.HELP_TOPIC, ascii_only=ascii_only))
