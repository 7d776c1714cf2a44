"""One target in detail: its alerts (state, the severity that holds and why, the ack), then every metric with
value, unit, age and a sparkline of the last hour; the last error."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen

from dutyroom.views.alerts import AlertView
from dutyroom.views.console_source import ConsoleSnapshot, MetricLine, TargetDetail
from tui.render import ASCII_ELLIPSIS, ELLIPSIS, device_text, local_time, plain, sparkline, state_label
from tui.screens.breakpoints import apply_breakpoints
from tui.screens.context import ConsoleContext
from tui.screens.help import HelpScreen
from tui.text_format import format_age, format_value, severity_phrase, summary_lines
from tui.widgets.line_table import Column, LineTable, Row
from tui.widgets.text_label import TextLabel
from tui.widgets.too_small import TooSmallNotice

HISTORY_COLUMN = 4


class TargetDetailScreen(Screen[None]):
    DEFAULT_CSS = """
    TargetDetailScreen {
        #detail-head { background: $panel; text-style: bold; }
        #detail-error { color: $text-error; }
        #detail-error.-none { color: $text-muted; }
        #detail-alerts { height: auto; }
        #detail-hints { color: $text-muted; }
    }
    """
    HELP_TOPIC: ClassVar[str] = "detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", show=False),
        Binding("q", "back", show=False),
        Binding("question_mark", "help", show=False),
    ]

    def __init__(
        self,
        context: ConsoleContext,
        target_id: str,
        snapshot: Callable[[], ConsoleSnapshot | None] = lambda: None,
    ) -> None:
        """`snapshot` gives the main screen's latest snapshot: the target's alerts are read from it each second."""
        super().__init__()
        self.context = context
        self.target_id = target_id
        self.detail: TargetDetail | None = None
        self._snapshot = snapshot

    def compose(self) -> ComposeResult:
        translate = self.context.translate
        yield TextLabel(id="detail-head")
        yield TextLabel(id="detail-error")
        yield TextLabel(id="detail-alerts")
        columns = [
            Column(translate("col.metric"), 12, flex=2, keep=9),
            Column(translate("col.labels"), 8, flex=1, max_width=24, keep=3),
            Column(translate("col.value_only"), 10, flex=1, max_width=16, align="right", keep=8),
            Column(translate("col.age"), 5, keep=7),
            Column(translate("col.history"), 12, flex=3, keep=5),
        ]
        ellipsis = ASCII_ELLIPSIS if self.context.settings.ascii_only else ELLIPSIS
        yield LineTable(columns, translate("detail.no_values"), ellipsis=ellipsis, id="metrics")
        yield TextLabel(plain(translate("hint.back")), id="detail-hints")
        yield TooSmallNotice(translate)

    def on_mount(self) -> None:
        apply_breakpoints(self)
        self.refresh_detail()
        self.set_interval(1.0, self.refresh_detail)
        self.query_one(LineTable).focus()

    def on_resize(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        now = self.context.clock()
        try:
            self.detail = self.context.source.detail(self.target_id, now)
        except Exception:
            self.detail = None
        try:
            self._show()
            self._show_alerts()
        except NoMatches:
            return  # the timer ticked while Textual removes the screen: its widgets go first

    def _show_alerts(self) -> None:
        """One line per alert of this target: state, rule and the severity that holds (and why), then the ack."""
        snapshot = self._snapshot()
        alerts = [alert for alert in snapshot.alerts if alert.target == self.target_id] if snapshot else []
        timezone = snapshot.status.timezone if snapshot else ""
        label = self.query_one("#detail-alerts", TextLabel)
        label.display = bool(alerts)
        label.show(Text("\n", end="").join(self._alert_line(alert, timezone) for alert in alerts))

    def _alert_line(self, alert: AlertView, timezone: str) -> Text:
        """The alert's state and ack, then what its source wrote about it (indented, a line each)."""
        translate = self.context.translate
        state = state_label(alert.state, translate, ascii_only=self.context.settings.ascii_only)
        rule = device_text(alert.rule, 80).plain
        template = "detail.alert" if alert.shown_severity else "detail.alert_resolved"
        line = translate(template, state=state, rule=rule, severity=severity_phrase(alert, translate))
        if alert.ack is not None:
            key = "detail.ack_sticky" if alert.ack.sticky else "detail.ack"
            who = device_text(alert.ack.by.describe(), 80).plain
            line += "  " + translate(key, who=who, at=local_time(alert.ack.at, timezone))
        return plain("\n    ".join([line, *summary_lines(alert, translate, description_limit=200)]))

    def _show(self) -> None:
        translate, ascii_only = self.context.translate, self.context.settings.ascii_only
        detail = self.detail
        head = self.query_one("#detail-head", TextLabel)
        error = self.query_one("#detail-error", TextLabel)
        table = self.query_one(LineTable)
        if detail is None:
            head.show(plain(translate("detail.title", name=device_text(self.target_id, 80).plain)))
            error.show(plain(translate("detail.gone")))
            table.set_rows([])
            return
        title = Text(state_label(detail.state, translate, ascii_only=ascii_only) + "  ", end="")
        title.append_text(device_text(detail.name or detail.target, 80))
        title.append(f"  ({device_text(detail.group, 40).plain}, {device_text(detail.kind, 20).plain})")
        head.show(title)
        error.set_class(not detail.last_error, "-none")
        error.show(
            plain(
                translate("detail.last_error", error=device_text(detail.last_error, 300).plain)
                if detail.last_error
                else translate("detail.no_error")
            )
        )
        width = table.column_width(HISTORY_COLUMN)
        table.set_rows([self._row(index, line, width) for index, line in enumerate(detail.metrics)])

    def _row(self, index: int, line: MetricLine, spark_width: int) -> Row:
        labels = ",".join(f"{key}={value}" for key, value in line.labels)
        cells = (
            device_text(line.metric, 80),
            device_text(labels, 120),
            device_text(format_value(line.value, line.unit), 40),
            plain(format_age(line.age_s)),
            plain(sparkline(line.history, spark_width, ascii_only=self.context.settings.ascii_only)),
        )
        return Row(f"{index}:{line.metric}:{labels}", cells)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.context.translate))
