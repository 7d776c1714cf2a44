"""TCP connect probe: can a gateway, an exchange line's front end or a market-data port be reached?

Samples `tcp.up` (1/0) and `tcp.connect_ms`; a refusal or no connection within the timeout is failure
UNREACHABLE with its reason, plus `tcp.up` = 0. The connection is closed as soon as it is made.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from dutyroom.model import PollResult, Sample, State
from dutyroom.textclean import clean_text

logger = logging.getLogger(__name__)

DEFAULT_TCP_TIMEOUT_S = 2.0
_ERRNO_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "no route to host",
    errno.ENETUNREACH: "network unreachable",
    errno.ECONNRESET: "connection reset",
}


@dataclass(frozen=True, slots=True)
class TcpTargetSpec:
    target_id: str
    host: str
    port: int
    interval_s: float = 10.0
    timeout_s: float = DEFAULT_TCP_TIMEOUT_S

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ValueError(f"{self.target_id}: port must be 1-65535")
        if self.timeout_s <= 0 or self.interval_s <= 0:
            raise ValueError(f"{self.target_id}: timeout and interval must be positive")


def connect_failure_reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return "host name not resolved"
    if exc.errno is not None:
        return clean_text(_ERRNO_REASONS.get(exc.errno) or os.strerror(exc.errno).lower(), 80)
    return "connect failed"


class TcpCollector:
    """Opens (and at once closes) one TCP connection per poll; `poll` never raises."""

    def __init__(self, spec: TcpTargetSpec, *, wall_clock: Callable[[], float] = time.time) -> None:
        self.spec = spec
        self._wall_clock = wall_clock

    @property
    def target_id(self) -> str:
        return self.spec.target_id

    @property
    def interval_s(self) -> float:
        return self.spec.interval_s

    async def aclose(self) -> None:
        return None

    async def poll(self) -> PollResult:
        at = self._wall_clock()
        started = time.perf_counter()
        try:
            result = await self._probe(at, started)
        except Exception as exc:  # the contract: a state, never a crash
            logger.error("%s: TCP probe failed with %s", self.target_id, type(exc).__name__)
            reason = f"internal error: {type(exc).__name__}"
            result = PollResult(self.target_id, at, failure=State.UNKNOWN, reason=reason)
        return replace(result, duration_s=time.perf_counter() - started)

    async def _probe(self, at: float, started: float) -> PollResult:
        target = self.target_id
        down = (Sample(target, "tcp.up", 0.0, at),)
        try:
            async with asyncio.timeout(self.spec.timeout_s):
                _reader, writer = await asyncio.open_connection(self.spec.host, self.spec.port)
        except TimeoutError:
            reason = f"connect timeout after {self.spec.timeout_s:g} s"
            return PollResult(target, at, samples=down, failure=State.UNREACHABLE, reason=reason)
        except OSError as exc:
            reason = connect_failure_reason(exc)
            return PollResult(target, at, samples=down, failure=State.UNREACHABLE, reason=reason)
        connect_ms = (time.perf_counter() - started) * 1000.0
        writer.close()
        try:
            async with asyncio.timeout(1.0):
                await writer.wait_closed()
        except (OSError, TimeoutError):
            pass  # the connect succeeded; how the close went does not matter
        samples = (
            Sample(target, "tcp.up", 1.0, at),
            Sample(target, "tcp.connect_ms", round(connect_ms, 3), at, unit="ms"),
        )
        return PollResult(target, at, samples=samples)
