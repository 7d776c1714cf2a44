"""Issue 16 done-when 4: an alert raised by a Prometheus alerting rule, routed to Alertmanager, is read back by a
`kind = "alertmanager"` target: it shows in dutyroom's list (what the console shows: `alerts --json` reads the
same views) with the playbook its rule maps by `alertname` and the summary and description its rule wrote, and
an ack there creates the Alertmanager silence. An alert whose words change (a template's value) stays the one
alert it was."""

from __future__ import annotations

import json
import os
import pwd
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fabric import ORDER_GATEWAY_PLAYBOOK, Alertmanager, Prometheus, Serve, free_port
from waiting import wait_for

pytestmark = pytest.mark.integration

RULES = {
    "groups": [
        {
            "name": "firm",
            "interval": "1s",
            "rules": [
                {
                    "alert": "OrderGatewaySlow",
                    "expr": "vector(1)",
                    "labels": {"severity": "critical", "service": "oms"},
                    "annotations": {
                        "runbook_url": "https://wiki.example/oms-slow",
                        "summary": "p99 above 100 ms",
                        "description": "the gateway answers slowly: value {{ $value }}",
                    },
                }
            ],
        }
    ]
}

CONFIG = """\
[site]
name = "SZ core"

[defaults]
interval = "1s"
timeout = "500ms"
retries = 0

[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "{url}"

[[rule]]
id = "firm-oms-slow"
metric = "alertmanager.alert"
labels = {{ alertname = "OrderGatewaySlow" }}
warning = ">= 1"
critical = ">= 2"
playbook = "oms-slow"
"""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[Prometheus, Alertmanager]]:
    alertmanager = Alertmanager(tmp_path / "alertmanager")
    rules = tmp_path / "rules.yml"
    rules.write_text(json.dumps(RULES))
    extra_global = {"evaluation_interval": "1s"}
    prometheus = Prometheus(
        tmp_path / "prometheus",
        [f"127.0.0.1:{free_port()}"],
        alerting={"alertmanagers": [{"static_configs": [{"targets": [f"127.0.0.1:{alertmanager.port}"]}]}]},
        rule_files=[str(rules)],
        global_extra=extra_global,
    )
    yield prometheus, alertmanager
    prometheus.stop()
    alertmanager.stop()


def write_room(room: Path, alertmanager: Alertmanager) -> Serve:
    (room / "playbooks" / "en").mkdir(parents=True)
    (room / "playbooks" / "en" / "oms-slow.md").write_text(
        ORDER_GATEWAY_PLAYBOOK.replace('rules = ["oms-slow"]', 'rules = ["firm-oms-slow"]')
    )
    (room / "checks.toml").write_text(CONFIG.format(url=alertmanager.url))
    return Serve(room / "checks.toml", room / "state", room / "serve.log")


def listed_alerts(serve: Serve, phase: str = "firing") -> list[dict[str, Any]]:
    """`firm-oms-slow` alerts in `phase` as `dutyroom alerts --json` lists them ([] before serve has a store)."""
    assert serve.process.poll() is None, serve.output()
    result = serve.cli("alerts", "--json")
    if result.returncode != 0:
        return []
    alerts: list[dict[str, Any]] = json.loads(result.stdout)["alerts"]
    return [alert for alert in alerts if alert["rule"] == "firm-oms-slow" and alert["phase"] == phase]


def test_a_prometheus_alert_shows_with_its_playbook_and_an_ack_silences_it_there(
    tmp_path: Path, stack: tuple[Prometheus, Alertmanager]
) -> None:
    _, alertmanager = stack
    serve = write_room(tmp_path / "room", alertmanager)

    def listed() -> list[dict[str, Any]]:
        return listed_alerts(serve)

    try:
        wait_for(lambda: bool(listed()), "the Prometheus alert in dutyroom's list", 90)
        [alert] = listed()
        assert alert["playbook"] == "oms-slow"
        assert alert["summary"] == "p99 above 100 ms"
        assert alert["description"] == "the gateway answers slowly: value 1"
        assert alert["severity"] == "critical"
        assert alert["target"] == "firm-am"
        acked = serve.cli("ack", alert["fingerprint"], "-m", "restarting the gateway's second leg")
        assert acked.returncode == 0, acked.stderr

        def made() -> list[dict[str, Any]]:
            return [
                item
                for item in alertmanager.silences()
                if item["comment"].startswith("restarting the gateway's second leg")
                and item["status"]["state"] == "active"
            ]

        wait_for(lambda: bool(made()), "the Alertmanager silence made by the ack", 30)
        [silence] = made()
        assert silence["createdBy"] == pwd.getpwuid(os.geteuid()).pw_name
        matchers = {item["name"]: item["value"] for item in silence["matchers"]}
        assert matchers == {"alertname": "OrderGatewaySlow", "severity": "critical", "service": "oms"}
        wait_for(lambda: any(item["status"]["silencedBy"] for item in alertmanager.alerts()), "the alert silenced")
        assert [item["fingerprint"] for item in listed()] == [alert["fingerprint"]]
    finally:
        serve.stop()
    assert "Traceback" not in serve.output()


def test_new_words_for_a_posted_alert_replace_the_old_under_the_same_fingerprint(tmp_path: Path) -> None:
    """A sender re-posting an alert with new text (what a templated annotation does at every evaluation): the
    list shows the new words on the alert it already had, still firing, and no second alert."""
    alertmanager = Alertmanager(tmp_path / "alertmanager")
    serve = write_room(tmp_path / "room", alertmanager)
    labels = {"alertname": "OrderGatewaySlow", "service": "oms", "severity": "warning"}

    def post(summary: str) -> None:
        alert = {"labels": labels, "annotations": {"summary": summary, "description": "seen by the test sender"}}
        httpx.post(f"{alertmanager.url}/api/v2/alerts", json=[alert], timeout=10).raise_for_status()

    def summaries() -> list[str]:
        return [alert["summary"] for alert in listed_alerts(serve)]

    try:
        post("p99 at 140 ms")
        wait_for(lambda: summaries() == ["p99 at 140 ms"], "the posted alert with its summary in dutyroom's list", 60)
        [first] = listed_alerts(serve)
        assert first["description"] == "seen by the test sender"
        post("p99 at 180 ms")
        wait_for(lambda: summaries() == ["p99 at 180 ms"], "the new summary on the same alert", 60)
        [second] = listed_alerts(serve)
        assert (second["fingerprint"], second["since"]) == (first["fingerprint"], first["since"])
        assert not second["flapping"]
        assert listed_alerts(serve, "resolved") == []
    finally:
        serve.stop()
        alertmanager.stop()
    assert "Traceback" not in serve.output()
