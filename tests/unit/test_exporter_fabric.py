"""The exporter's names, units and series (issue 16 item 3), without a network: what a scrape would show."""

from __future__ import annotations

from dataclasses import replace

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from collectors.service.export_series import SeriesBook
from collectors.service.exporter import ExportCollector, ExportView
from collectors.service.metric_names import exposed
from dutyroom.model import Identity, PollResult, Sample, State
from dutyroom.operators.state import Ack
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

ALERT = AlertView(
    fingerprint="f1",
    rule="rack-hot",
    target="akcp-1",
    target_name="AKCP 1",
    group="env",
    labels=(("sensor", "1"),),
    phase=AlertPhase.FIRING,
    state=State.CRITICAL,
    severity="critical",
    value=41.0,
    value_at=1000.0,
    unit="C",
    reason="",
    since=900.0,
    fired_at=900.0,
    resolved_at=0.0,
    suppressed_by="",
    flapping=False,
    ack=None,
    silenced_by="",
    notes=(),
    escalated=False,
    playbook=None,
    summary="",
    drill=False,
)


@pytest.mark.parametrize(
    ("metric", "unit", "name", "factor", "counter"),
    [
        ("ups.runtime_min", "min", "dutyroom_ups_runtime_seconds", 60.0, False),
        ("ups.load_pct", "%", "dutyroom_ups_load_ratio", 0.01, False),
        ("gateway.latency_ms", "", "dutyroom_gateway_latency_seconds", 0.001, False),
        ("env.temperature_c", "C", "dutyroom_env_temperature_celsius", 1.0, False),
        ("pdu.power_kw", "kW", "dutyroom_pdu_power_watts", 1000.0, False),
        ("if.in_bps", "bit/s", "dutyroom_if_in_bits", 1.0, True),
        ("if.in_errors_rate", "/s", "dutyroom_if_in_errors", 1.0, True),
        ("if.speed_mbps", "Mbit/s", "dutyroom_if_speed_bits_per_second", 1e6, False),
        ("host.load5", "", "dutyroom_host_load5", 1.0, False),
        ("cooling.value", "C", "dutyroom_cooling_value_celsius", 1.0, False),
        ("cooling.value", "%", "dutyroom_cooling_value_ratio", 0.01, False),
    ],
)
def test_names_carry_one_base_unit(metric: str, unit: str, name: str, factor: float, counter: bool) -> None:
    family = exposed(metric, unit)
    assert (family.name, family.factor, family.counter) == (name, factor, counter)


def sample(target: str, metric: str, value: float, at: float, unit: str = "") -> Sample:
    return Sample(target, metric, value, at, unit=unit)


def test_a_rate_becomes_a_counter_that_rate_gives_back() -> None:
    book = SeriesBook()
    for at in (10.0, 20.0, 30.0):
        book.record(PollResult("sw", at, (sample("sw", "if.in_bps", 1000.0, at, "bit/s"),)))
    [(_, value)] = list(book.items())
    assert value.value == 20_000.0


def test_a_failed_poll_or_an_old_series_exports_nothing() -> None:
    book = SeriesBook()
    book.record(PollResult("sw", 10.0, (sample("sw", "if.util_in_pct", 50.0, 10.0, "%"),)))
    book.record(PollResult("gw", 10.0, (sample("gw", "gw.latency_ms", 5.0, 10.0),)))
    book.record(PollResult("sw", 11.0, failure=State.UNREACHABLE, reason="timeout"))
    assert [key[0] for key, _ in book.items()] == ["gw"]
    book.prune({"gw": 35.0}, 45.0)
    assert [key[0] for key, _ in book.items()] == ["gw"]
    book.prune({"gw": 35.0}, 46.0)
    assert list(book.items()) == []


def test_a_target_removed_by_reload_is_pruned() -> None:
    book = SeriesBook()
    book.record(PollResult("gw", 10.0, (sample("gw", "gw.latency_ms", 5.0, 10.0),)))
    book.prune({"other": 35.0}, 11.0)
    assert list(book.items()) == []


def scrape(view: ExportView) -> dict[str, list[tuple[dict[str, str], float]]]:
    collector = ExportCollector()
    collector.update(view)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    text = generate_latest(registry).decode()
    families = text_string_to_metric_families(text)
    return {family.name: [(sample.labels, sample.value) for sample in family.samples] for family in families}


def test_alerts_differing_by_a_sample_label_are_distinct_series_with_their_state() -> None:
    acked = Ack(Identity("li"), 950.0, "on it")
    alerts = [
        ALERT,
        replace(ALERT, fingerprint="f2", labels=(("sensor", "2"),), ack=acked),
        replace(ALERT, fingerprint="f3", target="akcp-2", suppressed_by="core-sw1"),
        replace(ALERT, fingerprint="f4", target="akcp-3", silenced_by="maint"),
        replace(ALERT, fingerprint="f5", target="akcp-4", phase=AlertPhase.PENDING),
        replace(ALERT, fingerprint="f6", target="akcp-5", phase=AlertPhase.RESOLVED),
    ]
    rows = scrape(ExportView(alerts=alerts))["dutyroom_alerts"]
    states = {(labels["target"], labels["sensor"]): labels["alertstate"] for labels, _ in rows}
    assert states == {
        ("akcp-1", "1"): "firing",
        ("akcp-1", "2"): "acknowledged",
        ("akcp-2", "1"): "suppressed",
        ("akcp-3", "1"): "silenced",
        ("akcp-4", "1"): "pending",
    }
    assert {labels["alertname"] for labels, _ in rows} == {"rack-hot"}
    assert set(rows[0][0]) == {"alertname", "target", "group", "severity", "alertstate", "sensor"}
