"""HTTP to every configured Alertmanager (v2 API): alerts to all of them, as Prometheus sends to each; silences
to the first that answers, since a cluster gossips them to the others. Basic auth and a CA file come from the
`[alertmanager]` table; the password never appears in a message."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from dutyroom.config.durations import parse_duration
from dutyroom.config.secrets import resolve_secret
from dutyroom.config.types import Alertmanager


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one request to one Alertmanager went: "" when it was accepted, else one line why not."""

    url: str
    problem: str = ""


def _problem(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    return type(error).__name__ if not str(error) else str(error).splitlines()[0][:200]


class AlertmanagerClient:
    """One httpx client for all URLs of one `[alertmanager]` table."""

    def __init__(self, section: Alertmanager, base_dir: Path) -> None:
        self.urls = tuple(url.rstrip("/") for url in section.urls)
        auth = None
        if section.username and section.password is not None:
            auth = httpx.BasicAuth(section.username, resolve_secret(section.password, base_dir).value)
        verify: ssl.SSLContext | bool = True
        if section.ca_file:
            verify = ssl.create_default_context(cafile=str(base_dir / section.ca_file))
        timeout = parse_duration(section.timeout)
        self._client = httpx.AsyncClient(auth=auth, verify=verify, timeout=timeout, follow_redirects=False)

    async def post_alerts(self, alerts: Sequence[dict[str, object]]) -> list[Delivery]:
        """Post the alerts to every Alertmanager at once."""
        return list(await asyncio.gather(*(self._post(url, "/api/v2/alerts", list(alerts)) for url in self.urls)))

    async def _post(self, url: str, path: str, body: object) -> Delivery:
        try:
            reply = await self._client.post(url + path, json=body)
            reply.raise_for_status()
        except httpx.HTTPError as error:
            return Delivery(url, _problem(error))
        return Delivery(url)

    async def create_silence(self, silence: dict[str, object]) -> tuple[str, list[Delivery]]:
        """Create (or, with an `id`, update) a silence; its id, or "" with why each Alertmanager refused."""
        failures = []
        for url in self.urls:
            try:
                reply = await self._client.post(url + "/api/v2/silences", json=silence)
                reply.raise_for_status()
                body: Any = reply.json()
            except (httpx.HTTPError, ValueError) as error:
                problem = _problem(error) if isinstance(error, httpx.HTTPError) else "not JSON"
                failures.append(Delivery(url, problem))
                continue
            return str(body.get("silenceID", "")), failures
        return "", failures

    async def expire_silence(self, silence_id: str) -> list[Delivery]:
        """Expire a silence (a cluster passes it on); an unknown id counts as done."""
        failures = []
        for url in self.urls:
            try:
                reply = await self._client.delete(f"{url}/api/v2/silence/{silence_id}")
                if reply.status_code != 404:
                    reply.raise_for_status()
            except httpx.HTTPError as error:
                failures.append(Delivery(url, _problem(error)))
                continue
            return failures
        return failures

    async def silences(self) -> list[dict[str, Any]]:
        """The silences the first answering Alertmanager knows; [] when none answers."""
        for url in self.urls:
            try:
                reply = await self._client.get(url + "/api/v2/silences")
                reply.raise_for_status()
                found: list[dict[str, Any]] = reply.json()
            except (httpx.HTTPError, ValueError):
                continue
            return found
        return []

    async def aclose(self) -> None:
        await self._client.aclose()
