"""The exporter's HTTP server: plain on loopback, TLS with basic auth anywhere else.

The settings use exporter-toolkit's `web.config` key names (`tls_server_config.cert_file`, `key_file`,
`client_ca_file`, `basic_auth_users`), so a Prometheus `scrape_config` with `scheme: https`, `tls_config` and
`basic_auth` works as it does with node_exporter; only the passwords differ: they are dutyroom secrets
(`{ env }` / `{ file }`, compared in constant time), not bcrypt hashes.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import socket
import ssl
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from socketserver import ThreadingMixIn
from threading import Thread
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app

from dutyroom.config.types import ExporterTls

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes are not news: nothing on stderr per request."""


def with_basic_auth(app: WsgiApp, users: Mapping[str, str]) -> WsgiApp:
    """`app` behind HTTP basic auth for `users` (name -> password); anything else gets 401."""
    expected = {name.encode(): password.encode() for name, password in users.items()}

    def allowed(header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            name, _, password = base64.b64decode(encoded.strip(), validate=True).partition(b":")
        except (binascii.Error, ValueError):
            return False
        wanted = expected.get(name)
        return wanted is not None and hmac.compare_digest(password, wanted)

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if allowed(str(environ.get("HTTP_AUTHORIZATION", ""))):
            return app(environ, start_response)
        start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="dutyroom"'), ("Content-Length", "0")])
        return [b""]

    return guarded


def tls_context(tls: ExporterTls, base_dir: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(base_dir / tls.cert_file, base_dir / tls.key_file)
    if tls.client_ca_file:
        context.load_verify_locations(base_dir / tls.client_ca_file)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def serve_metrics(
    host: str, port: int, registry: CollectorRegistry, tls: ssl.SSLContext | None, users: Mapping[str, str]
) -> tuple[WSGIServer, Thread, int]:
    """Serve `registry` on host:port (0 picks a free port) in a daemon thread; raises OSError when it cannot."""
    app: WsgiApp = make_wsgi_app(registry)
    if users:
        app = with_basic_auth(app, users)
    server_class = _ThreadingServer6 if ":" in host else _ThreadingServer
    server = make_server(host, port, app, server_class, handler_class=_QuietHandler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = Thread(target=server.serve_forever, name="exporter", daemon=True)
    thread.start()
    return server, thread, int(server.server_address[1])
