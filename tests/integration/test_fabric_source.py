"""Issue 16 done-when 4: an alert raised by a Prometheus alerting rule, routed to Alertmanager, is read back by a
`kind = "alertmanager"` target: it shows in dutyroom's list (what the console shows: `alerts --json` reads the
same views) with the playbook its rule maps by `alertname`, and an ack there creates the Alertmanager silence."""

from __future__ import annotations

import json
import os
import pwd
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fabric import Alertmanager, Prometheus, Serve, free_port
from test_fabric_alertmanager import PLAYBOOK
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
                    "annotations": {"runbook_url": "https://wiki.example/oms-slow", "summary": "p99 above 100 ms"},
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


def test_a_prometheus_alert_shows_with_its_playbook_and_an_ack_silences_it_there(
    tmp_path: Path, stack: tuple[Prometheus, Alertmanager]
) -> None:
    _, alertmanager = stack
    room = tmp_path / "room"
    (room / "playbooks" / "en").mkdir(parents=True)
    (room / "playbooks" / "en" / "oms-slow.md").write_text(
        PLAYBOOK.replace('rules = ["oms-slow"]', 'rules = ["firm-oms-slow"]')
    )
    (room / "checks.toml").write_text(CONFIG.format(url=alertmanager.url))
    serve = Serve(room / "checks.toml", room / "state", room / "serve.log")

    def listed() -> list[dict[str, Any]]:
        assert serve.process.poll() is None, serve.output()
        result = serve.cli("alerts", "--json")
        if result.returncode != 0:
            return []
        alerts: list[dict[str, Any]] = json.loads(result.stdout)["alerts"]
        return [alert for alert in alerts if alert["rule"] == "firm-oms-slow" and alert["phase"] == "firing"]

    try:
        wait_for(lambda: bool(listed()), "the Prometheus alert in dutyroom's list", 90)
        [alert] = listed()
        assert alert["playbook"] == "oms-slow"
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
