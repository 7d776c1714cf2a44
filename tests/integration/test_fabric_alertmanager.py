"""Issue 16 done-when 2, 3 and 5 with Debian's prometheus-alertmanager on loopback: `serve`'s alerts reach
Alertmanager with their labels and annotations and are resolved there after recovery, a suppressed child never
appears; with mirroring on a dutyroom silence becomes an Alertmanager silence and its expiry ends it; two serves
and a two-node Alertmanager cluster give one alert group for one failure."""

from __future__ import annotations

import json
import os
import pwd
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fabric import FAST_DEFAULTS, ORDER_GATEWAY_PLAYBOOK, Alertmanager, Gateway, Serve, Webhook, order_gateway
from waiting import wait_for

pytestmark = pytest.mark.integration

CONFIG = """\
[site]
name = "{site}"

{defaults}
attempts = 2

[alertmanager]
urls = [{urls}]
resend_interval = "2s"
runbook_url = "https://wiki.example/playbooks/{{playbook}}"
{extra}

[[target]]
id = "switch"
group = "links"
kind = "http"
url = "http://127.0.0.1:{switch_port}/health"
fields = {{ "switch.ports_up" = "ports_up" }}

{order_gateway}
[[rule]]
id = "target-down"
kind = "reachability"
"""


class Site:
    """One room watched by one serve: a switch and an order gateway behind it, both HTTP on loopback."""

    def __init__(self, workdir: Path, urls: list[str], switch: Gateway, oms: Gateway, extra: str = "") -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "playbooks" / "en").mkdir(parents=True)
        (workdir / "playbooks" / "en" / "oms-slow.md").write_text(ORDER_GATEWAY_PLAYBOOK)
        config = workdir / "checks.toml"
        quoted = ", ".join(f'"{url}"' for url in urls)
        config.write_text(
            CONFIG.format(
                site="SZ core",
                defaults=FAST_DEFAULTS,
                urls=quoted,
                extra=extra,
                switch_port=switch.port,
                order_gateway=order_gateway(
                    oms.port, target_extra='depends_on = ["switch"]\n', rule_extra='playbook = "oms-slow"\n'
                ),
            )
        )
        self.serve = Serve(config, workdir / "state", workdir / "serve.log")


@pytest.fixture
def gateways() -> Iterator[tuple[Gateway, Gateway]]:
    switch, oms = Gateway({"ports_up": 48}), Gateway({"latency_ms": 5})
    yield switch, oms
    for gateway in (switch, oms):
        gateway.close()


@pytest.fixture
def alertmanager(tmp_path: Path) -> Iterator[Alertmanager]:
    with Alertmanager(tmp_path / "alertmanager") as server:
        yield server


def by_name(alerts: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(alert["labels"]["alertname"], alert["labels"]["target"]): alert for alert in alerts}


def test_alerts_reach_alertmanager_resolve_there_and_suppressed_children_never_do(
    tmp_path: Path, gateways: tuple[Gateway, Gateway], alertmanager: Alertmanager
) -> None:
    switch, oms = gateways
    site = Site(tmp_path / "room", [alertmanager.url], switch, oms)
    try:
        oms.values["latency_ms"] = 500
        wait_for(lambda: ("oms-slow", "oms") in by_name(alertmanager.alerts()), "oms-slow in Alertmanager", 60)
        alert = by_name(alertmanager.alerts())["oms-slow", "oms"]
        assert alert["labels"] == {
            "alertname": "oms-slow",
            "target": "oms",
            "site": "SZ core",
            "group": "trading",
            "severity": "critical",
            "dutyroom_site": "SZ core",
        }
        assert alert["annotations"]["playbook"] == "Order gateway slow"
        assert alert["annotations"]["runbook_url"] == "https://wiki.example/playbooks/oms-slow"
        assert alert["annotations"]["value"] == "500.0"
        assert alert["annotations"]["summary"]
        oms.values["latency_ms"] = 5
        wait_for(lambda: ("oms-slow", "oms") not in by_name(alertmanager.alerts()), "oms-slow resolved", 30)

        seen: set[tuple[str, str]] = set()

        def switch_alert_with_its_child() -> bool:
            found = by_name(alertmanager.alerts())
            seen.update(found)
            alert = found.get(("target-down", "switch"))
            return alert is not None and "target-down on oms" in alert["annotations"].get("suppressed_alerts", "")

        switch.answering = oms.answering = False  # the switch is down, and so the gateway behind it is unreachable
        wait_for(switch_alert_with_its_child, "the switch's alert naming the alert it suppresses", 60)
        deadline = time.monotonic() + 5  # the child stays suppressed for several resend intervals
        while time.monotonic() < deadline:
            seen.update(by_name(alertmanager.alerts()))
            time.sleep(0.5)
        assert ("target-down", "oms") not in seen
    finally:
        site.serve.stop()
    assert "Traceback" not in site.serve.output()


