"""A cursor that moves whenever the room changes, for clients that long-poll `/v1/changes`.

The poller moves it after a batch that changed something (a transition or an event), the API after each
accepted action. A waiter is woken at once, or answered unchanged when its wait runs out.
"""

from __future__ import annotations

import asyncio
import contextlib

LONGEST_WAIT_S = 30.0
"""The longest a client is kept waiting for a change; it asks again."""


class ChangeFeed:
    def __init__(self) -> None:
        self.version = 1
        self._moved = asyncio.Event()

    def bump(self) -> None:
        self.version += 1
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    async def wait_past(self, after: int, wait_s: float) -> int:
        """The version once it is past `after`, or as it is after `wait_s` (capped at LONGEST_WAIT_S)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(wait_s, 0.0), LONGEST_WAIT_S)
        while self.version <= after and (left := deadline - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._moved.wait(), left)
        return self.version
