"""The shared httpx clients of a collector set: one per CA bundle, verification always on.

Clients ignore the environment (no proxy variables, no .netrc), keep no cookies, never follow redirects
by themselves (`collectors.http_fetch` follows same-host ones), and leave concurrency to the scheduler.
"""

from __future__ import annotations

import ssl
from http.cookiejar import DefaultCookiePolicy

import httpx

USER_AGENT = "dutyroom"


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """The system trust store (or `ca_file`), hostname checks and certificate verification on."""
    context = ssl.create_default_context(cafile=ca_file)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def build_http_client(ca_file: str | None = None) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        verify=tls_context(ca_file),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=64, keepalive_expiry=30.0),
        headers={"User-Agent": USER_AGENT},
    )
    client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return client


class HttpClients:
    """Hands out one shared client per CA bundle; `aclose` closes them all."""

    def __init__(self) -> None:
        self._clients: dict[str | None, httpx.AsyncClient] = {}

    def client_for(self, ca_file: str | None = None) -> httpx.AsyncClient:
        client = self._clients.get(ca_file)
        if client is None:
            client = self._clients[ca_file] = build_http_client(ca_file)
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
