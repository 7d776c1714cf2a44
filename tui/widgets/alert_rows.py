"""Alerts as table rows: state as symbol + word, value with its age, markers as words (readable without colour)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

from dutyroom.model import RUNBOOK_LABEL, State
from dutyroom.playbooks.run_state import person_of
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator
from tui.render import age_text, device_text, plain, since_text, state_label, state_label_width
from tui.text_format import ack_mark, alert_marks, format_value
from tui.widgets.line_table import Column, LazyRow, Row
from tui.widgets.value_words import FlagWords

EYE = "!"
"""Marks an unacknowledged critical alert; plain ASCII so it is one cell on every terminal."""


def needs_eye(alert: AlertView) -> bool:
    """Unhandled and critical: the rows that must keep drawing the eye until someone acts."""
    return alert.needs_human and alert.severity == "critical"


def marker_words(alert: AlertView, translate: Translator | None = None) -> list[str]:
    """CAP:phase (a session cap lowered the severity), ACK or STICKY-ACK (with who acknowledged), SIL,
    SUPP<parent, FLAP, ESC, DRILL: words, so they read without colour."""
    words = [word for word in alert_marks(alert).split() if word != "-"]
    if alert.ack is not None:
        mark = ack_mark(alert)
        words[words.index(mark)] = f"{mark}:{person_of(alert.ack.by)}"
    if alert.capped_from and alert.shown_severity:
        phase = alert.capped_in or "?"
        words.insert(0, translate("mark.capped", phase=phase) if translate is not None else f"CAP:{phase}")
    return words


LOWERED, ASCII_LOWERED = "↓", "-"
"""After a severity a session cap lowered: the state beside it is worse than the severity says, on purpose."""


def severity_cell(alert: AlertView, translate: Translator, *, ascii_only: bool = False) -> str:
    """The severity that holds now: `crit`, `warn↓` when capped (the marks say why), `-` once resolved (the
    state beside it is OK, which has no severity)."""
    if not alert.shown_severity:
        return "-"
    word = translate.word("severity", alert.shown_severity)
    if alert.capped_from:
        word += ASCII_LOWERED if ascii_only else LOWERED
    return word


@dataclass(frozen=True, slots=True)
class SiteColumn:
    """The Site column of the console on several sites (the one-site console has none): its width, and how an
    alert of the merged view splits into its site and its target's name as that site names it."""

    width: int
    split: Callable[[AlertView], tuple[str, str]]


def alert_columns(translate: Translator, *, ascii_only: bool = False, site: SiteColumn | None = None) -> list[Column]:
    """The target column holds the labels too and is cut in the middle, so two sensors of one probe under one
    rule still read differently at 80 columns; the rule's summary comes only when there is room for it. With
    several sites, a Site column comes before the target (cut at its end, never dropped before the target)."""
    sites = [Column(translate("col.site"), site.width, keep=9)] if site is not None else []
    return [
        Column("", 1),
        Column(translate("col.state"), state_label_width(translate, ascii_only=ascii_only)),
        Column(translate("col.severity"), 5, keep=2),
        *sites,
        Column(translate("col.target"), 14, flex=6, max_width=40, keep=9, cut="middle"),
        Column(translate("col.rule"), 12, flex=1, max_width=22, keep=6),
        Column(translate("col.value"), 11, flex=1, max_width=16, keep=7),
        Column(translate("col.since"), 5, keep=5),
        Column(translate("col.marks"), 8, flex=1, max_width=32, keep=8),
        Column(translate("col.summary"), 12, flex=3, keep=1),
    ]


SEVERITY_STATES = {"critical": State.CRITICAL, "warning": State.WARNING}
"""The state a severity reads as: a capped alert shows the severity that holds, not the state's own."""


