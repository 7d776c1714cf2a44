"""The poller's samples, alerts and its own health in the Prometheus exposition format.

A custom prometheus-client collector reads an immutable `ExportView` that the poller replaces after each batch,
so the HTTP thread never sees a half-updated engine. Names and units follow Prometheus's conventions
(`metric_names`); only current values are shown (`export_series`). `dutyroom_alerts` is Prometheus's `ALERTS`
for dutyroom: one series per active alert, identifying labels only (`alertname` = rule, `target`, `group`,
`severity`, the sample's labels) and `alertstate` = pending, firing, suppressed, silenced or acknowledged;
resolved alerts are gone. Beyond loopback the endpoint speaks TLS with basic auth (`exporter_http`).
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from threading import Thread
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry
from prometheus_client.core import Metric

from collectors.service.export_series import ExportedValue, SeriesKey, sorted_series
from collectors.service.exporter_http import serve_metrics, tls_context
from collectors.service.metric_names import label_name
from collectors.service.self_metrics import SelfMetrics
from collectors.traps import ListenError
from dutyroom.config.secrets import SecretError, resolve_secret
from dutyroom.config.types import Exporter
from dutyroom.rules.alert import AlertPhase, TargetHealth
from dutyroom.views.alerts import AlertView

ALERT_LABELS = frozenset({"alertname", "target", "group", "severity", "alertstate", "site"})


def alert_state(alert: AlertView) -> str:
    """What `alertstate` says: the phase, or why nobody needs to act (suppressed > silenced > acknowledged)."""
    if alert.phase is AlertPhase.PENDING:
        return "pending"
    if alert.suppressed_by:
        return "suppressed"
    if alert.silenced_by:
        return "silenced"
    if alert.ack is not None:
        return "acknowledged"
    return "firing"


def build_version() -> str:
    try:
        return version("dutyroom")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


@dataclass(frozen=True)
class ExportView:
    """What one scrape shows."""

    series: Mapping[SeriesKey, ExportedValue] = field(default_factory=dict)
    alerts: Sequence[AlertView] = ()
    health: Sequence[TargetHealth] = ()
    own: SelfMetrics = field(default_factory=SelfMetrics)


class ExportCollector:
    """A prometheus-client collector over the latest ExportView."""

    def __init__(self) -> None:
        self.view = ExportView()
        self.version = build_version()

    def update(self, view: ExportView) -> None:
        self.view = view

    def collect(self) -> Iterator[Metric]:
        view = self.view
        yield from _series_families(sorted_series(view.series))
        yield _alerts_family(view.alerts)
        up = Metric("dutyroom_target_up", "1 when the target's last poll succeeded, 0 when it failed", "gauge")
        for health in view.health:
            up.add_sample("dutyroom_target_up", {"target": health.target}, 0.0 if health.failure else 1.0)
        yield up
        info = Metric("dutyroom_build", "dutyroom's version", "info")
        info.add_sample("dutyroom_build_info", {"version": self.version, "python": platform.python_version()}, 1.0)
        yield info
        yield from _self_families(view.own)


def _series_families(series: Iterable[tuple[SeriesKey, ExportedValue]]) -> Iterator[Metric]:
    families: dict[str, Metric] = {}
    for (target, metric, labels), item in series:
        name = item.family.name
        family = families.get(name)
        if family is None:
            kind = "counter" if item.family.counter else "gauge"
            family = families[name] = Metric(name, f"dutyroom {metric}: {item.family.help}", kind)
        elif family.type != ("counter" if item.family.counter else "gauge"):
            continue  # one name, one type: the first kind of sample seen keeps it
        sample_labels = {label_name(key, frozenset({"target"})): value for key, value in labels}
        sample_name = name + "_total" if item.family.counter else name
        family.add_sample(sample_name, {"target": target, **sample_labels}, item.value)
    yield from families.values()


def _alerts_family(alerts: Iterable[AlertView]) -> Metric:
    family = Metric("dutyroom_alerts", "active dutyroom alerts, as Prometheus's ALERTS (1 per alert)", "gauge")
    for alert in alerts:
        if alert.phase not in (AlertPhase.PENDING, AlertPhase.FIRING):
            continue
        labels = {label_name(key, ALERT_LABELS): value for key, value in alert.labels}
        labels |= {"alertname": alert.rule, "target": alert.target, "group": alert.group}
        labels |= {"severity": alert.severity, "alertstate": alert_state(alert)}
        family.add_sample("dutyroom_alerts", labels, 1.0)
    return family


def _self_families(own: SelfMetrics) -> Iterator[Metric]:
    polls = Metric("dutyroom_poll_duration_seconds", "time spent polling, per collector kind", "summary")
    errors = Metric("dutyroom_poll_errors", "failed polls, per collector kind and failure state", "counter")
    for kind, counts in sorted(own.kinds.items()):
        polls.add_sample("dutyroom_poll_duration_seconds_count", {"kind": kind}, float(counts.polls))
        polls.add_sample("dutyroom_poll_duration_seconds_sum", {"kind": kind}, counts.seconds)
        for state, count in sorted(counts.errors.items()):
            errors.add_sample("dutyroom_poll_errors_total", {"kind": kind, "state": state}, float(count))
    yield polls
    yield errors
    store = Metric("dutyroom_store_errors", "batches whose state could not be saved to the store", "counter")
    store.add_sample("dutyroom_store_errors_total", {}, float(own.store_errors))
    yield store
    reload_ok = Metric("dutyroom_config_last_reload_successful", "1 when the last reload succeeded", "gauge")
    reload_ok.add_sample("dutyroom_config_last_reload_successful", {}, 1.0 if own.reload_ok else 0.0)
    yield reload_ok
    name = "dutyroom_config_last_reload_success_timestamp_seconds"
    reload_at = Metric(name, "when the configuration in force was loaded", "gauge")
    reload_at.add_sample(name, {}, own.reload_ok_at)
    yield reload_at
    name = "dutyroom_heartbeat_timestamp_seconds"
    heartbeat = Metric(name, "when the poller last finished a batch", "gauge")
    heartbeat.add_sample(name, {}, own.heartbeat_at)
    yield heartbeat


def start_exporter(settings: Exporter, base_dir: Path, collector: ExportCollector) -> tuple[WSGIServer, Thread, int]:
    """Serve `/metrics` as `settings` say (checked by the config loader); port 0 picks a free one.

    A port in use, a bad certificate or an unreadable password raises ListenError, one line naming the address.
    """
    listen = settings.listen
    address = f"{'https' if settings.tls_server_config else 'http'} {listen}"
    host, _, port_text = listen.rpartition(":")
    host = host.strip("[]")
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    try:
        tls = tls_context(settings.tls_server_config, base_dir) if settings.tls_server_config else None
        users = {name: resolve_secret(secret, base_dir).value for name, secret in settings.basic_auth_users.items()}
        return serve_metrics(host, int(port_text), registry, tls, users)
    except SecretError as error:
        raise ListenError("Prometheus exporter", address, OSError(str(error))) from None
    except OSError as error:  # ssl.SSLError too: a certificate that does not load
        raise ListenError("Prometheus exporter", address, error) from error
