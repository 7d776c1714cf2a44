"""`SnmpCollector`: polls one SNMP target with its profile; `poll` never raises and never stacks requests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Hashable

from collectors.snmp.client import SnmpClient
from collectors.snmp.counters import AgentClock, CounterTracker, RateStatus, Reading, agent_restart
from collectors.snmp.decode import decode
from collectors.snmp.errors import SnmpAuthError, SnmpError
from collectors.snmp.fetch import clock_number, fetch
from collectors.snmp.oids import SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME, SYS_UPTIME
from collectors.snmp.runtime import SnmpRuntime, acquire_runtime, release_runtime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import SnmpTransport
from collectors.snmp.values import COUNTER_BITS, SnmpValue
from dutyroom.model import Event, PollResult, State

log = logging.getLogger(__name__)

TransportFactory = Callable[[SnmpTargetSpec, SnmpRuntime], SnmpTransport]


def pysnmp_transport(spec: SnmpTargetSpec, runtime: SnmpRuntime) -> SnmpTransport:
    from collectors.snmp.pysnmp_transport import PysnmpTransport

    return PysnmpTransport(spec, runtime)


def auto_transport(spec: SnmpTargetSpec, runtime: SnmpRuntime) -> SnmpTransport:
    """The small BER codec for v1/v2c and its USM for v3 over IPv4 (see bench/poll), else pysnmp."""
    if spec.version in ("1", "2c") and ":" not in spec.host:
        from collectors.snmp.ber_transport import BerTransport

        return BerTransport(spec, runtime)
    from collectors.snmp.usm_transport import UsmTransport, fast_path_supports

    if fast_path_supports(spec):
        return UsmTransport(spec, runtime)
    return pysnmp_transport(spec, runtime)


class SnmpCollector:
    """Polls one target. Concurrent `poll` calls share the poll in flight: one request at a time."""

    def __init__(
        self,
        spec: SnmpTargetSpec,
        *,
        transport_factory: TransportFactory = pysnmp_transport,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self._transport_factory = transport_factory
        self._wall_clock = wall_clock
        self._monotonic = monotonic
        self._runtime: SnmpRuntime | None = None
        self._transport: SnmpTransport | None = None
        self._client: SnmpClient | None = None
        self._in_flight: asyncio.Task[PollResult] | None = None
        self._counters = CounterTracker()
        self._agent_clock: AgentClock | None = None
        self._sequence = 0
        self._latest: tuple[int, PollResult] | None = None
        self._now = 0.0
        self._seen_counters: set[Hashable] = set()
        self.auth_failures = 0
        """SNMPv3 authentication failures seen (wrong digest, unknown user): counted, never retried."""

    @property
    def target_id(self) -> str:
        return self.spec.target_id

    @property
    def interval_s(self) -> float:
        return self.spec.interval_s

    @property
    def requests_sent(self) -> int:
        return self._client.requests_sent if self._client else 0

    async def prepare(self) -> None:
        """Set the target up (address, engine entries) ahead of the first poll; optional."""
        client = self._ensure_client()
        prepare = getattr(self._transport, "prepare", None)
        if prepare is not None and client is not None:
            with contextlib.suppress(SnmpError):  # the poll reports it
                await prepare()

    async def poll(self) -> PollResult:
        if self._in_flight is None or self._in_flight.done():
            self._in_flight = asyncio.ensure_future(self._poll_once())
        return await asyncio.shield(self._in_flight)

    async def aclose(self) -> None:
        if self._in_flight is not None and not self._in_flight.done():
            self._in_flight.cancel()
            await asyncio.gather(self._in_flight, return_exceptions=True)
        if self._transport is not None:
            await self._transport.aclose()
        if self._runtime is not None:
            release_runtime(self._runtime)
        self._runtime = self._transport = self._client = None

    def _ensure_client(self) -> SnmpClient:
        if self._client is None:
            self._runtime = acquire_runtime()
            self._transport = self._transport_factory(self.spec, self._runtime)
            self._client = SnmpClient(
                self._transport,
                version=self.spec.version,
                timeout_s=self.spec.timeout_s,
                retries=self.spec.retries,
                semaphore=self._runtime.semaphore,
            )
        return self._client

    async def _poll_once(self) -> PollResult:
        self._sequence += 1
        sequence, at, started = self._sequence, self._wall_clock(), self._monotonic()
        try:
            result = await self._poll_result(at, started)
        except Exception as error:  # poll never raises: a bug is a state with a reason, and a log line
            log.exception("SNMP poll of %s failed", self.target_id)
            result = self._failure(at, started, State.UNKNOWN, f"internal error ({type(error).__name__})")
        if self._latest is not None and self._latest[0] > sequence:
            return self._latest[1]  # a late poll never overwrites a newer result
        self._latest = (sequence, result)
        return result

    async def _poll_result(self, at: float, started: float) -> PollResult:
        client = self._ensure_client()
        try:
            async with asyncio.timeout(self.spec.interval_s):
                fetched, clock = await fetch(
                    client,
                    self.spec.profile,
                    selected=self.spec.interfaces,
                    max_repetitions=self.spec.max_repetitions,
                )
        except SnmpError as error:
            if isinstance(error, SnmpAuthError):
                self.auth_failures += 1
            return self._failure(at, started, error.state, error.reason)
        except TimeoutError:
            reason = f"poll did not finish within its {self.spec.interval_s:g} s interval"
            return self._failure(at, started, State.UNREACHABLE, reason)
        self._now = self._monotonic()
        events = self._restart_events(at, clock)
        self._seen_counters = set()
        spec = self.spec
        selected = spec.interfaces
        decoded = decode(spec.profile, fetched, target=spec.target_id, at=at, rates=self, selected=selected)
        self._counters.forget_missing(self._seen_counters)
        duration = self._monotonic() - started
        if decoded.problem:
            return PollResult(self.target_id, at, (), State.UNKNOWN, decoded.problem, events, duration)
        if not decoded.samples and self.spec.profile.metric_names:
            reason = _nothing_reason(self.spec)
            return PollResult(self.target_id, at, (), State.UNKNOWN, reason, events, duration)
        return PollResult(self.target_id, at, tuple(decoded.samples), None, "", events, duration)

    def rate(self, key: Hashable, value: SnmpValue, discontinuity: float | None) -> float | None:
        """RateSource for the decoder: per-second rate of one counter, None on a first/reset reading."""
        if not isinstance(value.payload, int):
            return None
        self._seen_counters.add(key)
        reading = Reading(value.payload, COUNTER_BITS.get(value.kind, 64), self._now, discontinuity)
        rate = self._counters.update(key, reading)
        return rate.per_second if rate.status in (RateStatus.OK, RateStatus.WRAPPED) else None

    def _restart_events(self, at: float, clock: dict[tuple[int, ...], SnmpValue]) -> tuple[Event, ...]:
        current = AgentClock(
            at=self._now,
            uptime_ticks=clock_number(clock, SYS_UPTIME),
            engine_boots=clock_number(clock, SNMP_ENGINE_BOOTS),
            engine_time=clock_number(clock, SNMP_ENGINE_TIME),
        )
        why = agent_restart(self._agent_clock, current)
        self._agent_clock = current
        if not why:
            return ()
        self._counters.rebaseline()
        return (Event(at, "agent-restarted", self.target_id, f"agent restarted: {why}"),)

    def _failure(self, at: float, started: float, state: State, reason: str) -> PollResult:
        return PollResult(self.target_id, at, (), state, reason, (), self._monotonic() - started)


def _nothing_reason(spec: SnmpTargetSpec) -> str:
    if spec.interfaces and any(table.select_by for table in spec.profile.tables):
        return f"no interface named {', '.join(spec.interfaces)[:80]}"
    return f"the agent has none of the objects of profile {spec.profile.name}"
