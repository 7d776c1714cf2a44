"""The alert list: a LineTable whose rows are alerts, styled by state with theme variables only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text

from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator
from tui.render import ASCII_ELLIPSIS, ELLIPSIS
from tui.widgets.alert_rows import AlertRowBuilder, SiteColumn, alert_columns
from tui.widgets.line_table import LineTable

ABOVE, ASCII_ABOVE = "▲", "^"
"""Before the count of firing alerts above the view."""


class AlertTable(LineTable):
    """Alerts in the snapshot's order; `show` applies one snapshot and repaints only changed lines.

    With `precise_ages` off value ages are coarse (`<1m`, `5m`, `2h`), so a row repaints when its value changes,
    not every second because its age ticked; `exact_selected` then keeps the selected alert's age exact (one
    line a second, where a precise table repaints every visible line).
    """

    DEFAULT_CSS = """
    AlertTable {
        & > .alert-table--critical { color: $text-error; text-style: bold; }
        & > .alert-table--unreachable { color: $text-error; text-style: bold; }
        & > .alert-table--warning { color: $text-warning; text-style: bold; }
        & > .alert-table--unknown { color: $text-warning; }
        & > .alert-table--stale { color: $text-muted; text-style: italic; }
        & > .alert-table--ok { color: $text-success; }
        & > .alert-table--unhandled { background: $error; color: $text; text-style: bold; }
        & > .alert-table--muted { color: $text-muted; }
        & > .alert-table--resolved { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = LineTable.COMPONENT_CLASSES | {
        "alert-table--critical",
        "alert-table--unreachable",
        "alert-table--warning",
        "alert-table--unknown",
        "alert-table--stale",
        "alert-table--ok",
        "alert-table--unhandled",
        "alert-table--muted",
        "alert-table--resolved",
    }

    def __init__(
        self,
        translate: Translator,
        *,
        ascii_only: bool = False,
        precise_ages: bool = True,
        exact_selected: bool = False,
        site: SiteColumn | None = None,
        id: str | None = None,
    ) -> None:
        """`site`: a Site column (the console on several sites)."""
        super().__init__(
            alert_columns(translate, ascii_only=ascii_only, site=site),
            translate("alerts.none"),
            ellipsis=ASCII_ELLIPSIS if ascii_only else ELLIPSIS,
            id=id,
        )
        self._builder = AlertRowBuilder(translate, ascii_only=ascii_only, precise_ages=precise_ages, site=site)
        self._translate = translate
        self._arrow = ASCII_ABOVE if ascii_only else ABOVE
        self._title = Text("")
        self._shown_title: Text | None = None
        self._firing: frozenset[str] = frozenset()
        self._firing_of: Sequence[AlertView] | None = None
        self.needle = ""
        self._exact_selected = exact_selected

    def show(self, alerts: Sequence[AlertView], now: float, timezone: str) -> int:
        if alerts is not self._firing_of:
            self._firing_of = alerts
            self._firing = frozenset(alert.fingerprint for alert in alerts if alert.phase is AlertPhase.FIRING)
        repainted = self.set_rows(self._builder.rows(alerts, now, timezone, needle=self.needle))
        if self._exact_selected and self.cursor_key != self._builder.exact_key:  # moved, or a first show
            self._builder.select(self.cursor_key)  # rebuilds two rows: the one selected now and the one before
            repainted += self.set_rows(self._builder.rows(alerts, now, timezone, needle=self.needle))
        return repainted

    def set_title(self, title: Text) -> None:
        """The border title; the table adds how many firing alerts are scrolled out of view above."""
        self._title = title
        self.rows_or_view_changed()

    @property
    def firing_above(self) -> int:
        """Firing alerts in the rows above the view: the most urgent ones sort first, so they hide up there."""
        return sum(1 for row in self.rows[: self.top] if row.key in self._firing)

    def rows_or_view_changed(self) -> None:
        above = self.firing_above
        title = self._title.copy()
        if above:
            title.append(f" {self._arrow} {self._translate('alerts.firing_above', count=above)}")
        if title != self._shown_title:  # setting a border title repaints the whole table
            self._shown_title = title
            self.border_title = title
