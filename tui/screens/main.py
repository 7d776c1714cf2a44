"""The main screen: status line, the alert list, the selected alert's playbook, the site overview.

The app hands it one snapshot per UI tick (`apply_snapshot`); every part repaints only what changed.
Keys act on the highlighted alert and on the run the playbook pane shows (and its highlighted step); actions
go through the context's recorder, so they show as done only once the source stored them.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from dutyroom.actions_model import StepUndo
from dutyroom.operators.planning import StartDrill
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.views.alerts import AlertView
from dutyroom.views.console_source import ConsoleSnapshot
from tui.render import device_text, plain
from tui.screens.action_forms import ack_dialog, note_dialog, silence_dialog
from tui.screens.breakpoints import apply_breakpoints
from tui.screens.confirm import ConfirmDialog
from tui.screens.context import ConsoleContext
from tui.screens.detail import TargetDetailScreen
from tui.screens.playbook_document import PlaybookDocumentScreen
from tui.screens.run_forms import close_dialog, close_question, run_note_dialog, skip_dialog, undo_question
from tui.screens.step_keys import CONFIRM, TICK, UNDO, StepRequest, open_run, plan_skip, plan_step
from tui.screens.timeline import TimelineScreen
from tui.widgets.alert_rows import SiteColumn, unhandled_criticals
from tui.widgets.alert_table import AlertTable
from tui.widgets.filter_input import FilterInput
from tui.widgets.playbook_pane import PlaybookPane, PlaybookView
from tui.widgets.playbook_text import shown_playbook_id
from tui.widgets.site_overview import SiteOverview
from tui.widgets.status_bar import StatusBar
from tui.widgets.text_label import TextLabel
from tui.widgets.too_small import TooSmallNotice

W = TypeVar("W", bound=Widget)


class MainScreen(Screen[None]):
    # Priority bindings run as the app reads each key, before it hands the next keys on. A plain binding ran only
    # once the focused table had the key, after the app had already handed it the keys read with it: over SSH a
    # batched `a` + comment lost the comment to the table, where its `x` opened close-run and a space ticked a step;
    # `/ups` left the filter empty. While the filter has focus these keys are its text (`check_action`).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", show=False, priority=True),
        Binding("colon", "on_app('command_palette')", show=False, priority=True),
        Binding("question_mark", "on_app('help')", show=False, priority=True),
        Binding("a", "ack", show=False, priority=True),
        Binding("s", "silence", show=False, priority=True),
        Binding("n", "note", show=False, priority=True),
        Binding("space", f"step('{TICK}')", show=False, priority=True),
        Binding("c", f"step('{CONFIRM}')", show=False, priority=True),
        Binding("u", f"step('{UNDO}')", show=False, priority=True),
        Binding("minus", "skip_step", show=False, priority=True),
        Binding("r", "run_note", show=False, priority=True),
        Binding("x", "close_run", show=False, priority=True),
        Binding("t", "timeline", show=False, priority=True),
        Binding("p", "playbook_document", show=False, priority=True),
        Binding("h", "on_app('handover')", show=False, priority=True),
        Binding("q", "on_app('request_quit')", show=False, priority=True),
        Binding("escape", "escape", show=False),
    ]

    def __init__(self, context: ConsoleContext, site: SiteColumn | None = None) -> None:
        """`site`: the alert list gets a Site column (the console on several sites)."""
        super().__init__()
        self.context = context
        self._site = site
        self.snapshot: ConsoleSnapshot | None = None
        self._alerts: dict[str, AlertView] = {}
        self._unhandled = 0
        self._widgets: dict[type[Widget], Widget] = {}
        self._playbooks: dict[str, Playbook | None] = {}
        self._ready = False
        self._source_error = ""

    def compose(self) -> ComposeResult:
        translate, settings = self.context.translate, self.context.settings
        yield StatusBar(translate, ascii_only=settings.ascii_only, live_clock=settings.live_clock, id="status")
        with Vertical(id="body"):
            yield AlertTable(
                translate,
                ascii_only=settings.ascii_only,
                precise_ages=False,  # both profiles: coarse ages, so a tick repaints only the lines that changed
                exact_selected=not settings.remote,  # on site, the selected alert's age to the second
                site=self._site,
                id="alerts",
            )
            with Vertical(id="side"):
                yield PlaybookPane(translate, precise_times=not settings.remote, id="playbook")
                yield SiteOverview(translate, ascii_only=settings.ascii_only, id="overview")
        filter_input = FilterInput(
            self._filter_closed, placeholder=translate("filter.placeholder"), id="filter", compact=True
        )
        filter_input.cursor_blink = not settings.remote
        yield filter_input
        yield TextLabel(plain(translate("hint.main")), id="hints-wide", classes="hints")
        yield TextLabel(plain(translate("hint.short")), id="hints-narrow", classes="hints")
        yield TooSmallNotice(translate)

    def on_mount(self) -> None:
        apply_breakpoints(self)
        translate = self.context.translate
        self.alert_table.set_title(plain(translate("alerts.title")))
        self.query_one(PlaybookPane).border_title = plain(translate("playbook.title_with_key"))
        self.query_one(SiteOverview).border_title = plain(translate("overview.title"))
        self.alert_table.focus()
        self._ready = True
        self.apply_snapshot(None, self._source_error)

    @property
    def alert_table(self) -> AlertTable:
        return self._widget(AlertTable)

    def _widget(self, kind: type[W]) -> W:
        """The screen's one widget of `kind`, looked up once (the screen applies a snapshot every tick)."""
        found = self._widgets.get(kind)
        if found is None:
            found = self._widgets[kind] = self.query_one(kind)
        assert isinstance(found, kind)
        return found

    @property
    def selected_alert(self) -> AlertView | None:
        return self._alerts.get(self.alert_table.cursor_key)

    def apply_snapshot(self, snapshot: ConsoleSnapshot | None, source_error: str = "") -> None:
        """Show one snapshot (None keeps the last one on screen, with the source's error as a banner)."""
        if snapshot is not None:
            if (
                self.snapshot is None or snapshot.alerts is not self.snapshot.alerts
            ):  # the source keeps an unchanged tuple
                self._alerts = {alert.fingerprint: alert for alert in snapshot.alerts}
                self._unhandled = unhandled_criticals(snapshot.alerts)
            self.snapshot = snapshot
            self._playbooks.clear()
        self._source_error = source_error
        if not self._ready:
            return
        shown = self.snapshot
        unhandled = self._unhandled if shown else 0
        self._widget(StatusBar).show(shown.status if shown else None, unhandled=unhandled, source_error=source_error)
        if shown is None:
            return
        self.alert_table.show(shown.alerts, shown.status.now, shown.status.timezone)
        self._widget(SiteOverview).show_groups(shown.overview)
        self._show_playbook()

    def _playbook(self, playbook_id: str) -> Playbook | None:
        if not playbook_id:
            return None
        if playbook_id not in self._playbooks:
            try:
                found = self.context.source.playbook(playbook_id, self.context.settings.language)
            except Exception:
                found = None
            self._playbooks[playbook_id] = found
        return self._playbooks[playbook_id]

    def _show_playbook(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        alert = self.selected_alert
        run = snapshot.runs.get(alert.fingerprint) if alert is not None else None
        playbook_id = shown_playbook_id(alert, run)
        playbook = self._playbook(playbook_id)
        origin = self.playbook_origin(playbook_id, playbook)
        view = PlaybookView(alert, playbook, run, snapshot.status.now, snapshot.status.timezone, origin)
        self._widget(PlaybookPane).show(view)

    def playbook_origin(self, playbook_id: str, playbook: Playbook | None) -> str:
        """Whose copy the pane's playbook is (`PlaybookView.origin`): "" here, the console's playbooks are its own."""
        return ""

    def detail_screen(self, target_id: str) -> Screen[None]:
        """The screen Enter opens on an alert's target."""
        return TargetDetailScreen(self.context, target_id, lambda: self.snapshot)

    def timeline_screen(self, timezone: str) -> Screen[None]:
        """The screen `t` opens."""
        return TimelineScreen(self.context, timezone)

    @on(AlertTable.RowHighlighted)
    def alert_highlighted(self) -> None:
        self._show_playbook()

    @on(AlertTable.RowChosen)
    def alert_chosen(self) -> None:
        alert = self.selected_alert
        if alert is not None:
            self.app.push_screen(self.detail_screen(alert.target))

    def _require_alert(self) -> AlertView | None:
        alert = self.selected_alert
        if alert is None:
            self.notify(self.context.translate("need.alert"), severity="warning", markup=False)
        return alert

    def action_ack(self) -> None:
        if alert := self._require_alert():
            self.app.push_screen(ack_dialog(alert, self.context))

    def action_silence(self) -> None:
        if alert := self._require_alert():
            self.app.push_screen(silence_dialog(alert, self.context))

    def action_note(self) -> None:
        if alert := self._require_alert():
            self.app.push_screen(note_dialog(alert, self.context))

    def action_drill(self) -> None:
        if (alert := self._require_alert()) and alert.playbook:
            self.context.record(StartDrill(alert.playbook), alert.fingerprint)

    def action_step(self, kind: str) -> None:
        pane = self._widget(PlaybookPane)
        alert = self.selected_alert
        plan = plan_step(kind, alert, pane.run, pane.highlighted_step, self.context.translate)
        if isinstance(plan, str):
            self.notify(plan, severity="warning", markup=False)
            return
        if isinstance(plan.action, StepUndo) and pane.run is not None:
            question = undo_question(pane.run, pane.playbook, plan.step, self.context.translate)

            def answered(answer: bool | None) -> None:
                if answer:
                    self._record_step(plan)

            self.app.push_screen(ConfirmDialog(question, self.context.translate), answered)
            return
        self._record_step(plan)

    def _record_step(self, plan: StepRequest) -> None:
        self.context.record(plan.action, plan.alert)

    def action_skip_step(self) -> None:
        pane = self._widget(PlaybookPane)
        target = plan_skip(self.selected_alert, pane.run, pane.highlighted_step, self.context.translate)
        if isinstance(target, str):
            self.notify(target, severity="warning", markup=False)
            return
        self.app.push_screen(skip_dialog(target, pane.playbook, self.context))

    def _open_run(self) -> tuple[PlaybookRun, str] | None:
        """The open run of the selected alert (and the alert), or None after saying why there is none."""
        alert, run = self.selected_alert, self._widget(PlaybookPane).run
        found = open_run(alert, run, self.context.translate)
        if isinstance(found, str) or alert is None:
            self.notify(str(found), severity="warning", markup=False)
            return None
        return found, alert.fingerprint

    def action_run_note(self) -> None:
        if found := self._open_run():
            run, alert = found
            self.app.push_screen(run_note_dialog(run, alert, self._widget(PlaybookPane).playbook, self.context))

    def action_close_run(self) -> None:
        """Asks first (default No), then for the comment; Escape at either step records nothing."""
        if not (found := self._open_run()):
            return
        run, alert = found
        playbook = self._widget(PlaybookPane).playbook
        timezone = self.snapshot.status.timezone if self.snapshot is not None else ""
        question = close_question(run, playbook, self.context.translate, timezone)

        def answered(answer: bool | None) -> None:
            if answer:
                self.app.push_screen(close_dialog(run, alert, playbook, self.context))

        self.app.push_screen(ConfirmDialog(question, self.context.translate), answered)

    def action_playbook_document(self) -> None:
        """The whole playbook the pane shows (contacts, introduction, appendices) on a screen of its own."""
        playbook = self._widget(PlaybookPane).playbook
        if playbook is None:
            self.notify(self.context.translate("playbook.none"), severity="warning", markup=False)
            return
        self.app.push_screen(PlaybookDocumentScreen(playbook, self.context.translate))

    def action_timeline(self) -> None:
        timezone = self.snapshot.status.timezone if self.snapshot is not None else ""
        self.app.push_screen(self.timeline_screen(timezone))

    def action_detail(self) -> None:
        self.alert_chosen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the filter has focus, the keys bound here are its text (`/` too), never an action."""
        return action == "escape" or not isinstance(self.focused, Input)

    async def action_on_app(self, action: str) -> None:
        """An app-wide action from a key of this screen (so `check_action` above can give the key to the filter)."""
        await self.app.run_action(action)

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        self.set_focus(field)  # now, not deferred as field.focus() is: the keys behind `/` are the filter's

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        table = self.alert_table
        table.needle = event.value.strip()
        translate = self.context.translate
        title = translate("alerts.filtered", text=table.needle) if table.needle else translate("alerts.title")
        table.set_title(device_text(title, 120))
        if self.snapshot is not None:
            table.show(self.snapshot.alerts, self.snapshot.status.now, self.snapshot.status.timezone)

    def _filter_closed(self, keep: bool) -> None:
        """Enter keeps the filter (shown while it has text), Esc clears it; the keys go back to the list at once."""
        field = self.query_one("#filter", Input)
        if not keep:
            field.value = ""
        field.display = bool(field.value.strip())
        self.set_focus(self.alert_table)

    def action_escape(self) -> None:
        """Escape only closes the filter (clearing it); it never acts on an alert."""
        field = self.query_one("#filter", Input)
        if field.display or field.value:
            field.value = ""
            field.display = False
            self.alert_table.focus()
