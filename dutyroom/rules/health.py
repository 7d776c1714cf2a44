"""How polling of each target is going: soft failures until `attempts`, then hard (Nagios's soft/hard states).

A target with failures below `attempts` is being checked: its failure may yet be confirmed, so the alerts of
targets behind it wait (see `dependencies`). Only while its results keep coming: a target whose polls have
stopped arriving is not being checked, and holds nobody.
"""

from __future__ import annotations

from collections.abc import Mapping

from dutyroom.config.load import TargetTiming
from dutyroom.model import PollResult
from dutyroom.rules.alert import TargetHealth

DEFAULT_ATTEMPTS = 3


def record_result(health: TargetHealth, result: PollResult, timing: TargetTiming | None) -> None:
    """Count `result` in `health`: an answer clears the failures, the `attempts`-th failure in a row is hard."""
    attempts = timing.attempts if timing else DEFAULT_ATTEMPTS
    health.last_result_at = result.at
    if result.ok:
        health.last_ok_at = result.at
        health.consecutive_failures = 0
        health.failure = None
        health.reason = ""
        health.hard_failure_since = 0.0
        return
    health.consecutive_failures += 1
    health.failure = result.failure
    health.reason = result.reason
    if health.consecutive_failures >= attempts and not health.hard_failure_since:
        health.hard_failure_since = result.at


def hard_down(health: Mapping[str, TargetHealth]) -> set[str]:
    """Targets whose failures are confirmed."""
    return {target for target, item in health.items() if item.hard_failure_since}


def being_checked(health: Mapping[str, TargetHealth], timings: Mapping[str, TargetTiming], now: float) -> set[str]:
    """Targets with failures not yet confirmed, whose results are still coming in."""
    return {
        target
        for target, item in health.items()
        if item.consecutive_failures
        and not item.hard_failure_since
        and (timing := timings.get(target)) is not None
        and now - item.last_result_at <= timing.stale_after_s
    }
