"""What one HTTP target is: the plain, validated spec the config layer builds for `HttpCollector`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from collectors.http_json import parse_json_path
from collectors.prom import PromSelector

DEFAULT_TIMEOUT_S = 5.0
DEFAULT_MAX_BODY_BYTES = 1 << 20
DEFAULT_MAX_REDIRECTS = 3


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class HttpTargetSpec:
    """One HTTP(S) endpoint: a JSON health document, a Prometheus `/metrics`, or a bare status check.

    Secrets (`bearer_token`, `headers`) are left out of the repr and never put in a reason or a log line.
    """

    target_id: str
    url: str
    """http:// or https:// URL; credentials belong in `bearer_token` or `headers`, never in the URL."""
    interval_s: float = 10.0
    timeout_s: float = DEFAULT_TIMEOUT_S
    """The total deadline: connect, TLS, request, headers and the whole body."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    """Bodies beyond this many (decoded) bytes are not read further."""
    fields: Mapping[str, str] = field(default_factory=dict)
    """dutyroom metric name -> JSON path (`throughput.orders`, `queues[0].depth`)."""
    prometheus: tuple[PromSelector, ...] = ()
    """Series to pick from a Prometheus text exposition."""
    expect_status: tuple[int, ...] = (200,)
    """Statuses that mean "up"; anything else is reported UNKNOWN with `http.up` = 0."""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    bearer_token: str = field(default="", repr=False)
    ca_file: str | None = None
    """A PEM bundle for a private CA; verification is never switched off."""
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    """Redirects followed, and only to the same host (never from https down to http)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _frozen(self.fields))
        object.__setattr__(self, "headers", _frozen(self.headers))
        object.__setattr__(self, "prometheus", tuple(self.prometheus))
        object.__setattr__(self, "expect_status", tuple(self.expect_status))
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{self.target_id}: url must be an http:// or https:// URL with a host")
        if parts.username is not None or parts.password is not None:
            raise ValueError(f"{self.target_id}: put credentials in bearer_token or headers, not in the url")
        if self.timeout_s <= 0 or self.interval_s <= 0:
            raise ValueError(f"{self.target_id}: timeout and interval must be positive")
        if self.max_body_bytes <= 0 or self.max_redirects < 0:
            raise ValueError(f"{self.target_id}: max_body_bytes must be positive, max_redirects >= 0")
        if self.fields and self.prometheus:
            raise ValueError(f"{self.target_id}: give either JSON fields or Prometheus selectors, not both")
        for path in self.fields.values():
            parse_json_path(path)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def reads_body(self) -> bool:
        return bool(self.fields or self.prometheus)
