"""The one small protocol every collector implements, and the sink they feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from dutyroom.model import PollResult

ResultSink = Callable[[PollResult], None]
"""Where collectors hand their results (the engine's intake); called on the event loop, never blocks."""


class Collector(Protocol):
    """Polls one target. `poll` never raises: every failure is a PollResult with a state and a clean reason."""

    @property
    def target_id(self) -> str: ...

    @property
    def interval_s(self) -> float: ...

    async def poll(self) -> PollResult: ...

    async def aclose(self) -> None: ...
