"""HTTP(S) health and metrics collector: status, latency, JSON fields and Prometheus series.

What each outcome becomes (RELIABILITY.md R5):
- no answer (refused, connect timeout, no complete response within the total deadline): failure UNREACHABLE
  with its own reason, and the sample `http.up` = 0;
- a status outside `expect_status` (HTTP 500, 503, ...): failure UNKNOWN "HTTP 503 Service Unavailable",
  still with `http.status`, `http.latency_ms` and `http.up` = 0, so rules can act on them;
- an expected status: `http.status`, `http.latency_ms`, `http.up` = 1, then the body is read (at most
  `max_body_bytes`) and parsed: invalid JSON, a missing or non-numeric field, an unparsable exposition,
  a missing series or a body over the cap each add failure UNKNOWN with a short clean reason, beside
  whatever samples could be read;
- a certificate that does not verify: failure UNKNOWN "TLS certificate verification failed" (never retried
  without verification).
`http.latency_ms` runs from the start of the request to the end of the body.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus

import httpx

from collectors.http_clients import build_http_client
from collectors.http_fetch import FetchedResponse, FetchFailure, describe_size, fetch
from collectors.http_json import InvalidJsonError, decode_json, extract_fields
from collectors.http_spec import HttpTargetSpec
from collectors.prom import select_samples
from dutyroom.model import PollResult, Sample, State

logger = logging.getLogger(__name__)

PARSE_OFF_LOOP_BYTES = 64 * 1024
"""Bodies larger than this are parsed in a worker thread, away from the console's event loop."""


def status_reason(status: int, reason_phrase: str) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason_phrase
    return f"HTTP {status} {phrase}".strip()


def summarize_problems(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return f"{problems[0]} (and {len(problems) - 1} more)"


class HttpCollector:
    """Polls one HTTP target through a (usually shared) httpx client; `poll` never raises."""

    def __init__(
        self,
        spec: HttpTargetSpec,
        client: httpx.AsyncClient,
        *,
        wall_clock: Callable[[], float] = time.time,
        owns_client: bool = False,
    ) -> None:
        self.spec = spec
        self._client = client
        self._wall_clock = wall_clock
        self._owns_client = owns_client

    @classmethod
    def standalone(cls, spec: HttpTargetSpec) -> HttpCollector:
        """A collector with a client of its own (for `dutyroom probe`), closed by `aclose`."""
        return cls(spec, build_http_client(spec.ca_file), owns_client=True)

    @property
    def target_id(self) -> str:
        return self.spec.target_id

    @property
    def interval_s(self) -> float:
        return self.spec.interval_s

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def poll(self) -> PollResult:
        at = self._wall_clock()
        started = time.perf_counter()
        try:
            outcome = await fetch(self._client, self.spec)
            result = await self._interpret(outcome, at)
        except Exception as exc:  # the contract: a state, never a crash
            logger.error("%s: HTTP poll failed with %s", self.target_id, type(exc).__name__)
            reason = f"internal error: {type(exc).__name__}"
            result = PollResult(self.target_id, at, failure=State.UNKNOWN, reason=reason)
        return replace(result, duration_s=time.perf_counter() - started)

    async def _interpret(self, outcome: FetchedResponse | FetchFailure, at: float) -> PollResult:
        target = self.target_id
        if isinstance(outcome, FetchFailure):
            up = Sample(target, "http.up", 0.0, at)
            return PollResult(target, at, samples=(up,), failure=outcome.state, reason=outcome.reason)
        is_up = outcome.status in self.spec.expect_status
        samples = [
            Sample(target, "http.status", float(outcome.status), at),
            Sample(target, "http.latency_ms", round(outcome.latency_ms, 3), at, unit="ms"),
            Sample(target, "http.up", 1.0 if is_up else 0.0, at),
        ]
        if not is_up:
            reason = status_reason(outcome.status, outcome.reason_phrase)
            return PollResult(target, at, samples=tuple(samples), failure=State.UNKNOWN, reason=reason)
        if not self.spec.reads_body:
            return PollResult(target, at, samples=tuple(samples))
        if outcome.body is None:
            reason = f"body larger than {describe_size(self.spec.max_body_bytes)}"
            return PollResult(target, at, samples=tuple(samples), failure=State.UNKNOWN, reason=reason)
        body = outcome.body
        if len(body) > PARSE_OFF_LOOP_BYTES:
            parsed, problems = await asyncio.to_thread(self._parse_body, body, at)
        else:
            parsed, problems = self._parse_body(body, at)
        samples.extend(parsed)
        if problems:
            reason = summarize_problems(problems)
            return PollResult(target, at, samples=tuple(samples), failure=State.UNKNOWN, reason=reason)
        return PollResult(target, at, samples=tuple(samples))

    def _parse_body(self, body: bytes, at: float) -> tuple[list[Sample], list[str]]:
        if self.spec.fields:
            try:
                document = decode_json(body)
            except InvalidJsonError as exc:
                return [], [str(exc)]
            return extract_fields(document, self.spec.fields, self.target_id, at)
        text = body.decode("utf-8", errors="replace")
        try:
            return select_samples(text, self.spec.prometheus, self.target_id, at)
        except ValueError as exc:
            return [], [str(exc)]