def shown_state(alert: AlertView) -> State:
    """The state the row shows: for an alert a session cap lowered, the state of the severity that holds
    (`▲ WARNING`, with CAP:phase among the marks), so the row never reads `✖ CRITICAL  warn`."""
    if alert.capped_from and alert.shown_severity and alert.state in SEVERITY_STATES.values():
        return SEVERITY_STATES.get(alert.severity, alert.state)
    return alert.state


def target_text(alert: AlertView, name: str = "") -> Text:
    """The target's name (`name` when given) and its labels' values (`Sensor probe rack 3 B inlet-1`), cleaned; a
    runbook link is the playbook pane's, not a name, and a `severity` label the severity column already shows is
    left out."""
    text = device_text(name or alert.target_name or alert.target, 80)
    for key, value in alert.labels:
        if key == RUNBOOK_LABEL or (key == "severity" and value == alert.severity):
            continue
        text.append(" ")
        text.append_text(device_text(value, 60))
    return text


def over_full(alert: AlertView) -> bool:
    """A utilisation above 100 %: a counter that wrapped, a wrong speed, or a link really over its rate."""
    return alert.unit == "%" and isinstance(alert.value, int | float) and alert.value > 100


def value_text(alert: AlertView, value_age: str, words: FlagWords | None = None) -> Text:
    """The value (a flag as its word: `battery`, `normal`) and its age."""
    word = words.word(alert.profile, alert.metric, alert.value) if words is not None else None
    value = device_text(word if word is not None else format_value(alert.value, alert.unit), 40)
    if value_age:
        value.append(f" {value_age}")
    return value


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_date(now: float, timezone: str) -> date:
    """Today in the site's timezone (what `since_text` compares against)."""
    return datetime.fromtimestamp(now, _zone(timezone)).date()


def coarse_age(seconds: float) -> str:
    """An age that changes rarely: `<1m`, `12m`, `3h`, `2d`. A remote session repaints a row's age at most
    once a minute this way, instead of every second on every visible row."""
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    return f"{hours}h" if hours < 48 else f"{hours // 24}d"


