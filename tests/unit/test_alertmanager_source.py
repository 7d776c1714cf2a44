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


def test_summary_and_description_ride_beside_the_labels_cleaned_and_bounded() -> None:
    listed = [
        {
            "labels": {"alertname": "DiskFilling", "instance": "db1"},
            "annotations": {
                "summary": "Disk /var on db1 will fill in 4h\x1b[31m",
                "description": "free space falls\nby 2 GiB an hour " + "x" * 5_000,
                "dashboard": "https://grafana/d/disk",
            },
            "status": {"inhibitedBy": []},
        }
    ]
    [sample] = alert_samples(listed, "firm-am", 100.0)
    annotations = dict(sample.annotations)
    assert annotations["summary"] == "Disk /var on db1 will fill in 4h\\x1b[31m"
    assert annotations["description"].startswith("free space falls by 2 GiB an hour xxx")
    assert len(annotations["description"]) == 1_000 + len("…")
    assert annotations["description"].endswith("…")
    assert set(annotations) == {"summary", "description"}
    assert sample.labels == (("alertname", "DiskFilling"), ("instance", "db1"))


def test_an_alert_without_annotations_has_none() -> None:
    [sample] = alert_samples([{"labels": {"alertname": "Bare"}}], "firm-am", 100.0)
    assert sample.annotations == ()


def test_the_same_alert_with_new_annotation_text_is_the_same_series() -> None:
    def listed(summary: str) -> list[dict[str, object]]:
        return [{"labels": {"alertname": "DiskFilling"}, "annotations": {"summary": summary}}]

    [first] = alert_samples(listed("will fill in 4h"), "firm-am", 100.0)
    [second] = alert_samples(listed("will fill in 3h"), "firm-am", 110.0)
    assert first.labels == second.labels
    assert (first.annotations, second.annotations) == (
        (("summary", "will fill in 4h"),),
        (("summary", "will fill in 3h"),),
    )


async def test_an_alert_no_longer_listed_ends_with_the_words_it_last_had() -> None:
    pages = [
        [{"labels": {"alertname": "DiskFilling"}, "annotations": {"summary": "will fill in 4h"}}],
        [],
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages.pop(0))

    spec = AlertmanagerSourceSpec("firm-am", "http://am.invalid:9093", 1.0, 2.0)
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        collector = AlertmanagerSourceCollector(spec, client)
        listed, gone = await collector.poll(), await collector.poll()
    assert [sample.value for sample in listed.samples + gone.samples] == [1.0, 0.0]
    assert gone.samples[0].annotations == (("summary", "will fill in 4h"),)


@pytest.mark.parametrize("site", ["SZ core", "SH DR"])
def test_alerts_a_dutyroom_sent_are_left_out_whichever_site_sent_them(site: str) -> None:
    """This room's own come back otherwise as new alerts (a loop); another site's are that site's to show."""
    listed = [
        {"labels": {"alertname": "ups-on-battery", "site": site, "dutyroom_site": site}, "status": {}},
        {"labels": {"alertname": "HighLatency", "site": site}, "status": {}},
    ]
    [sample] = alert_samples(listed, "firm-am", 100.0)
    assert dict(sample.labels)["alertname"] == "HighLatency"
