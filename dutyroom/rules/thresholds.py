"""A value against a rule's conditions: CRITICAL, WARNING or OK, with hysteresis and the reason in words.

`clear` holds an active alert until the value is clearly back (a runtime of 22 min is above the warning
level of 20 but not above clear = 25: still a warning); a capacity rule without conditions warns below its
factor; a value that cannot be compared (a word against a number) is UNKNOWN.
"""

from __future__ import annotations

from dutyroom.config.conditions import NotComparable
from dutyroom.config.load import CompiledRule
from dutyroom.model import MetricValue, State
from dutyroom.rules.alert import AlertPhase, Check


def threshold_state(
    rule: CompiledRule, value: MetricValue, check: Check | None, default_warning: float | None = None
) -> tuple[State, str]:
    """The state `value` puts the rule in, given the check's current alert (for hysteresis), and why."""
    try:
        if rule.critical is not None and rule.critical.matches(value):
            return State.CRITICAL, f"{show_value(value)} {rule.critical.text}"
        if rule.warning is not None and rule.warning.matches(value):
            return State.WARNING, f"{show_value(value)} {rule.warning.text}"
        unconfigured = rule.warning is None and rule.critical is None
        if unconfigured and default_warning is not None and isinstance(value, float) and value < default_warning:
            return State.WARNING, f"headroom {value:g}x < {default_warning:g}x"
        active = check is not None and check.phase in (AlertPhase.PENDING, AlertPhase.FIRING)
        if active and rule.clear is not None and not rule.clear.matches(value):
            assert check is not None
            held = State.WARNING if rule.warning is not None else check.state
            if held in (State.WARNING, State.CRITICAL):
                return held, f"{show_value(value)} not yet {rule.clear.text}"
    except NotComparable as error:
        return State.UNKNOWN, str(error)
    return State.OK, ""


def show_value(value: MetricValue | None) -> str:
    """A value as the alert shows it: floats to six significant digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