def coarse_age_changes_at(value_at: float, now: float) -> float:
    """When `coarse_age(now - value_at)` will next read differently."""
    age = now - value_at
    unit = 60.0 if age < 3600 else 3600.0 if age < 48 * 3600 else 86400.0
    return value_at + unit * (max(0.0, age) // unit + 1)


def value_age(alert: AlertView, now: float, *, precise: bool = True) -> str:
    """The age of the alert's value ("" without a value): seconds when `precise`, else `coarse_age`."""
    if alert.value is None:
        return ""
    if not precise:
        return coarse_age(now - alert.value_at) if alert.value_at > 0 else "-"
    return age_text(alert.value_at, now)


def alert_row(
    alert: AlertView,
    now: float,
    timezone: str,
    translate: Translator,
    *,
    ascii_only: bool = False,
    precise_ages: bool = True,
) -> Row:
    """One alert's row."""
    age = value_age(alert, now, precise=precise_ages)
    since = since_text(alert.since, now, timezone)
    return build_row(alert, age, since, translate, ascii_only, stale=alert.value_stale(now))


def build_row(
    alert: AlertView,
    value_age: str,
    since: str,
    translate: Translator,
    ascii_only: bool,
    words: FlagWords | None = None,
    *,
    stale: bool = False,
    site: SiteColumn | None = None,
) -> Row:
    """One alert's row; `stale`: its value is older than the target's staleness limit (greyed); `site`: with
    the alert's site in a cell of its own, and its target's name without it."""
    eye = needs_eye(alert)
    state = shown_state(alert)
    state_style = "alert-table--unhandled" if eye else f"alert-table--{state.value}"
    marks = [translate(f"phase.{alert.phase.value}")] if alert.phase is not AlertPhase.FIRING else []
    if over_full(alert):
        marks.append(translate("mark.over_100"))
    marks.extend(marker_words(alert, translate))
    site_name, target_name = site.split(alert) if site is not None else ("", "")
    sites = (device_text(site_name, 40),) if site is not None else ()
    cells = (
        plain(EYE if eye else ""),
        plain(state_label(state, translate, ascii_only=ascii_only)),
        plain(severity_cell(alert, translate, ascii_only=ascii_only)),
        *sites,
        target_text(alert, target_name),
        device_text(alert.rule, 80),
        value_text(alert, value_age, words),
        plain(since),
        device_text(" ".join(marks) or "-", 160),
        device_text(alert.summary, 200),
    )
    value_style = "alert-table--muted" if stale or alert.state is State.STALE else ""
    if over_full(alert):
        value_style = "alert-table--critical"
    site_styles = ("",) if site is not None else ()
    styles = (
        state_style if eye else "",
        state_style,
        "",
        *site_styles,
        "",
        "",
        value_style,
        "",
        "",
        "alert-table--muted",
    )
    row_style = "alert-table--resolved" if alert.phase is AlertPhase.RESOLVED else ""
    return Row(alert.fingerprint, cells, styles, row_style)


@dataclass(frozen=True, slots=True)
class _Built:
    alert: AlertView
    value_age: str
    day: date
    row: LazyRow
    until: float
    """When the age shown (or whether the value is stale) can next change (now, for precise ages)."""
    stale: bool = False


class AlertRowBuilder:
    """Rows for one table, kept between ticks: an alert whose view, value age and day are unchanged gets the
    very same row object back, so the table skips it without comparing cells and repaints nothing."""

    def __init__(
        self,
        translate: Translator,
        *,
        ascii_only: bool = False,
        precise_ages: bool = True,
        site: SiteColumn | None = None,
    ) -> None:
        self._translate = translate
        self._ascii_only = ascii_only
        self._site = site
        self._words = FlagWords(translate("value.flag_cleared"), translate("value.source_alert"))
        self.precise_ages = precise_ages
        self.exact_key = ""
        """The one alert whose age is exact while `precise_ages` is off: the selected one (see `select`)."""
        self._built: dict[str, _Built] = {}
        self._context: tuple[str, date, str] | None = None
        self._alerts: tuple[AlertView, ...] | None = None
        self._rows: list[LazyRow] = []
        self._exact_index: int | None = None
        """Where the selected alert's row is in `_rows` (None: not shown, or every age is exact)."""
        self._next_change = 0.0
        """No age shown changes before this time (each entry's `until` is at or after it)."""

    def select(self, key: str) -> None:
        """Give alert `key` an exact age (the others stay coarse); its row and the one selected before are
        built again by the next `rows`."""
        if key == self.exact_key:
            return
        for changed in (self.exact_key, key):
            self._built.pop(changed, None)
        self.exact_key, self._alerts = key, None

    def rows(self, alerts: Iterable[AlertView], now: float, timezone: str, *, needle: str = "") -> list[LazyRow]:
        """Rows in the snapshot's order (what needs a human first), filtered by `needle`; a row's cells are
        built only when the table draws or compares it. The same alerts (the same tuple), before any age
        shown can have changed, give back the same list without looking at them."""
        context = (needle, local_date(now, timezone), timezone)
        if context != self._context:
            self._built, self._context, self._next_change = {}, context, 0.0
        if alerts is self._alerts and now < self._next_change:
            return self._exact_row_now(now, timezone)
        look_at_all = now >= self._next_change
        next_change = math.inf if look_at_all else self._next_change
        built, rows = self._built, []
        self._exact_index = None
        for alert in alerts:
            entry = built.get(alert.fingerprint)
            if entry is not None and entry.alert is alert and not (look_at_all and now >= entry.until):
                rows.append(entry.row)
                if look_at_all:
                    next_change = min(next_change, entry.until)
                continue
            if needle and not matches(alert, needle, self._translate):
                built.pop(alert.fingerprint, None)
                continue
            entry = built[alert.fingerprint] = self._entry(alert, entry, now, context[1], timezone)
            next_change = min(next_change, entry.until)
            rows.append(entry.row)
        if self.exact_key in built and not self.precise_ages:
            self._exact_index = next((i for i, row in enumerate(rows) if row.key == self.exact_key), None)
        if len(built) > 2 * len(rows) + 64:  # forget alerts that went away
            self._built = {row.key: built[row.key] for row in rows}
        self._alerts = alerts if isinstance(alerts, tuple) else None
        self._rows, self._next_change = rows, next_change
        return self._exact_row_now(now, timezone)

    def _exact_row_now(self, now: float, timezone: str) -> list[LazyRow]:
        """The rows, with the selected alert's exact age brought up to `now` (only its row is looked at: its
        age changes every second, the others' once a minute)."""
        index, context = self._exact_index, self._context
        if index is None or context is None:
            return self._rows
        old = self._built[self.exact_key]
        entry = self._built[self.exact_key] = self._entry(old.alert, old, now, context[1], timezone)
        if entry.row is not old.row:
            self._rows = [*self._rows]  # a new list: the table compares rows against the list it was given
            self._rows[index] = entry.row
        return self._rows

    def _entry(self, alert: AlertView, old: _Built | None, now: float, today: date, timezone: str) -> _Built:
        exact_only = not self.precise_ages and alert.fingerprint == self.exact_key
        age = value_age(alert, now, precise=self.precise_ages or exact_only)
        if exact_only:
            until = math.inf  # brought up to date by `_exact_row_now` every call, not by looking at every row
        elif self.precise_ages:
            until = now if age else math.inf
        else:
            until = coarse_age_changes_at(alert.value_at, now) if age and alert.value_at > 0 else math.inf
        stale = alert.value_stale(now)
        if not stale and age and alert.stale_after_s > 0:
            until = min(until, alert.value_at + alert.stale_after_s)
        same_view = old is not None and old.value_age == age and old.day == today and old.stale == stale
        if old is not None and same_view and _same(old.alert, alert):
            return _Built(alert, age, today, old.row, until, stale)  # an equal view: the same row
        row = LazyRow(alert.fingerprint, self._builder(alert, age, now, timezone, stale=stale))
        return _Built(alert, age, today, row, until, stale)

    def _builder(self, alert: AlertView, age: str, now: float, timezone: str, *, stale: bool) -> Callable[[], Row]:
        def build() -> Row:
            since = since_text(alert.since, now, timezone)
            translate, ascii_only, words = self._translate, self._ascii_only, self._words
            return build_row(alert, age, since, translate, ascii_only, words, stale=stale, site=self._site)

        return build


def _same(old: AlertView, new: AlertView) -> bool:
    if old is new:
        return True
    try:
        return old == new
    except TypeError:  # a value that does not compare: build the row again
        return False


def matches(alert: AlertView, needle: str, translate: Translator) -> bool:
    """Case-insensitive match of the filter text against what the row shows."""
    if not needle:
        return True
    haystack = " ".join(
        (
            alert.target,
            alert.target_name,
            alert.rule,
            alert.group,
            alert.severity,
            alert.capped_in,
            alert.state.value,
            translate.state_word(alert.state),
            alert_marks(alert),
            alert.summary,
            *(value for _key, value in alert.labels),
        )
    ).lower()
    return all(word in haystack for word in needle.lower().split())


def alert_rows(
    alerts: Iterable[AlertView],
    now: float,
    timezone: str,
    translate: Translator,
    *,
    needle: str = "",
    ascii_only: bool = False,
    precise_ages: bool = True,
) -> list[Row]:
    """Rows in the snapshot's order (what needs a human first), filtered by `needle`; nothing kept."""
    builder = AlertRowBuilder(translate, ascii_only=ascii_only, precise_ages=precise_ages)
    return [row.row for row in builder.rows(alerts, now, timezone, needle=needle)]


def unhandled_criticals(alerts: Sequence[AlertView]) -> int:
    return sum(1 for alert in alerts if needs_eye(alert))
