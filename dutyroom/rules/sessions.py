"""The trading session's say over a rule: `when` switches it off, `severity` caps it, for every state it makes.

A rule with `when = ["pre-open", "trading"]` raises nothing after the close, whether its series crosses a
threshold or goes STALE (a market-data feed stopping at 15:30 is no news); a rule with
`severity = { off-hours = "warning" }` makes a line down at 02:00 on a Sunday a warning for the morning.
"""

from __future__ import annotations

from dutyroom.config.load import CompiledRule
from dutyroom.model import State
from dutyroom.rules.alert import SEVERITY_ORDER, STATE_SEVERITY


def gate(rule: CompiledRule, state: State, reason: str, phase_kind: str | None) -> tuple[State, str]:
    """`state` and `reason`, or OK with the reason it is not checked when the phase is outside `when`."""
    if rule.when and phase_kind is not None and phase_kind not in rule.when and state is not State.OK:
        return State.OK, f"not checked during {phase_kind}"
    return state, reason


def severity_for(rule: CompiledRule, state: State, phase_kind: str | None) -> str:
    """The severity of `state`, capped by the rule's severity for the current phase."""
    base = STATE_SEVERITY[state]
    cap = rule.spec.severity.get(phase_kind or "")
    if cap is not None and SEVERITY_ORDER[cap] < SEVERITY_ORDER[base]:
        return cap
    return base
