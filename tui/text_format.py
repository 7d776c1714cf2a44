"""Short human forms shared by the console and the command line.

The command line is English only; the console words its own forms through `tui.i18n`, from the same view fields.
"""

from __future__ import annotations

from dutyroom.config.durations import format_duration
from dutyroom.model import MetricValue
from dutyroom.textclean import clean_text
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator


def format_value(value: MetricValue | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        text = f"{value:.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.1f}"
    else:
        text = str(value)
    if not unit or unit == "1":
        return text
    return f"{text} {unit}" if len(unit) > 3 and unit.isalpha() else f"{text}{unit}"


def format_age(seconds: float) -> str:
    return format_duration(seconds)


CAPPED_PHASE_WORDS = {
    "trading": "in trading",
    "pre-open": "pre-open",
    "break": "in the break",
    "off-hours": "off-hours",
}
"""How `severity_text` names the session phase whose cap lowered a severity ("capped off-hours")."""


def summary_lines(alert: AlertView, translate: Translator, *, description_limit: int = 400) -> list[str]:
    """The alert's summary and description (what an Alertmanager alert's rule author wrote), a worded line
    each, cleaned: device text, shown where no playbook speaks and in the target's detail."""
    said = (("alert.summary", alert.summary, 300), ("alert.description", alert.description, description_limit))
    return [translate(key, text=clean_text(text, limit)) for key, text, limit in said if text]


def severity_text(alert: AlertView) -> str:
    """The severity that holds, never contradicting the state beside it: `critical`, `warning (capped off-hours)`
    for a critical condition a session cap lowered, `was critical` for a resolved alert (its state is OK)."""
    if not alert.shown_severity:
        return f"was {alert.severity}"
    if not alert.capped_from:
        return alert.severity
    phase = CAPPED_PHASE_WORDS.get(alert.capped_in, alert.capped_in)
    return f"{alert.severity} (capped {phase})" if phase else f"{alert.severity} (capped)"


def severity_phrase(alert: AlertView, translate: Translator) -> str:
    """The severity in the console's language and words: `CRITICAL`, `WARNING (capped off-hours)`."""
    word = translate.word("severity_word", alert.severity)
    if not alert.capped_from:
        return word
    phase = translate.word("capped_in", alert.capped_in) if alert.capped_in else "?"
    return translate("severity.capped", severity=word, phase=phase)


def ack_mark(alert: AlertView) -> str:
    """ACK, or STICKY-ACK for an ack that holds when the severity rises; "" without an ack."""
    if alert.ack is None:
        return ""
    return "STICKY-ACK" if alert.ack.sticky else "ACK"


def alert_line(alert: AlertView, now: float) -> str:
    """One alert as `dutyroom alerts` prints it."""
    value = f"{format_value(alert.value, alert.unit):>10} ({format_age(now - alert.value_at)})"
    return (
        f"{alert.state.symbol} {alert.state.value.upper():<11} {severity_text(alert):<8} {alert.target:<12} "
        f"{alert.rule:<20} {value} {alert.phase.value:<8} {alert_marks(alert)} {alert.fingerprint}"
    )


def alert_marks(alert: AlertView, *, ascii_only: bool = False) -> str:
    """Markers as words, so they read without colour: ACK (or STICKY-ACK), SIL, SUPP, FLAP, ESC, DRILL."""
    marks = []
    if alert.ack:
        marks.append(ack_mark(alert))
    if alert.silenced_by:
        marks.append("SIL")
    if alert.suppressed_by:
        marks.append(f"SUPP<{alert.suppressed_by}")
    if alert.flapping:
        marks.append("FLAP")
    if alert.escalated:
        marks.append("ESC")
    if alert.drill:
        marks.append("DRILL")
    return " ".join(marks) if marks else "-"
