"""An Alertmanager's alert list as samples, and acks of them as silences there (issue 16 item 4)."""

from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest
from test_alertmanager_outbox import FIRING

from collectors.alertmanager_source import AlertmanagerSourceCollector, AlertmanagerSourceSpec, alert_samples
from collectors.service.alertmanager.source_acks import wanted_source_silences
from dutyroom.model import Identity, State
from dutyroom.operators.state import Ack
from dutyroom.rules.alert import AlertPhase

LISTED = [
    {
        "labels": {"alertname": "HighLatency", "severity": "critical", "job": "oms"},
        "annotations": {"runbook_url": "https://wiki/high-latency", "summary": "slow"},
        "status": {"state": "active", "inhibitedBy": [], "silencedBy": []},
    },
    {"labels": {"alertname": "DiskFilling", "severity": "warning"}, "status": {"inhibitedBy": []}},
    {"labels": {"alertname": "BehindTheSwitch"}, "status": {"inhibitedBy": ["abc"]}},
    {"labels": {"alertname": "Hostile\x1b[31m"}, "status": {}},
]


def test_alerts_become_samples_by_severity_and_inhibited_ones_are_left_out() -> None:
    samples = alert_samples(LISTED, "firm-am", 100.0)
    values = {dict(sample.labels)["alertname"]: sample.value for sample in samples}
    assert values == {"HighLatency": 2.0, "DiskFilling": 1.0, "Hostile\\x1b[31m": 1.0}
    assert ("runbook_url", "https://wiki/high-latency") in samples[0].labels
    assert all(sample.metric == "alertmanager.alert" for sample in samples)


@pytest.mark.parametrize("document", [{"alerts": []}, [{"labels": "x"}], ["x"]])
def test_anything_but_an_alert_list_is_refused(document: object) -> None:
    with pytest.raises(ValueError, match="not an Alertmanager alert list"):
        alert_samples(document, "firm-am", 100.0)


def test_an_ack_of_a_source_alert_is_a_silence_of_its_own_labels() -> None:
    labels = (("alertname", "HighLatency"), ("runbook_url", "https://wiki/x"), ("severity", "critical"))
    view = replace(FIRING, target="firm-am", labels=labels, ack=Ack(Identity("wang"), 100.0, "on it", action_id=4))
    wanted = wanted_source_silences([view], {"firm-am": "http://am:9093"}, 150.0)
    [silence] = wanted["http://am:9093"].values()
    assert silence.matchers == (("alertname", "HighLatency"), ("severity", "critical"))
    assert (silence.created_by, silence.comment, silence.ends_at) == ("wang", "on it", 100.0 + 24 * 3600)
    resolved = replace(view, phase=AlertPhase.RESOLVED)
    assert wanted_source_silences([resolved], {"firm-am": "http://am:9093"}, 150.0) == {"http://am:9093": {}}


async def test_an_alertmanager_nobody_answers_for_is_unreachable_with_a_reason_a_person_reads() -> None:
    with socket.socket() as closed:  # a loopback port bound and never listened on: connecting is refused
        closed.bind(("127.0.0.1", 0))
        spec = AlertmanagerSourceSpec("firm-am", f"http://127.0.0.1:{closed.getsockname()[1]}", 1.0, 2.0)
        async with httpx.AsyncClient() as client:
            result = await AlertmanagerSourceCollector(spec, client).poll()
    assert (result.failure, result.reason) == (State.UNREACHABLE, "connection refused")
