"""The simulated trading systems and lines: an order gateway, a market-data server, exchange/market-data lines.

- oms-gw1 serves a health JSON document (`/health`): status, orders per second, order latency, queue depth;
- md-server serves Prometheus text (`/metrics`) written by prometheus_client from its own registry:
  `md_last_tick_age_seconds{feed}`, `md_messages_total{feed}`, `md_feed_up{feed}`;
- each line is a TCP listener that accepts and closes; a line that is down stops listening.
Values wobble a little around the model's (as live systems do), never across a threshold.
"""

from __future__ import annotations

import asyncio
import json
import math
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from tui.demo.http_sim import HttpSim, Reply
from tui.demo.model import RoomModel


def _wobble(period_s: float, amount: float) -> float:
    """A slow, deterministic wobble in [-amount, amount]."""
    return amount * math.sin(time.monotonic() * 2 * math.pi / period_s)


class GatewaySim(HttpSim):
    """The order gateway's health endpoint."""

    def __init__(self, model: RoomModel) -> None:
        super().__init__("oms-gw1", self._reply)
        self.model = model

    def _reply(self, path: str) -> Reply:
        if path != "/health":
            return Reply(404, "text/plain", b"not found\n")
        gateway = self.model.gateway
        document = {
            "status": gateway.status,
            "throughput": {"orders_per_s": round(gateway.orders_per_s * (1 + _wobble(23, 0.04)), 1)},
            "latency_ms": round(gateway.latency_ms * (1 + _wobble(17, 0.1)), 2),
            "queue": {"depth": round(gateway.queue_depth * (1 + _wobble(11, 0.2)))},
            "sessions": {"sse": "logged-in", "szse": "logged-in"},
        }
        delay = min(gateway.latency_ms / 1000.0, 0.5) if gateway.latency_ms > 20 else 0.0
        return Reply(200, "application/json", json.dumps(document).encode(), delay)


class MarketDataSim(HttpSim):
    """The market-data server's Prometheus endpoint."""

    FEEDS = ("sse", "szse")

    def __init__(self, model: RoomModel) -> None:
        super().__init__("md-server", self._reply)
        self.model = model
        self.registry = CollectorRegistry()
        self._age = Gauge("md_last_tick_age_seconds", "Seconds since the last tick", ["feed"], registry=self.registry)
        self._messages = Counter("md_messages", "Market-data messages received", ["feed"], registry=self.registry)
        self._up = Gauge("md_feed_up", "Whether the feed session is up", ["feed"], registry=self.registry)
        self._last = time.monotonic()

    def _reply(self, path: str) -> Reply:
        if path != "/metrics":
            return Reply(404, "text/plain", b"not found\n")
        now = time.monotonic()
        elapsed, self._last = now - self._last, now
        market = self.model.market_data
        for feed in self.FEEDS:
            age = market.tick_age_s.get(feed, 0.0)
            self._age.labels(feed).set(round(age + abs(_wobble(7, 0.1)), 3))
            self._up.labels(feed).set(1.0 if age < 60 else 0.0)
            if age < 1.0:
                self._messages.labels(feed).inc(market.messages_per_s / len(self.FEEDS) * elapsed)
        return Reply(200, "text/plain; version=0.0.4; charset=utf-8", generate_latest(self.registry))


class TcpLine:
    """A TCP listener standing in for a line's far end: accepts and closes while up, refuses while down."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.port = 0
        self.connections = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, reuse_address=True)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def set_up(self, up: bool) -> None:
        if up and self._server is None:
            try:
                self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)
            except OSError:
                return
        elif not up and self._server is not None:
            server, self._server = self._server, None
            server.close()

    async def close(self) -> None:
        await self.set_up(False)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.close()
