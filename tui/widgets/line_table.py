"""A keyed table drawn one line per row, repainting only the lines that changed.

A DataTable repaints its whole visible area on every update batch (~16 KB at 120x40); this widget diffs the
new rows against the old by position and repaints only the visible lines whose content changed, so an
unchanged snapshot costs no bytes at all. It is a plain line-API widget, not a ScrollView: a change in the
number of rows never triggers a layout, and its scroll position shows as a one-cell indicator drawn in whole
cells, which moves only when the view really moved (a native scrollbar repaints all its lines whenever the
row count changes). Cells are `rich.text.Text`, fitted to cell widths (CJK counts two).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import ClassVar, Literal, Protocol

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.render import ELLIPSIS, fit

INDICATOR_CELLS = 1
"""The rightmost cell of every line is kept for the scroll indicator, so rows never reflow when it appears."""
THUMB, ASCII_THUMB = "┃", "|"
WHEEL_LINES = 3


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its minimum width, share of spare width, and how late it is dropped when space runs out."""

    header: str
    min_width: int
    flex: int = 0
    max_width: int = 0
    """0 = no maximum."""
    keep: int = 9
    """Columns with the lowest `keep` are dropped first when the minimum widths do not fit."""
    align: Literal["left", "right"] = "left"
    cut: Literal["end", "middle"] = "end"
    """Where a cell too long for the column loses its text: at the end, or in the middle (keeping the tail,
    where labels that tell rows apart are)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line: its stable key, one `Text` per column, and component-class names for styling."""

    key: str
    cells: tuple[Text, ...]
    cell_styles: tuple[str, ...] = ()
    row_style: str = ""


class TableRow(Protocol):
    """What the table needs of a row (a `Row`, or a `LazyRow` that builds one when first drawn)."""

    @property
    def key(self) -> str: ...

    @property
    def cells(self) -> tuple[Text, ...]: ...

    @property
    def cell_styles(self) -> tuple[str, ...]: ...

    @property
    def row_style(self) -> str: ...


class LazyRow:
    """A row built the first time it is drawn or compared: rows that never come into view cost nothing."""

    __slots__ = ("_build", "_row", "key")

    def __init__(self, key: str, build: Callable[[], Row]) -> None:
        self.key = key
        self._build = build
        self._row: Row | None = None

    @property
    def row(self) -> Row:
        if self._row is None:
            self._row = self._build()
        return self._row

    @property
    def cells(self) -> tuple[Text, ...]:
        return self.row.cells

    @property
    def cell_styles(self) -> tuple[str, ...]:
        return self.row.cell_styles

    @property
    def row_style(self) -> str:
        return self.row.row_style

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRow):
            other = other.row
        return isinstance(other, Row) and self.row == other

    __hash__ = None  # type: ignore[assignment]


