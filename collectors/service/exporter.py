"""The poller's samples and alert states in the Prometheus exposition format, on a loopback address.

A custom prometheus-client collector reads an immutable view that the poller replaces after each batch, so
the HTTP thread never sees a half-updated engine. Metric `ups.runtime_min` of target `ups-a` becomes
`dutyroom_ups_runtime_min{target="ups-a"}`; every alert is `dutyroom_alert{rule, target, state, severity,
phase} 1`, and every target's reachability is `dutyroom_target_up`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from threading import Thread
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily

from collectors.traps import ListenError
from dutyroom.model import Labels, Sample
from dutyroom.rules.alert import Check, TargetHealth

_NOT_NAME = re.compile(r"[^a-zA-Z0-9_]")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def family_name(metric: str) -> str:
    return "dutyroom_" + _NOT_NAME.sub("_", metric)


def label_name(name: str) -> str:
    cleaned = _NOT_NAME.sub("_", name)
    return cleaned if cleaned != "target" else "sample_target"


@dataclass(frozen=True)
class ExportView:
    """What one scrape shows: the latest numeric sample per series, the active alerts, target health."""

    samples: Mapping[tuple[str, str, Labels], float] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    health: tuple[TargetHealth, ...] = ()


class ExportCollector:
    """A prometheus-client collector over the latest ExportView."""

    def __init__(self) -> None:
        self.view = ExportView()

    def update(
        self,
        latest: Mapping[tuple[str, str, Labels], float],
        checks: tuple[Check, ...],
        health: tuple[TargetHealth, ...],
    ) -> None:
        self.view = ExportView(dict(latest), checks, health)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        view = self.view
        families: dict[str, tuple[GaugeMetricFamily, tuple[str, ...]]] = {}
        for (target, metric, labels), value in sorted(view.samples.items()):
            keys = ("target", *(label_name(key) for key, _ in labels))
            name = family_name(metric)
            if name not in families:
                families[name] = (GaugeMetricFamily(name, f"dutyroom metric {metric}", labels=keys), keys)
            family, wanted = families[name]
            if wanted == keys:
                family.add_metric([target, *(item for _, item in labels)], value)
        yield from (family for family, _ in families.values())
        alerts = GaugeMetricFamily(
            "dutyroom_alert", "active alerts (1 per alert)", labels=["rule", "target", "state", "severity", "phase"]
        )
        for check in view.checks:
            if check.active:
                alerts.add_metric([check.rule, check.target, str(check.state), check.severity, str(check.phase)], 1)
        yield alerts
        up = GaugeMetricFamily("dutyroom_target_up", "1 when the target's last poll succeeded", labels=["target"])
        for health in view.health:
            up.add_metric([health.target], 0.0 if health.failure else 1.0)
        yield up


def latest_numeric(samples: list[Sample], into: dict[tuple[str, str, Labels], float]) -> None:
    for sample in samples:
        if isinstance(sample.value, int | float) and not isinstance(sample.value, bool):
            into[(sample.target, sample.metric, sample.labels)] = float(sample.value)


def start_exporter(listen: str, collector: ExportCollector) -> tuple[WSGIServer, Thread, int]:
    """Serve `/metrics` on `listen` (host:port, loopback only); port 0 picks a free one.

    A port in use (or refused) raises ListenError, one line naming the address, like the trap receiver's.
    """
    host, _, port_text = listen.rpartition(":")
    host = host.strip("[]")
    if host not in LOOPBACK_HOSTS and not host.startswith("127."):
        raise ValueError(f"exporter address {listen} is not a loopback address")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    try:
        server, thread = start_http_server(int(port_text), addr=host, registry=registry)
    except OSError as error:
        raise ListenError("Prometheus exporter", f"http {listen}", error) from error
    port: Any = server.server_address[1]
    return server, thread, int(port)
