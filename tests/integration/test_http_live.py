"""HttpCollector against real servers on loopback: every R5 failure mode, redirects, TLS, node_exporter."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from subprocess import DEVNULL

import pytest

from collectors.http import PARSE_OFF_LOOP_BYTES, HttpCollector
from collectors.http_clients import HttpClients
from collectors.http_spec import HttpTargetSpec
from collectors.prom import PromSelector
from dutyroom.model import PollResult, State

pytestmark = pytest.mark.integration

TIMEOUT_S = 0.5
GENEROUS_BOUND_S = 5.0
HEALTH = {"throughput": {"orders": 1250}, "queues": [{"depth": 3}], "session": "open"}
FIELDS = {"orders_per_s": "throughput.orders", "queue": "queues[0].depth", "session": "session"}
METRICS_TEXT = (
    "# HELP gateway_orders_total Orders accepted.\n"
    "# TYPE gateway_orders_total counter\n"
    'gateway_orders_total{venue="sse"} 1500\n'
    'gateway_orders_total{venue="szse"} 900\n'
    "# TYPE other_metric gauge\nother_metric 1\n"
)
BIG_METRICS_TEXT = (
    "".join(f'# TYPE noise_{i} gauge\nnoise_{i}{{shard="{j}"}} {j}\n' for i in range(2000) for j in range(4))
    + "# TYPE gateway_queue_depth gauge\ngateway_queue_depth 42\n"
)
"""~300 KB of other families with the wanted one last: parsed off the loop, filtered first."""
TOKEN = "t0ken-never-shown"

Writer = asyncio.StreamWriter
Route = Callable[[Writer, dict[str, str]], Awaitable[None]]


def _response(status: str, body: bytes, content_type: str = "application/json", extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return head.encode() + body


def _auth_body(headers: dict[str, str]) -> bytes:
    return json.dumps({"ok": headers.get("authorization") == f"Bearer {TOKEN}"}).encode()


class LoopbackHttpServer:
    """A small HTTP/1.1 server with one behaviour per path; handlers still running are cancelled at exit."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> LoopbackHttpServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                path = request_line.split(" ")[1]
                pairs = (line.partition(":") for line in header_lines if line)
                headers = {key.strip().lower(): value.strip() for key, _, value in pairs}
                await self._route(path)(writer, headers)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._handlers.discard(task)
            writer.close()

    def _route(self, path: str) -> Route:
        port = self.port

        async def send(writer: Writer, data: bytes) -> None:
            writer.write(data)
            await writer.drain()

        routes: dict[str, Route] = {
            "/health": lambda w, h: send(w, _response("200 OK", json.dumps(HEALTH).encode())),
            "/metrics": lambda w, h: send(w, _response("200 OK", METRICS_TEXT.encode(), "text/plain")),
            "/500": lambda w, h: send(w, _response("500 Internal Server Error", b"boom")),
            "/503": lambda w, h: send(w, _response("503 Service Unavailable", b"\x1b[31mdown")),
            "/bad-json": lambda w, h: send(w, _response("200 OK", b'{"throughput": {"orders": 12,}}')),
            "/wrong-schema": lambda w, h: send(w, _response("200 OK", b'{"status": "ok", "session": "x"}')),
            "/redirect-same": lambda w, h: send(w, _response("302 Found", b"", extra="Location: /health\r\n")),
            "/redirect-loop": lambda w, h: send(w, _response("302 Found", b"", extra="Location: /redirect-loop\r\n")),
            "/redirect-other": lambda w, h: send(
                w, _response("302 Found", b"", extra=f"Location: http://localhost:{port}/health\r\n")
            ),
            "/auth": lambda w, h: send(w, _response("200 OK", _auth_body(h))),
            "/big-metrics": lambda w, h: send(w, _response("200 OK", BIG_METRICS_TEXT.encode(), "text/plain")),
            "/hang-up": self._hang_up,
            "/garbage": lambda w, h: send(w, b"SSH-2.0-OpenSSH_9.2\r\n\x1b[2J\r\n\r\n"),
            "/huge": self._huge,
            "/huge-chunked": self._huge_chunked,
            "/trickle": self._trickle,
            "/silent": self._silent,
        }
        return routes.get(path, lambda w, h: send(w, _response("404 Not Found", b"")))

    @staticmethod
    async def _hang_up(writer: Writer, headers: dict[str, str]) -> None:
        raise ConnectionResetError  # closes the connection without a word

    @staticmethod
    async def _huge(writer: Writer, headers: dict[str, str]) -> None:
        size = 10 * 1024 * 1024
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        chunk = b"x" * 65536
        for _ in range(size // len(chunk)):
            writer.write(chunk)
            await writer.drain()

    @staticmethod
    async def _huge_chunked(writer: Writer, headers: dict[str, str]) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"[" + b"1," * 32767 + b"1]"
        for _ in range(160):  # ~10 MB
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
        writer.write(b"0\r\n\r\n")

    @staticmethod
    async def _trickle(writer: Writer, headers: dict[str, str]) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(100000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.05)

    @staticmethod
    async def _silent(writer: Writer, headers: dict[str, str]) -> None:
        await asyncio.sleep(3600)


@pytest.fixture
async def server() -> AsyncIterator[LoopbackHttpServer]:
    async with LoopbackHttpServer() as running:
        yield running


@pytest.fixture
async def clients() -> AsyncIterator[HttpClients]:
    shared = HttpClients()
    yield shared
    await shared.aclose()


async def poll_once(clients: HttpClients, url: str, **spec_fields: object) -> tuple[PollResult, float]:
    spec = HttpTargetSpec("gw", url, interval_s=10.0, timeout_s=TIMEOUT_S, **spec_fields)  # type: ignore[arg-type]
    collector = HttpCollector(spec, clients.client_for(spec.ca_file))
    started = time.monotonic()
    result = await collector.poll()
    return result, time.monotonic() - started


def values(result: PollResult) -> dict[str, float | str]:
    return {sample.metric: sample.value for sample in result.samples}


def numbers(result: PollResult) -> dict[str, float]:
    return {sample.metric: sample.value for sample in result.samples if isinstance(sample.value, float)}


async def test_json_health_fields(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/health"), fields=FIELDS)
    assert result.ok, result.reason
    got = values(result)
    assert got["http.status"] == 200.0
    assert got["http.up"] == 1.0
    assert numbers(result)["http.latency_ms"] >= 0.0
    assert (got["orders_per_s"], got["queue"], got["session"]) == (1250.0, 3.0, "open")
    assert result.duration_s > 0.0


async def test_prometheus_text_with_label_selector(server: LoopbackHttpServer, clients: HttpClients) -> None:
    selector = PromSelector.from_config("orders_per_s", "gateway_orders_total", {"venue": "sse"})
    result, _ = await poll_once(clients, server.url("/metrics"), prometheus=(selector,))
    assert result.ok, result.reason
    assert values(result)["orders_per_s"] == 1500.0


async def test_large_exposition_is_filtered_and_parsed_off_the_loop(
    server: LoopbackHttpServer, clients: HttpClients
) -> None:
    assert len(BIG_METRICS_TEXT) > 4 * PARSE_OFF_LOOP_BYTES
    selector = PromSelector.from_config("queue", "gateway_queue_depth")
    result, _ = await poll_once(clients, server.url("/big-metrics"), prometheus=(selector,))
    assert result.ok, result.reason
    assert values(result)["queue"] == 42.0


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [("/500", 500.0, "HTTP 500 Internal Server Error"), ("/503", 503.0, "HTTP 503 Service Unavailable")],
)
async def test_server_errors_are_unknown_with_status_samples(
    server: LoopbackHttpServer, clients: HttpClients, path: str, status: float, reason: str
) -> None:
    result, _ = await poll_once(clients, server.url(path), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, reason)
    got = values(result)
    assert (got["http.status"], got["http.up"]) == (status, 0.0)
    assert "http.latency_ms" in got


async def test_connect_refused(clients: HttpClients) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, _ = await poll_once(clients, f"http://127.0.0.1:{port}/health")
    assert (result.failure, result.reason) == (State.UNREACHABLE, "connection refused")
    assert values(result) == {"http.up": 0.0}


async def test_server_that_never_answers_is_a_read_timeout(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, elapsed = await poll_once(clients, server.url("/silent"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNREACHABLE, "no complete response within 0.5 s")
    assert elapsed < GENEROUS_BOUND_S


async def test_trickled_body_hits_the_total_deadline(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, elapsed = await poll_once(clients, server.url("/trickle"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNREACHABLE, "no complete response within 0.5 s")
    assert elapsed < GENEROUS_BOUND_S  # a per-read timeout alone would wait ~5,000 s here


async def test_hang_up_and_garbage_instead_of_http(server: LoopbackHttpServer, clients: HttpClients) -> None:
    hung_up, _ = await poll_once(clients, server.url("/hang-up"), fields=FIELDS)
    assert (hung_up.failure, hung_up.reason) == (State.UNREACHABLE, "connection closed without a response")
    garbage, _ = await poll_once(clients, server.url("/garbage"), fields=FIELDS)
    assert garbage.failure is State.UNKNOWN
    assert garbage.reason.startswith("invalid HTTP response")
    assert "\x1b" not in garbage.reason, garbage.reason


async def test_invalid_json(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/bad-json"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, "invalid JSON at line 1 col 30")
    assert values(result)["http.up"] == 1.0


async def test_wrong_schema(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/wrong-schema"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, "field throughput.orders missing (and 1 more)")
    assert values(result)["session"] == "x"


@pytest.mark.parametrize("path", ["/huge", "/huge-chunked"])
async def test_ten_megabyte_body_is_cut_at_the_cap(server: LoopbackHttpServer, clients: HttpClients, path: str) -> None:
    result, elapsed = await poll_once(clients, server.url(path), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, "body larger than 1 MiB")
    assert elapsed < GENEROUS_BOUND_S


async def test_same_host_redirect_is_followed(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/redirect-same"), fields=FIELDS)
    assert result.ok, result.reason
    assert values(result)["orders_per_s"] == 1250.0


async def test_cross_host_redirect_is_refused(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/redirect-other"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, "redirect to another host refused (localhost)")


async def test_redirect_loop_is_bounded(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/redirect-loop"), fields=FIELDS)
    assert (result.failure, result.reason) == (State.UNKNOWN, "more than 3 redirects")


async def test_bearer_token_is_sent_and_never_shown(server: LoopbackHttpServer, clients: HttpClients) -> None:
    result, _ = await poll_once(clients, server.url("/auth"), fields={"ok": "ok"}, bearer_token=TOKEN)
    assert values(result)["ok"] == 1.0
    failed, _ = await poll_once(clients, server.url("/silent"), bearer_token=TOKEN)
    assert TOKEN not in repr(failed)


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


async def test_untrusted_certificate_is_never_downgraded(tmp_path: Path, clients: HttpClients) -> None:
    import ssl

    cert_path, key_path = _self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    body = json.dumps(HEALTH).encode()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(_response("200 OK", body))
            await writer.drain()
        writer.close()

    tls_server = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)
    port = tls_server.sockets[0].getsockname()[1]
    try:
        result, _ = await poll_once(clients, f"https://127.0.0.1:{port}/health", fields=FIELDS)
        assert (result.failure, result.reason) == (State.UNKNOWN, "TLS certificate verification failed")
        assert values(result) == {"http.up": 0.0}
    finally:
        tls_server.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_real_node_exporter_scrape(clients: HttpClients) -> None:
    binary = shutil.which("prometheus-node-exporter")
    if binary is None:
        pytest.skip("prometheus-node-exporter is not installed")
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        binary, f"--web.listen-address=127.0.0.1:{port}", stdout=DEVNULL, stderr=DEVNULL
    )
    selectors = (
        PromSelector.from_config("load1", "node_load1"),
        PromSelector.from_config("mem_total", "node_memory_MemTotal_bytes"),
        PromSelector.from_config("idle_s", "node_cpu_seconds_total", {"mode": "idle"}),
    )
    try:
        result = None
        for _ in range(50):  # up to ~5 s for the exporter to listen
            result, _ = await poll_once(clients, f"http://127.0.0.1:{port}/metrics", prometheus=selectors)
            if result.failure is not State.UNREACHABLE:
                break
            await asyncio.sleep(0.1)
        assert result is not None
        assert result.ok, result.reason
        got = numbers(result)
        assert got["mem_total"] > 0
        assert got["load1"] >= 0
        idle = [s for s in result.samples if s.metric == "idle_s"]
        assert idle
        assert all(dict(s.labels).keys() == {"cpu"} for s in idle)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=10)
