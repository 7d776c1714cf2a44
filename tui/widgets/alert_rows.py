"""Alerts as table rows: state as symbol + word, value with its age, markers as words (readable without colour)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from dutyroom.alert import AlertPhase
from dutyroom.model import State
from dutyroom.playbook_run_state import person_of
from dutyroom.views import AlertView
from tui.i18n import Translator
from tui.render import age_text, device_text, plain, since_text, state_label, state_label_width
from tui.text_format import alert_marks, format_value
from tui.widgets.line_table import Column, Row

EYE = "!"
"""Marks an unacknowledged critical alert; plain ASCII so it is one cell on every terminal."""


def needs_eye(alert: AlertView) -> bool:
    """Unhandled and critical: the rows that must keep drawing the eye until someone acts."""
    return alert.needs_human and alert.severity == "critical"


def marker_words(alert: AlertView) -> list[str]:
    """ACK (with who acknowledged), SIL, SUPP<parent, FLAP, ESC, DRILL: words, so they read without colour."""
    words = [word for word in alert_marks(alert).split() if word != "-"]
    if alert.ack is not None:
        words[words.index("ACK")] = f"ACK:{person_of(alert.ack.by)}"
    return words


def alert_columns(translate: Translator, *, ascii_only: bool = False) -> list[Column]:
    return [
        Column("", 1),
        Column(translate("col.state"), state_label_width(translate, ascii_only=ascii_only)),
        Column(translate("col.severity"), 4, keep=2),
        Column(translate("col.target"), 14, flex=3, keep=9),
        Column(translate("col.rule"), 12, flex=2, keep=6),
        Column(translate("col.value"), 11, flex=1, max_width=18, keep=7),
        Column(translate("col.since"), 5, keep=5),
        Column(translate("col.marks"), 8, flex=2, max_width=32, keep=8),
    ]


def alert_row(alert: AlertView, now: float, timezone: str, translate: Translator, *, ascii_only: bool = False) -> Row:
    """One alert's row; rows are cached by the alert and the times shown, so an unchanged alert costs nothing."""
    value_age = age_text(alert.value_at, now) if alert.value is not None else ""
    since = since_text(alert.since, now, timezone)
    try:
        return _cached_row(alert, value_age, since, translate, ascii_only)
    except TypeError:  # an alert holding something unhashable: build its row uncached
        return _cached_row.__wrapped__(alert, value_age, since, translate, ascii_only)


@lru_cache(maxsize=4096)
def _cached_row(alert: AlertView, value_age: str, since: str, translate: Translator, ascii_only: bool) -> Row:
    eye = needs_eye(alert)
    state_style = "alert-table--unhandled" if eye else f"alert-table--{alert.state.value}"
    value = device_text(format_value(alert.value, alert.unit), 40)
    if value_age:
        value.append(f" {value_age}")
    marks = [translate(f"phase.{alert.phase.value}")] if alert.phase is not AlertPhase.FIRING else []
    marks.extend(marker_words(alert))
    cells = (
        plain(EYE if eye else ""),
        plain(state_label(alert.state, translate, ascii_only=ascii_only)),
        device_text(translate.word("severity", alert.severity), 20),
        device_text(alert.target_name or alert.target, 80),
        device_text(alert.rule, 80),
        value,
        plain(since),
        device_text(" ".join(marks) or "-", 160),
    )
    value_style = "alert-table--muted" if alert.state is State.STALE else ""
    styles = (state_style if eye else "", state_style, "", "", "", value_style, "", "")
    row_style = "alert-table--resolved" if alert.phase is AlertPhase.RESOLVED else ""
    return Row(alert.fingerprint, cells, styles, row_style)


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
            alert.state.value,
            translate.state_word(alert.state),
            alert_marks(alert),
            alert.summary,
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
) -> list[Row]:
    """Rows in the snapshot's order (what needs a human first), filtered by `needle`."""
    return [
        alert_row(alert, now, timezone, translate, ascii_only=ascii_only)
        for alert in alerts
        if matches(alert, needle, translate)
    ]


def unhandled_criticals(alerts: Sequence[AlertView]) -> int:
    return sum(1 for alert in alerts if needs_eye(alert))
