"""States set by traps: they hold until a clearing trap, a poll that says otherwise, or the hold time.

A trap is sent once, or resent every few minutes: its absence between resends is not news, so a value a
trap set never goes STALE (a UPS on battery stays critical between its traps). A configured `hold` (on the
rule, else on the target) bounds how long a trap-set state lasts without a new trap; then it resolves, as
Alertmanager resolves an alert its sender stopped repeating.
"""

from __future__ import annotations

from dutyroom.config.load import CompiledRule, TargetTiming
from dutyroom.config.types import Target
from dutyroom.model import PollResult

TRAP_EVENT_KIND = "trap"
"""The kind of the event every decoded notification carries (collectors.trap_mapping.decode_notification)."""


def came_by_trap(result: PollResult, target: Target | None) -> bool:
    """Whether `result`'s samples were set by a trap: its target is watched by traps only (or is an Alertmanager,
    whose alerts behave alike), or it carries the trap event the receiver attaches to every notification."""
    if target is not None and target.kind in ("trap", "alertmanager"):
        return True  # an Alertmanager's alert is repeated by its sender, like a trap: its absence is not news
    return any(event.kind == TRAP_EVENT_KIND for event in result.events)


def hold_for(rule: CompiledRule, timing: TargetTiming | None) -> float | None:
    """How long a trap-set state of `rule` holds without a new trap: the rule's hold, else the target's;
    None holds until a clearing trap or a poll."""
    if rule.hold_s is not None:
        return rule.hold_s
    return timing.trap_hold_s if timing is not None else None
