"""The Textual console: a thin App owning the 1 Hz tick, the bell, recording actions, quitting and the palette.

`create_app` is the one factory for the command line and the tests. Screens and widgets own their parts:
the app hands the main screen one snapshot per tick (attributes down) and hears back only through the
recorder, key actions and messages (`HandoverWritten`). Each tick it also looks at the poller: while it is
down, a red banner tops the main screen, values show as stale, and the bell rings once per outage.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import App, AutopilotCallbackType, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen

from dutyroom.actions_model import (
    Ack,
    RunClose,
    Silence,
    StepConfirm,
    StepNote,
    StepSkip,
    StepTick,
    StepUndo,
    kind_of,
)
from dutyroom.operators.desk import ActionDesk
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.operators.roles import Role
from dutyroom.store.liveness import PollerLiveness
from dutyroom.textclean import clean_text
from dutyroom.views.console_source import ConsoleSource
from tui.i18n import Translator, language_of
from tui.render import local_time
from tui.screens.alert_bell import rings
from tui.screens.confirm import ConfirmDialog
from tui.screens.context import ConsoleContext, ConsoleSettings, SubmitOutcome, submit_to
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.poller_watch import LivenessReader, OutageWatch, StaleWhileDown
from tui.screens.step_keys import CONFIRM, TICK, UNDO
from tui.screens.terminal_profile import (
    REMOTE_ENVIRONMENT,
    is_remote_session,
    terminal_has_16_colors,
    terminal_needs_ascii,
)
from tui.widgets.ascii_scrollbar import use_ascii_scrollbars
from tui.widgets.hint_line import hint_text
from tui.widgets.poller_banner import PollerBanner
from tui.widgets.text_label import TextLabel

TICK_S = 1.0
REMOTE_TICK_S = 2.0
"""A remote session reads the state every 2 s (Glances' and htop's default refresh is 2 s and 1.5 s): reading
a large room's state is most of the console's CPU, and nothing on a remote screen changes faster anyway
(the clock shows minutes, ages are coarse). Operator actions still show at once."""
SETTLE_S = 0.1
"""Paints held back at start: Textual sends the first screen three or four times (screen resume, the first
Resize, layouts of widgets that size themselves) within ~50 ms; held back, it goes out once."""
OUTAGE_NOTICE_S = 30.0
"""How long the 'poller down' notification stays (the banner stays as long as the outage)."""
__all__ = ["REMOTE_ENVIRONMENT", "DutyroomApp", "create_app", "is_remote_session", "terminal_has_16_colors"]


class DutyroomApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "dutyroom"
    # Not ClassVar-annotated: Textual declares them as `ClassVar[...] | None`, which mypy reads as instance variables.
    HORIZONTAL_BREAKPOINTS = [(0, "-cramped-width"), (80, "-narrow"), (100, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-cramped-height"), (24, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "request_quit", show=False, priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding("j", "move('down')", show=False),
        Binding("k", "move('up')", show=False),
    ]

    class HandoverWritten(Message):
        """A handover file was written; `text` says so and names the file (`handover written: <path>`)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        source: ConsoleSource,
        desk: ActionDesk,
        settings: ConsoleSettings,
        clock: Callable[[], float],
        on_handover: Callable[[], str] | None = None,
        poller_liveness: LivenessReader | None = None,
    ) -> None:
        super().__init__()
        translate = Translator(settings.language)
        self.context = ConsoleContext(source, settings, translate, clock, self.record, self._role)
        self._desk = desk
        self._on_handover = on_handover
        self._read_liveness = poller_liveness
        self._outage_watch = OutageWatch()
        self._stale_view = StaleWhileDown()
        self.poller: PollerLiveness | None = None
        """The last look at the poller (None without a reader, or before the first look)."""
        self.bells_rung = 0
        self.source_error = ""
        self._hinted_role: str = ""
        if settings.sixteen_colors:
            self.theme = "ansi-dark"
        if settings.remote:
            self.animation_level = "none"
        if settings.ascii_only:
            self.add_class("-ascii")
        use_ascii_scrollbars(settings.ascii_only)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.context)

    def compose(self) -> ComposeResult:
        """Goes onto the main screen beside its own widgets (docked at the top)."""
        settings = self.context.settings
        yield PollerBanner(self.context.translate, ascii_only=settings.ascii_only, id="poller-banner")

    @property
    def main_screen(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_mount(self) -> None:
        if not self.is_headless:
            self.delay_update(SETTLE_S)
        self.refresh_snapshot()
        self.set_interval(self.context.settings.refresh_s, self.refresh_snapshot)

    def refresh_snapshot(self) -> None:
        """Read one snapshot and apply it in one batch; a failing source keeps the last one with a banner."""
        if not self.screen_stack:
            return  # the timer outlives the screens by a tick while the app shuts down
        now = self.context.clock()
        try:
            snapshot = self.context.source.snapshot(now)
            self.source_error = ""
        except Exception as error:
            snapshot = None
            self.source_error = clean_text(f"{type(error).__name__}: {error}", 200)
        if snapshot is not None and rings(snapshot.transitions, snapshot.alerts, snapshot.bell):
            self.ring_bell()
        outage_started = self._look_at_poller(now)
        if snapshot is not None and self.poller is not None and self.poller.down:
            snapshot = self._stale_view.apply(snapshot)
        try:
            with self.batch_update():
                self.main_screen.apply_snapshot(snapshot, self.source_error)
                shown = self.main_screen.snapshot
                timezone = shown.status.timezone if shown is not None else ""
                banner = self.query_one(PollerBanner)
                banner.show_liveness(self.poller, now, timezone)
                self._show_hints()
        except NoMatches:
            return  # the screen is being torn down while the app shuts down
        if outage_started:
            self.ring_bell()
            # The banner tops the main screen; the notice reaches an operator on any other screen too.
            self.notify(banner.text.plain, severity="error", timeout=OUTAGE_NOTICE_S, markup=False)

    def _role(self) -> Role:
        shown = self.main_screen.snapshot if self.screen_stack else None
        return shown.status.role if shown is not None else "operator"

    def _show_hints(self) -> None:
        """The main screen's hint lines, greyed where this console's role may not act (redrawn when it changes)."""
        role = self._role()
        if role == self._hinted_role:
            return
        self._hinted_role = role
        language = self.context.settings.language
        for label_id, short in (("#hints-wide", False), ("#hints-narrow", True)):
            for label in self.main_screen.query(label_id).results(TextLabel):
                label.show(hint_text(language, short=short, viewer=role == "viewer"))

    def _look_at_poller(self, now: float) -> bool:
        """Read the poller's liveness (a failed look keeps the last verdict); True when an outage starts."""
        if self._read_liveness is None:
            return False
        try:
            self.poller = self._read_liveness(now)
        except Exception:
            return False  # the source's own error banner says what is wrong with the state directory
        return self._outage_watch.started(self.poller)

    def ring_bell(self) -> None:
        """Ring, unless this console was started with the bell off (`--no-bell`); the site's rule is in the snapshot."""
        if self.context.settings.bell:
            self.bells_rung += 1
            self.bell()

    def record(self, intent: Intent, alert: str) -> SubmitOutcome:
        """Submit an action; tell the operator how it went; show its effect from the source, never before."""
        translate = self.context.translate
        outcome = submit_to(self._desk, translate, intent, alert, self.context.clock())
        if outcome.action is None:
            self.notify(outcome.reason, title=translate("refused.title"), severity="error", timeout=10, markup=False)
            return outcome
        self.notify(self._done_text(intent, alert), markup=False)
        self.refresh_snapshot()
        return outcome

    def _done_text(self, intent: Intent, alert: str) -> str:
        translate = self.context.translate
        snapshot = self.main_screen.snapshot
        match intent:
            case Ack():
                shown = snapshot.alerts if snapshot else ()
                found = next((item for item in shown if item.fingerprint == alert), None)
                name = (found.target_name or found.target) if found else alert
                return translate("done.ack", target=clean_text(name, 80))
            case Silence(end=end):
                timezone = snapshot.status.timezone if snapshot else ""
                return translate("done.silence", until=local_time(end, timezone))
            case StepTick(step=step) | StepConfirm(step=step) | StepUndo(step=step) | StepSkip(step=step):
                return translate(f"done.{kind_of(intent)}", step=step, run=clean_text(intent.run, 120))
            case StepNote(run=run) | RunClose(run=run):
                return translate(f"done.{kind_of(intent)}", run=clean_text(run, 120))
        kind = "drill" if isinstance(intent, StartDrill) else kind_of(intent)
        return translate(f"done.{kind}") if translate.has(f"done.{kind}") else kind

    def action_request_quit(self) -> None:
        def answered(answer: bool | None) -> None:
            if answer:
                self.exit()

        if not isinstance(self.screen, ConfirmDialog):
            self.push_screen(ConfirmDialog(self.context.translate("confirm.quit"), self.context.translate), answered)

    def action_help_quit(self) -> None:
        """Ctrl+C, pressed by reflex: say how to quit (Textual's own hint names no key, as `q` asks first)."""
        self.notify(self.context.translate("quit.how"), severity="warning", markup=False)

    def action_move(self, direction: str) -> None:
        """`j`/`k` as down/up wherever the focus is (a text field takes them as letters before this runs)."""
        self.simulate_key(direction)

    def action_drill_asking(self) -> None:
        """A drill from the palette asks first (default No): one slip would record a drill run in the audit log."""
        main = self.main_screen
        alert = main.selected_alert
        if alert is None or not alert.playbook:
            main.action_drill()  # says what is missing, records nothing
            return
        question = self.context.translate(
            "confirm.drill",
            playbook=clean_text(alert.playbook, 80),
            target=clean_text(alert.target_name or alert.target, 80),
        )

        def answered(answer: bool | None) -> None:
            if answer:
                main.action_drill()

        self.push_screen(ConfirmDialog(question, self.context.translate), answered)

    async def action_quit(self) -> None:
        """Textual's own quit (e.g. from its palette) asks first, like `q`."""
        self.action_request_quit()

    def action_handover(self) -> None:
        translate = self.context.translate
        if self._on_handover is None:
            self.notify(translate("handover.unavailable"), severity="warning", markup=False)
            return
        try:
            text = self._on_handover()
        except Exception as error:
            reason = clean_text(f"{type(error).__name__}: {error}", 300)
            self.notify(translate("handover.failed", reason=reason), severity="error", markup=False, timeout=10)
            return
        self.post_message(self.HandoverWritten(text))

    @on(HandoverWritten)
    def show_handover_written(self, message: HandoverWritten) -> None:
        """The operator sees which file was written (the path is cleaned like device text: it may hold anything)."""
        self.notify(clean_text(message.text, 300), markup=False)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.context.translate, topic="main", ascii_only=self.context.settings.ascii_only))

    def action_command_palette(self) -> None:
        """Textual's palette, with the prompt in the console's language and only dutyroom's commands."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            placeholder = self.context.translate("palette.placeholder")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        translate = self.context.translate
        main = self.main_screen
        commands: list[tuple[str, Callable[[], object]]] = [
            ("timeline", main.action_timeline),
            ("handover", self.action_handover),
            ("help", self.action_help),
            ("quit", self.action_request_quit),
            ("ack", main.action_ack),
            ("silence", main.action_silence),
            ("note", main.action_note),
            ("detail", main.action_detail),
            ("filter", main.action_filter),
            ("tick", lambda: main.action_step(TICK)),
            ("confirm", lambda: main.action_step(CONFIRM)),
            ("undo", lambda: main.action_step(UNDO)),
            ("skip", main.action_skip_step),
            ("run_note", main.action_run_note),
            ("close_run", main.action_close_run),
            ("drill", self.action_drill_asking),
        ]
        for name, callback in commands:
            yield SystemCommand(translate(f"cmd.{name}"), translate(f"cmd.{name}.help"), callback)

    async def run_async(
        self,
        *,
        headless: bool = False,
        inline: bool = False,
        inline_no_clear: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
        auto_pilot: AutopilotCallbackType | None = None,
    ) -> None:
        """As `App.run_async` (which `run` calls too), with the mouse off unless the settings allow it."""
        return await super().run_async(
            headless=headless,
            inline=inline,
            inline_no_clear=inline_no_clear,
            mouse=mouse and self.context.settings.mouse,
            size=size,
            auto_pilot=auto_pilot,
        )


def create_app(
    source: ConsoleSource,
    desk: ActionDesk,
    *,
    language: str = "en",
    remote: bool | None = None,
    ascii_only: bool | None = None,
    bell: bool = True,
    clock: Callable[[], float] = time.time,
    on_handover: Callable[[], str] | None = None,
    mouse: bool | None = None,
    live_clock: bool = False,
    sixteen_colors: bool | None = None,
    poller_liveness: LivenessReader | None = None,
    refresh_s: float | None = None,
) -> DutyroomApp:
    """The console reading `source` and recording actions through `desk`.

    `remote` defaults to "is this an SSH session"; `mouse` to "not remote"; `sixteen_colors` to "the terminal
    reports 16 colours" (TERM=xterm, linux, screen without -256color); `ascii_only` to "the terminal cannot draw
    the symbols" (TERM=linux, vt220); `poller_liveness` looks at the poller each tick (None: nothing to watch, as
    in tests on a fake source); `refresh_s` overrides the tick (tests that tick by hand)."""
    remote = is_remote_session() if remote is None else remote
    settings = ConsoleSettings(
        language=language_of(language),
        remote=remote,
        ascii_only=terminal_needs_ascii() if ascii_only is None else ascii_only,
        bell=bell,
        mouse=(not remote) if mouse is None else mouse,
        live_clock=live_clock,
        sixteen_colors=terminal_has_16_colors() if sixteen_colors is None else sixteen_colors,
        refresh_s=refresh_s or (REMOTE_TICK_S if remote and not live_clock else TICK_S),
    )
    return DutyroomApp(source, desk, settings, clock, on_handover, poller_liveness)
