"""One GET under a total deadline, with a body cap and same-host redirects only.

Every transport failure becomes a `FetchFailure` with its own state and short reason (RELIABILITY.md R5):
refused or unresolvable -> UNREACHABLE; no connection within the deadline -> UNREACHABLE "connect timeout";
connected but no complete response within the deadline (silent server, trickled body) -> UNREACHABLE
"no complete response"; a certificate that does not verify -> UNKNOWN (it answered, but cannot be trusted);
a broken HTTP exchange or a refused redirect -> UNKNOWN. Reasons never include the URL or headers.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from collectors.http_spec import HttpTargetSpec
from dutyroom.model import State
from dutyroom.textclean import clean_text


@dataclass(frozen=True, slots=True)
class FetchedResponse:
    status: int
    reason_phrase: str
    body: bytes | None
    """None when the body was larger than the cap; empty when it was not wanted."""
    latency_ms: float


@dataclass(frozen=True, slots=True)
class FetchFailure:
    state: State
    reason: str


def describe_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


def describe_size(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


class _Phase:
    """Where the exchange stands, from httpcore's trace hook: tells a connect timeout from a slow reply."""

    def __init__(self) -> None:
        self.name = "connect"

    async def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event.endswith("connect_tcp.started"):
            self.name = "connect"
        elif event.endswith("start_tls.started"):
            self.name = "tls"
        elif event.endswith("send_request_headers.started"):
            self.name = "response"


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


_ERRNO_REASONS = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "no route to host",
    errno.ENETUNREACH: "network unreachable",
    errno.ECONNRESET: "connection reset",
    errno.ETIMEDOUT: "connect timeout",
}


def _connect_failure(exc: httpx.ConnectError) -> FetchFailure:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchFailure(State.UNKNOWN, "TLS certificate verification failed")
        if isinstance(cause, ssl.SSLError):
            return FetchFailure(State.UNKNOWN, "TLS handshake failed")
        if isinstance(cause, socket.gaierror):
            return FetchFailure(State.UNREACHABLE, "host name not resolved")
        if isinstance(cause, OSError) and cause.errno is not None:
            reason = _ERRNO_REASONS.get(cause.errno) or os.strerror(cause.errno).lower()
            return FetchFailure(State.UNREACHABLE, clean_text(reason, 80))
    if "refused" in str(exc).lower():
        return FetchFailure(State.UNREACHABLE, "connection refused")
    return FetchFailure(State.UNREACHABLE, "connect failed")


def _deadline_failure(phase: str, timeout_s: float) -> FetchFailure:
    shown = describe_seconds(timeout_s)
    if phase == "connect":
        return FetchFailure(State.UNREACHABLE, f"connect timeout after {shown}")
    if phase == "tls":
        return FetchFailure(State.UNREACHABLE, f"TLS handshake timeout after {shown}")
    return FetchFailure(State.UNREACHABLE, f"no complete response within {shown}")


def transport_failure(exc: httpx.HTTPError, phase: str, timeout_s: float) -> FetchFailure:
    """The state and short reason of an httpx failure (`phase`: how far the exchange got); the Alertmanager
    source maps its failures here too, so every HTTP target says why in the same words."""
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return _deadline_failure("tls" if phase == "tls" else "connect", timeout_s)
    if isinstance(exc, httpx.TimeoutException):
        return _deadline_failure("response", timeout_s)
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending a response" in str(exc):
            return FetchFailure(State.UNREACHABLE, "connection closed without a response")
        return FetchFailure(State.UNKNOWN, f"invalid HTTP response: {clean_text(str(exc), 80)}")
    if isinstance(exc, httpx.DecodingError):
        return FetchFailure(State.UNKNOWN, "response body could not be decoded")
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return FetchFailure(State.UNREACHABLE, "connection lost during the exchange")
    return FetchFailure(State.UNKNOWN, f"HTTP request failed: {type(exc).__name__}")


def _redirect_refusal(request: httpx.Request, next_request: httpx.Request) -> str | None:
    if next_request.url.host != request.url.host:
        return f"redirect to another host refused ({clean_text(next_request.url.host, 60)})"
    if request.url.scheme == "https" and next_request.url.scheme != "https":
        return "redirect from https to http refused"
    return None


async def _read_capped(response: httpx.Response, cap: int) -> bytes | None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch(client: httpx.AsyncClient, spec: HttpTargetSpec) -> FetchedResponse | FetchFailure:
    """GET `spec.url` once; never raises for network or protocol trouble."""
    phase = _Phase()
    started = time.perf_counter()
    headers = dict(spec.headers)
    if spec.bearer_token:
        headers["Authorization"] = f"Bearer {spec.bearer_token}"
    try:
        async with asyncio.timeout(spec.timeout_s):
            request = client.build_request(
                "GET", spec.url, headers=headers, timeout=spec.timeout_s, extensions={"trace": phase.trace}
            )
            for _hop in range(spec.max_redirects + 1):
                response = await client.send(request, stream=True)
                try:
                    next_request = response.next_request
                    if next_request is None:
                        wanted = spec.reads_body and response.status_code in spec.expect_status
                        body = await _read_capped(response, spec.max_body_bytes) if wanted else b""
                        return FetchedResponse(
                            status=response.status_code,
                            reason_phrase=clean_text(response.reason_phrase, 60),
                            body=body,
                            latency_ms=(time.perf_counter() - started) * 1000.0,
                        )
                    refusal = _redirect_refusal(request, next_request)
                    if refusal is not None:
                        return FetchFailure(State.UNKNOWN, refusal)
                    request = next_request
                finally:
                    await response.aclose()
            return FetchFailure(State.UNKNOWN, f"more than {spec.max_redirects} redirects")
    except TimeoutError:
        return _deadline_failure(phase.name, spec.timeout_s)
    except httpx.HTTPError as exc:
        return transport_failure(exc, phase.name, spec.timeout_s)
    except httpx.InvalidURL:
        return FetchFailure(State.UNKNOWN, "invalid URL")
