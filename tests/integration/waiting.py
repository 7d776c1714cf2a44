"""Waiting on real processes: poll a condition until it holds, bounded in time, with a message that says what."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    """Return once `condition()` is true; fail the test after `seconds` naming `what` it waited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")
