"""The status line: site, local time, session phase (marked when the calendar is provisional or a draft),
collector health, mode, user and role; then banners.

The first line always fits the terminal's width on one line (`status_fit`): the user's name, the on-time count,
the role, the site, the clock, the collectors and the calendar mark give way in that order; the phase and the
poller word (owner / attached viewer) always stay, because they say what the room is doing and who polls it.

Banners appear only when something needs attention: a failed config reload (prominent, with file:line:col),
a calendar warning, the state source failing, unacknowledged criticals. Each label repaints only when its
text changed, so the clock costs one small repaint a minute (or a second when a live clock was asked for).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from dutyroom.views.console_source import StatusLine
from tui.i18n import Translator
from tui.render import device_text, local_time, plain
from tui.widgets.status_fit import fit_line
from tui.widgets.text_label import TextLabel

GIVE_WAY = ("user", "collectors", "user", "site", "clock", "collectors", "mark")
"""The order the status line's parts give way in at a narrow width: each name moves that part to its next, shorter
form (the user's name goes, then the on-time count, then the role...). The phase and the mode never give way."""


class StatusBar(Vertical):
    DEFAULT_CSS = """
    StatusBar {
        height: auto;
        #status-main { background: $panel; color: $foreground; }
        .banner { display: none; padding: 0 1; }
        .banner.-shown { display: block; }
        #status-reload { background: $error; color: $text; text-style: bold; }
        #status-source { background: $error; color: $text; text-style: bold; }
        #status-calendar { background: $warning; color: $text; }
        #status-unhandled { color: $text-error; text-style: bold; }
        #status-duty.-ready { background: $success; color: $text; text-style: bold; }
        #status-duty.-not-ready { background: $warning; color: $text; text-style: bold; }
        #status-duty.-missed { background: $error; color: $text; text-style: bold; }
    }
    """

    def __init__(
        self, translate: Translator, *, ascii_only: bool = False, live_clock: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._translate = translate
        self._separator = " | " if ascii_only else " │ "
        self._marker = "..." if ascii_only else "…"
        self._live_clock = live_clock
        self._labels: dict[str, TextLabel] = {}
        self._status: StatusLine | None = None

    def compose(self) -> ComposeResult:
        yield TextLabel(id="status-main")
        for name in ("duty", "reload", "source", "calendar", "unhandled"):
            yield TextLabel(id=f"status-{name}", classes="banner")

    def show(self, status: StatusLine | None, *, unhandled: int = 0, source_error: str = "") -> None:
        translate = self._translate
        if status is not None:
            self._status = status
            self._label("main").show(plain(self.main_text(status, self._width())))
        self._duty_banner(status)
        self._banner("reload", device_text(status.reload_status, 300).plain if status else "")
        self._banner("calendar", device_text(status.calendar_warning, 200).plain if status else "")
        self._banner("source", translate("status.source_failed", reason=source_error) if source_error else "")
        self._banner("unhandled", f"! {translate('status.unhandled', count=unhandled)}" if unhandled else "")

    def on_resize(self) -> None:
        """Refit the line to the new width (the snapshot shown last; the next tick brings a new one)."""
        if self._status is not None:
            self._label("main").show(plain(self.main_text(self._status, self._width())))

    def main_text(self, status: StatusLine, width: int) -> str:
        """The first line, fitted into `width` cells."""
        translate = self._translate
        health = status.health
        mode = translate("status.owner" if status.mode == "owner" else "status.viewer")
        role = translate(f"status.role.{status.role}")
        parts: dict[str, tuple[str, ...]] = {
            "site": (device_text(status.site, 60).plain,),
            "clock": (local_time(status.now, status.timezone, seconds=self._live_clock),),
            "phase": (device_text(status.phase_text or status.phase_kind, 60).plain,),
            "mark": (f"! {device_text(status.calendar_mark, 40).plain}" if status.calendar_mark else "",),
            "collectors": (
                translate("status.collectors", on_time=health.on_time, stale=health.stale, failing=health.failing),
                translate("status.collectors.short", stale=health.stale, failing=health.failing),
            ),
            "mode": (mode,),
            "user": (f"{device_text(status.identity.user, 40).plain} ({role})", role),
        }
        return fit_line(parts, GIVE_WAY, self._separator, width, marker=self._marker)

    def _width(self) -> int:
        """Cells the line has: the bar's width once laid out, the screen's before."""
        return self.size.width or self.app.size.width

    def verdict_text(self, status: StatusLine) -> str:
        """'READY for 09:15', 'NOT READY: 2 automated checks failing, 3 steps open, due 09:00', or ''."""
        readiness, translate = status.readiness, self._translate
        if readiness is None:
            return ""
        due = f"{readiness.due_at:%H:%M}"
        if status.duty_state == "missed":
            return translate("status.not_ready.missed", duty=device_text(status.duty_title, 60).plain, due=due)
        if readiness.ready:
            opens = f"{readiness.opens_at:%H:%M}" if readiness.opens_at else ""
            return translate("status.ready", opens=opens) if opens else translate("status.ready.now")
        reasons = [
            self._count("status.checks_failing", readiness.failing_checks),
            self._count("status.steps_open", readiness.open_steps),
        ]
        return translate("status.not_ready", reasons=self._list_separator().join(r for r in reasons if r), due=due)

    def _count(self, key: str, count: int) -> str:
        if not count:
            return ""
        return self._translate(f"{key}.one") if count == 1 else self._translate(key, count=count)

    def _list_separator(self) -> str:
        return "，" if self._translate.language == "zh" else ", "

    def _duty_banner(self, status: StatusLine | None) -> None:
        text = self.verdict_text(status) if status is not None else ""
        label = self._label("duty")
        ready = status is not None and status.readiness is not None and status.readiness.ready
        missed = status is not None and status.duty_state == "missed"
        label.set_class(bool(text) and ready and not missed, "-ready")
        label.set_class(bool(text) and not ready and not missed, "-not-ready")
        label.set_class(bool(text) and missed, "-missed")
        self._banner("duty", text)

    def _banner(self, name: str, text: str) -> None:
        label = self._label(name)
        label.set_class(bool(text), "-shown")
        label.show(plain(text))

    def _label(self, name: str) -> TextLabel:
        """The label `#status-{name}` (looked up once: the bar is shown every tick)."""
        label = self._labels.get(name)
        if label is None:
            label = self._labels[name] = self.query_one(f"#status-{name}", TextLabel)
        return label
