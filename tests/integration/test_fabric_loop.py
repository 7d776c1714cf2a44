"""Issue 16, the fabric without a loop: one Alertmanager that is both a room's source (`kind = "alertmanager"`)
and its destination (`[alertmanager] urls`), as when a firm has only one. An alert posted there from outside
is listed once in dutyroom and never posted back; dutyroom's own alerts go there marked and are never read
back; an alert another dutyroom site sent there (marked with that site) is that site's, not listed here.
Debian's prometheus-alertmanager and a real `serve` on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from fabric import FAST_DEFAULTS, Alertmanager, Gateway, Serve, order_gateway
from waiting import state_not_made_yet, wait_for

pytestmark = pytest.mark.integration

CONFIG = """\
[site]
name = "SZ core"

{defaults}
[alertmanager]
urls = ["{url}"]
resend_interval = "1s"

[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "{url}"

{order_gateway}
[[rule]]
id = "firm-any"
metric = "alertmanager.alert"
warning = ">= 1"
critical = ">= 2"
"""
"""`firm-any` maps every alert the Alertmanager lists, the widest a room can read it: nothing escapes a loop."""

OUTSIDE = {"alertname": "OrderGatewaySlow", "service": "oms", "severity": "critical"}
"""An alert the firm's Prometheus raised."""
OTHER_SITE = {
    "alertname": "ups-on-battery",
    "target": "ups-a",
    "site": "SH DR",
    "group": "power",
    "severity": "critical",
    "dutyroom_site": "SH DR",
}
"""An alert as another dutyroom site's serve posts it to the same Alertmanager."""
RESENDS_WATCHED = 4


@pytest.fixture
def alertmanager(tmp_path: Path) -> Iterator[Alertmanager]:
    with Alertmanager(tmp_path / "alertmanager") as server:
        yield server


@pytest.fixture
def oms() -> Iterator[Gateway]:
    with closing(Gateway({"latency_ms": 500})) as gateway:
        yield gateway


def listed(serve: Serve) -> list[dict[str, Any]]:
    """Every alert `dutyroom alerts --json` lists, whatever its phase ([] before serve has made its state)."""
    assert serve.process.poll() is None, serve.output()
    result = serve.cli("alerts", "--json")
    if result.returncode != 0:
        assert state_not_made_yet(result.stderr), result.stderr
        return []
    alerts: list[dict[str, Any]] = json.loads(result.stdout)["alerts"]
    return alerts


def label_sets(alertmanager: Alertmanager) -> list[dict[str, str]]:
    return sorted((alert["labels"] for alert in alertmanager.alerts()), key=lambda labels: sorted(labels.items()))


def test_one_alertmanager_as_source_and_destination_holds_each_alert_once(
    tmp_path: Path, alertmanager: Alertmanager, oms: Gateway
) -> None:
    for labels in (OUTSIDE, OTHER_SITE):
        alert = {"labels": labels, "annotations": {"summary": "posted by the test"}}
        httpx.post(f"{alertmanager.url}/api/v2/alerts", json=[alert], timeout=10).raise_for_status()
    held_before = label_sets(alertmanager)
    room = tmp_path / "room"
    (room / "playbooks" / "en").mkdir(parents=True)
    config = CONFIG.format(defaults=FAST_DEFAULTS, url=alertmanager.url, order_gateway=order_gateway(oms.port))
    (room / "checks.toml").write_text(config)
    serve = Serve(room / "checks.toml", room / "state", room / "serve.log")
    own = {
        "alertname": "oms-slow",
        "target": "oms",
        "site": "SZ core",
        "group": "trading",
        "severity": "critical",
        "dutyroom_site": "SZ core",
    }
    updates: set[str] = set()

    def own_alert_resent() -> bool:
        """True once Alertmanager took dutyroom's own alert RESENDS_WATCHED times (each post moves `updatedAt`)."""
        for alert in alertmanager.alerts():
            if (alert["labels"]["alertname"], alert["labels"].get("target")) == ("oms-slow", "oms"):
                updates.add(alert["updatedAt"])
        return len(updates) >= RESENDS_WATCHED

    try:
        wait_for(lambda: any(alert["rule"] == "firm-any" for alert in listed(serve)), "the outside alert listed", 60)
        wait_for(own_alert_resent, f"dutyroom's own alert posted {RESENDS_WATCHED} times", 60)
        expected = sorted([*held_before, own], key=lambda labels: sorted(labels.items()))
        assert label_sets(alertmanager) == expected
        from_source = [alert for alert in listed(serve) if alert["target"] == "firm-am"]
        assert [(alert["rule"], alert["labels"]) for alert in from_source] == [("firm-any", OUTSIDE)]
        assert from_source[0]["phase"] == "firing"
    finally:
        serve.stop()
    assert "Traceback" not in serve.output()