def fit_middle(text: Text, width: int, ellipsis: str = ELLIPSIS) -> Text:
    """`text` cut in the middle (`Sensor pro…B inlet-1`) or padded to exactly `width` cells; CJK counts two."""
    if text.cell_len <= width or width <= cell_len(ellipsis) + 2:
        return fit(text, width, ellipsis=ellipsis)
    room = width - cell_len(ellipsis)
    tail_cells = room // 2
    start, taken = len(text.plain), 0
    while start > 0 and taken + cell_len(text.plain[start - 1]) <= tail_cells:
        start -= 1
        taken += cell_len(text.plain[start])
    head = fit(text[:start], room - taken, ellipsis="")
    head.rstrip()
    fitted = head + Text(ellipsis, end="") + text[start:]
    return fit(fitted, width, ellipsis=ellipsis)


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """Each column's width (0 = dropped) so that widths plus one-cell gaps fill `width`."""
    shown = list(range(len(columns)))

    def needed() -> int:
        return sum(columns[index].min_width for index in shown) + max(0, len(shown) - 1)

    while needed() > width and len(shown) > 1:
        shown.remove(min(shown, key=lambda index: (columns[index].keep, -index)))
    widths = [columns[index].min_width if index in shown else 0 for index in range(len(columns))]
    spare = width - needed()
    flexible = [index for index in shown if columns[index].flex]
    while spare > 0 and flexible:
        total_flex = sum(columns[index].flex for index in flexible)
        given = 0
        for index in list(flexible):
            share = max(1, spare * columns[index].flex // total_flex)
            limit = columns[index].max_width
            if limit:
                share = min(share, limit - widths[index])
            share = min(share, spare - given)
            widths[index] += share
            given += share
            if limit and widths[index] >= limit:
                flexible.remove(index)
        spare -= given
        if given == 0:
            break
    return widths


def thumb_span(top: int, visible: int, total: int) -> tuple[int, int]:
    """The scroll indicator's first line and length in whole cells ((0, 0) when every row fits)."""
    if visible <= 0 or total <= visible:
        return 0, 0
    size = max(1, visible * visible // total)
    hidden = total - visible
    start = min(visible - size, (top * (visible - size) + hidden // 2) // hidden)
    return start, size


class LineTable(Widget, can_focus=True):
    """Rows under a fixed header line; a cursor row; `set_rows` diffs and repaints only changed visible lines."""

    DEFAULT_CSS = """
    LineTable {
        height: 1fr;
        & > .line-table--header { text-style: bold; color: $text-accent; }
        & > .line-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .line-table--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .line-table--empty { color: $text-muted; }
        & > .line-table--thumb { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--cursor",
        "line-table--cursor-blurred",
        "line-table--empty",
        "line-table--thumb",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "cursor(-1000000)", show=False),
        Binding("end", "cursor(1000000)", show=False),
        Binding("enter", "choose", show=False),
    ]

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    class RowHighlighted(Message):
        """The cursor came to rest on a row (key "" when the table is empty)."""

        def __init__(self, table: LineTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LineTable:
            return self.table

    class RowChosen(RowHighlighted):
        """The operator pressed Enter on a row."""

    def __init__(
        self, columns: Sequence[Column], empty_text: str = "", *, ellipsis: str = ELLIPSIS, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._ellipsis = ellipsis
        self._thumb_char = THUMB if ellipsis == ELLIPSIS else ASCII_THUMB
        self._columns = tuple(columns)
        self._rows: list[TableRow] = []
        self._empty_text = empty_text
        self._widths: list[int] = []
        self._layout_width = -1
        self._strips: dict[int, tuple[bool, Strip]] = {}
        self._header: Strip | None = None
        self._top = 0
        self._thumb = (0, 0)
        self._last_key = ""
        self.lines_refreshed = 0
        """Visible lines repainted by `set_rows` since mount: a cheap measure of what updates cost."""

    @property
    def rows(self) -> tuple[TableRow, ...]:
        return tuple(self._rows)

    @property
    def cursor_key(self) -> str:
        return self._rows[self.cursor].key if 0 <= self.cursor < len(self._rows) else ""

    @property
    def top(self) -> int:
        """The index of the first row shown."""
        return self._top

    @property
    def visible_rows(self) -> int:
        return max(0, self.size.height - 1)

    def column_width(self, index: int) -> int:
        """The width column `index` gets at the current size (0 when dropped)."""
        widths = column_widths(self._columns, self._row_width(self.size.width))
        return widths[index] if 0 <= index < len(widths) else 0

    def set_columns(self, columns: Sequence[Column], empty_text: str | None = None) -> None:
        self._columns = tuple(columns)
        if empty_text is not None:
            self._empty_text = empty_text
        self._layout_width = -1
        self.refresh()

    def set_rows(self, rows: Sequence[TableRow]) -> int:
        """Show `rows`, keeping the cursor on the same key; returns how many visible lines were repainted.

        A row that is the very object shown before costs nothing; a visible one is compared by content and
        repainted only when it differs; one out of view is only forgotten (and a `LazyRow` never built).
        """
        previous = self._rows
        same = list(map(operator.is_, rows, previous))
        if len(rows) == len(previous) and all(same):
            return 0  # the very same rows: nothing to compare, repaint or move
        new_rows = list(rows)
        self._rows = new_rows
        top, bottom = self._top, self._top + self.visible_rows
        longest = max(len(previous), len(new_rows))
        moved = [*compress(range(len(same)), map(operator.not_, same)), *range(len(same), longest)]
        repainted = 0
        for index in moved:  # rows that are not the very object shown before
            if not top <= index < bottom:
                self._strips.pop(index, None)
                continue
            old = previous[index] if index < len(previous) else None
            new = new_rows[index] if index < len(new_rows) else None
            if old is None or new is None or old != new:
                self._strips.pop(index, None)
                self._refresh_line(index - top + 1)
                repainted += 1
        if bool(new_rows) != bool(previous) and self._empty_text:
            self._refresh_line(1)  # the empty-table text came or went
        self._keep_cursor(new_rows)
        self._set_top(self._top)
        self._update_thumb()
        self.lines_refreshed += repainted
        self.rows_or_view_changed()
        return repainted

    def rows_or_view_changed(self) -> None:
        """Called after new rows were set or the view scrolled: a subclass can say what is out of view."""

    def _keep_cursor(self, rows: list[TableRow]) -> None:
        if 0 <= self.cursor < len(rows) and rows[self.cursor].key == self._last_key:
            return
        keys = [row.key for row in rows]
        if self._last_key in keys:
            self.set_cursor(keys.index(self._last_key))
        else:
            self.set_cursor(min(self.cursor, max(0, len(rows) - 1)))
            self._announce()

    def set_cursor(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self._rows) - 1)) if self._rows else 0

    def select_key(self, key: str) -> bool:
        keys = [row.key for row in self._rows]
        if key not in keys:
            return False
        self.set_cursor(keys.index(key))
        return True

    def watch_cursor(self, old: int, new: int) -> None:
        for index in (old, new):
            self._strips.pop(index, None)
            self._refresh_row(index)
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        key = self.cursor_key
        if key != self._last_key:
            self._last_key = key
            self.post_message(self.RowHighlighted(self, key))

    # ----- scrolling: the view follows the cursor; the wheel moves the view only
    def _scroll_to_cursor(self) -> None:
        visible = self.visible_rows
        if not visible:
            return  # not laid out yet: on_resize brings the cursor into view
        if self.cursor < self._top:
            self._set_top(self.cursor)
        elif self.cursor >= self._top + visible:
            self._set_top(self.cursor - visible + 1)

    def _set_top(self, top: int) -> None:
        top = max(0, min(top, len(self._rows) - self.visible_rows))
        if top != self._top:
            self._top = top
            self.refresh()
            self._update_thumb()
            self.rows_or_view_changed()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._set_top(self._top + WHEEL_LINES)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._set_top(self._top - WHEEL_LINES)

    def on_resize(self) -> None:
        self._set_top(self._top)
        self._scroll_to_cursor()
        self._update_thumb()

    def _update_thumb(self) -> None:
        """Repaint the lines whose indicator cell changed (none while the view and the row count stay put)."""
        old_start, old_size = self._thumb
        new_start, new_size = self._thumb = thumb_span(self._top, self.visible_rows, len(self._rows))
        old_lines = set(range(old_start, old_start + old_size))
        new_lines = set(range(new_start, new_start + new_size))
        for line in old_lines ^ new_lines:
            self._refresh_line(line + 1)

    def action_cursor(self, step: int) -> None:
        self.set_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.set_cursor(self.cursor + direction * max(1, self.visible_rows - 1))

    def action_choose(self) -> None:
        if self._rows:
            self.post_message(self.RowChosen(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y >= 1:
            self.set_cursor(self._top + offset.y - 1)

    def on_focus(self) -> None:
        self._repaint_cursor()

    def on_blur(self) -> None:
        self._repaint_cursor()

    def _repaint_cursor(self) -> None:
        self._strips.pop(self.cursor, None)
        self._refresh_row(self.cursor)

    def _refresh_row(self, index: int) -> None:
        if self._top <= index < self._top + self.visible_rows:
            self._refresh_line(index - self._top + 1)

    def _refresh_line(self, y: int) -> None:
        if self.is_mounted:
            self.refresh(Region(0, y, self.size.width, 1))

    # ----- drawing
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._header = None

    @staticmethod
    def _row_width(width: int) -> int:
        return max(0, width - INDICATOR_CELLS)

    def _ensure_layout(self, width: int) -> None:
        if width != self._layout_width:
            self._layout_width = width
            self._widths = column_widths(self._columns, self._row_width(width))
            self._strips.clear()
            self._header = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        self._ensure_layout(width)
        base = self.rich_style
        if y == 0:
            if self._header is None:
                header = Row("", tuple(Text(column.header) for column in self._columns))
                self._header = self._render_row(header, width, base, self._style("line-table--header"), False)
            return self._header
        index = self._top + y - 1
        if not self._rows and y == 1 and self._empty_text:
            text = fit(Text(self._empty_text, end=""), self._row_width(width), ellipsis=self._ellipsis)
            return self._strip(text, width, base + self._style("line-table--empty"))
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        start, size = thumb_span(self._top, self.visible_rows, len(self._rows))
        thumb = start <= y - 1 < start + size
        cached = self._strips.get(index)
        if cached is not None and cached[0] == thumb:
            return cached[1]
        extra = Style()
        if index == self.cursor:
            extra = self._style("line-table--cursor" if self.has_focus else "line-table--cursor-blurred")
        strip = self._render_row(self._rows[index], width, base, extra, thumb)
        self._strips[index] = (thumb, strip)
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True, default=Style())

    def _render_row(self, row: TableRow, width: int, base: Style, extra: Style, thumb: bool) -> Strip:
        line = Text(end="")
        first = True
        for index, column in enumerate(self._columns):
            cell_width = self._widths[index] if index < len(self._widths) else 0
            if not cell_width:
                continue
            if not first:
                line.append(" ")
            first = False
            cell = row.cells[index] if index < len(row.cells) else Text("")
            if column.cut == "middle":
                piece = fit_middle(cell, cell_width, self._ellipsis)
            else:
                piece = fit(cell, cell_width, column.align, self._ellipsis)
            if index < len(row.cell_styles) and row.cell_styles[index]:
                piece.stylize_before(self._style(row.cell_styles[index]))
            line.append_text(piece)
        line.pad_right(max(0, self._row_width(width) - line.cell_len))
        if thumb:
            line.append(self._thumb_char, self._style("line-table--thumb"))
        line.stylize_before(extra)
        if row.row_style:
            line.stylize_before(self._style(row.row_style))
        return self._strip(line, width, base)

    def _strip(self, line: Text, width: int, base: Style) -> Strip:
        segments = list(line.render(self.app.console))
        return Strip(segments).apply_style(base).adjust_cell_length(width, base)
