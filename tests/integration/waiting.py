"""Waiting on real processes: poll a condition until it holds, bounded in time, with a message that says what."""

from __future__ import annotations

import re
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


def state_not_made_yet(message: str) -> bool:
    """True when a read command failed only because `serve` has not made its state yet, else False.

    `serve` makes the state directory (taking the poller lock), then links a whole database into it; a reader
    in between is told one of these two things. Any other failure (a schema, a lock, a permission) is real and
    must fail the test at once rather than be waited out as "not yet".
    """
    return "is not a dutyroom state directory (no dutyroom.db)" in message or bool(
        re.search(r"\bstate directory \S+ does not exist", message)
    )