def test_mirrored_silence_follows_dutyroom_and_an_ack_becomes_a_short_silence(
    tmp_path: Path, gateways: tuple[Gateway, Gateway], alertmanager: Alertmanager
) -> None:
    switch, oms = gateways
    mirror = 'mirror_silences = true\nack_silence_for = "1m"'
    site = Site(tmp_path / "room", [alertmanager.url], switch, oms, extra=mirror)
    me = pwd.getpwuid(os.geteuid()).pw_name

    def mirrored(comment: str) -> list[dict[str, Any]]:
        return [item for item in alertmanager.silences() if item["comment"].startswith(comment)]

    try:
        oms.values["latency_ms"] = 500
        wait_for(lambda: ("oms-slow", "oms") in by_name(alertmanager.alerts()), "oms-slow in Alertmanager", 60)
        silenced = site.serve.cli("silence", "--target", "oms", "--for", "5s", "-m", "gateway vendor patching")
        assert silenced.returncode == 0, silenced.stderr
        wait_for(lambda: bool(mirrored("gateway vendor patching")), "the mirrored silence", 30)
        [silence] = mirrored("gateway vendor patching")
        assert silence["createdBy"] == me
        assert silence["status"]["state"] == "active"
        matchers = {item["name"]: item["value"] for item in silence["matchers"]}
        assert matchers == {"target": "oms", "site": "SZ core"}
        wait_for(lambda: bool(by_name(alertmanager.alerts())["oms-slow", "oms"]["status"]["silencedBy"]), "silenced")
        wait_for(lambda: mirrored("gateway vendor patching")[0]["status"]["state"] == "expired", "its expiry", 30)

        listed = site.serve.cli("alerts", "--json")
        fingerprint = next(
            item["fingerprint"] for item in json.loads(listed.stdout)["alerts"] if item["target"] == "oms"
        )
        acked = site.serve.cli("ack", fingerprint, "-m", "looking at the queue")
        assert acked.returncode == 0, acked.stderr
        wait_for(lambda: bool(mirrored("looking at the queue")), "the ack's silence", 30)
        [ack_silence] = mirrored("looking at the queue")
        assert {item["name"]: item["value"] for item in ack_silence["matchers"]} == {
            "alertname": "oms-slow",
            "target": "oms",
            "site": "SZ core",
            "group": "trading",
            "severity": "critical",
            "dutyroom_site": "SZ core",
        }
        assert ack_silence["createdBy"] == me
        oms.values["latency_ms"] = 5  # recovery clears the ack, and the ack's silence goes with it
        wait_for(lambda: mirrored("looking at the queue")[0]["status"]["state"] == "expired", "the ack's end", 30)
    finally:
        site.serve.stop()
    assert "Traceback" not in site.serve.output()


def test_two_serves_and_a_two_node_cluster_give_one_group_and_one_notification(
    tmp_path: Path, gateways: tuple[Gateway, Gateway]
) -> None:
    switch, oms = gateways
    webhook = Webhook()
    first = Alertmanager(tmp_path / "am-1", receiver_url=webhook.url)
    second = Alertmanager(tmp_path / "am-2", peers=[first.peer_address], receiver_url=webhook.url)
    sites: list[Site] = []
    try:
        wait_for(lambda: first.cluster_peers() == 2 and second.cluster_peers() == 2, "the two-node cluster", 30)
        urls = [first.url, second.url]
        sites = [Site(tmp_path / name, urls, switch, oms) for name in ("main-room", "dr-room")]
        oms.values["latency_ms"] = 500

        def firing_notifications() -> list[dict[str, Any]]:
            return [item for item in webhook.notifications if item["status"] == "firing"]

        wait_for(lambda: bool(firing_notifications()), "a notification", 60)
        for manager in (first, second):
            wait_for(lambda manager=manager: bool(manager.groups()), "the group on each node", 30)
            groups = manager.groups()
            assert [len(group["alerts"]) for group in groups] == [1]
            assert groups[0]["labels"] == {"alertname": "oms-slow", "site": "SZ core"}
        time.sleep(4)  # two group intervals: a duplicate from the other node would have arrived by now
        notified = firing_notifications()
        assert len(notified) == 1
        assert [alert["labels"]["target"] for alert in notified[0]["alerts"]] == ["oms"]
        assert all(site.serve.process.poll() is None for site in sites)
    finally:
        for site in sites:
            site.serve.stop()
        second.stop()
        first.stop()
        webhook.close()
