"""Short human forms shared by the console and the command line."""

from __future__ import annotations

from dutyroom.config.durations import format_duration
from dutyroom.model import MetricValue
from dutyroom.views.alerts import AlertView


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


def alert_marks(alert: AlertView, *, ascii_only: bool = False) -> str:
    """Markers as words, so they read without colour: ACK, SIL, SUPP, FLAP, ESC, DRILL."""
    marks = []
    if alert.ack:
        marks.append("ACK")
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
