"""Issue 16 done-when 4 in the console itself: Debian's prometheus fires an alerting rule, its Alertmanager holds
the alert, a real `serve` reads it through a `kind = "alertmanager"` target, and the console (tmux, 80x24) on
that serve shows the alert with the playbook its rule maps by `alertname` and the alert's runbook link (at
120x40 also its labels and the summary the alerting rule wrote, which comes before the dutyroom rule's); an ack
typed there is audited under this user and becomes the Alertmanager silence that holds the alert, with the
comment and the alert's labels as matchers. An Alertmanager that cannot be reached says why."""

from __future__ import annotations

import json
import os
import pwd
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tmux import Tmux

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))  # the fabric's processes

from fabric import Alertmanager, Prometheus, Serve, free_port
from waiting import wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=60),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]
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
summary = "Order gateway p99 high (firm Prometheus)"

[[rule]]
id = "source-down"
kind = "reachability"
targets = ["firm-am"]
"""
PLAYBOOK = """\
+++
id = "oms-slow"
lang = "en"
title = "Order gateway slow"
severity = "critical"
kind = "incident"
applies_to = { rules = ["firm-oms-slow"] }
+++

# Order gateway slow

## Steps

1. Drain the gateway's second leg.
2. Call the exchange desk.
"""
COMMENT = "draining the second leg"
ME = pwd.getpwuid(os.geteuid()).pw_name
"""The console's user, as the kernel names it to serve."""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Alertmanager]:
    """Prometheus firing `OrderGatewaySlow` into its own Alertmanager, both on loopback."""
    alertmanager = Alertmanager(tmp_path / "alertmanager")
    rules = tmp_path / "rules.yml"
    rules.write_text(json.dumps(RULES))
    try:
        prometheus = Prometheus(
            tmp_path / "prometheus",
            [f"127.0.0.1:{free_port()}"],
            alerting={"alertmanagers": [{"static_configs": [{"targets": [f"127.0.0.1:{alertmanager.port}"]}]}]},
            rule_files=[str(rules)],
            global_extra={"evaluation_interval": "1s"},
        )
    except BaseException:
        alertmanager.stop()
        raise
    yield alertmanager
    prometheus.stop()
    alertmanager.stop()


def console(serve: Serve) -> str:
    argv = [sys.executable, "-m", "tui.cli.main", *serve.args(), "--no-remote", "--no-bell", "--lang", "en"]
    return f"cd {shlex.quote(str(ROOT))} && TERM=xterm-256color {shlex.join(argv)}"


def room(directory: Path, url: str) -> Serve:
    (directory / "playbooks" / "en").mkdir(parents=True)
    (directory / "playbooks" / "en" / "oms-slow.md").write_text(PLAYBOOK)
    (directory / "checks.toml").write_text(CONFIG.format(url=url))
    return Serve(directory / "checks.toml", directory / "state", directory / "serve.log")


def test_a_prometheus_alert_in_the_console_with_its_playbook_and_an_ack_silences_it(
    tmp_path: Path, stack: Alertmanager, tmux: Tmux
) -> None:
    alertmanager = stack
    serve = room(tmp_path / "room", alertmanager.url)
    try:
        wait_for(lambda: serving(serve), "serve to poll the room", 60)
        tmux.start("fabric", console(serve), 80, 24)
        tmux.wait_for("fabric", lambda s: bool(row(s)), "the Prometheus alert's row", 90)
        screen = tmux.screen("fabric")
        line = row(screen)
        assert line.startswith("! ✖ CRITICAL"), line  # unacknowledged critical: the eye, symbol and word
        assert "firm-am" in line
        assert "firing" in line.split(), line  # the value as a word, not the severity code Alertmanager's 2 is
        pane = playbook_pane(screen)
        assert pane[0] == "Order gateway slow", screen
        assert "Runbook: https://wiki.example/oms-slow" in pane, screen  # the alert's annotation, as a link
        assert "[ ]  1. Drain the gateway's second leg." in pane, screen
        assert "wiki.example" not in line, "the link is the pane's, not part of the target"

        tmux.start("wide", console(serve), 120, 40)  # room for the alert's labels and its summary
        tmux.wait_for("wide", lambda s: bool(row(s)), "the alert's row at 120x40", 60)
        wide = row(tmux.screen("wide"))
        assert "firm-am OrderGatewaySlow oms firm-oms-slow" in " ".join(wide.split()), wide
        assert "p99 above 100 ms" in wide, wide  # the Prometheus rule's words, not the room's general ones
        tmux.run("kill-session", "-t", "wide")

        tmux.keys("fabric", "a")
        tmux.wait_for("fabric", lambda s: "Comment" in s and "firm-am / firm-oms-slow" in s, "the ack dialog")
        tmux.text("fabric", COMMENT)
        tmux.keys("fabric", "Enter")
        tmux.wait_for("fabric", lambda s: f"ACK:{ME}" in row(s), "the ack on the alert's row", 30)
        acked = row(tmux.screen("fabric"))
        assert acked.startswith("  ✖ CRITICAL"), acked  # acknowledged: the eye is gone, the state stays

        [record] = audited_acks(serve)
        assert (record["user"], record["target"], record["rule"]) == (ME, "firm-am", "firm-oms-slow")
        assert record["detail"]["payload"]["comment"] == COMMENT

        wait_for(lambda: bool(silences(alertmanager)), "the Alertmanager silence made by the ack", 30)
        [silence] = silences(alertmanager)
        assert silence["createdBy"] == ME
        matchers = {item["name"]: (item["value"], item["isEqual"]) for item in silence["matchers"]}
        assert matchers == {
            "alertname": ("OrderGatewaySlow", True),
            "severity": ("critical", True),
            "service": ("oms", True),
        }
        wait_for(lambda: silenced_by(alertmanager) == [silence["id"]], "the alert silenced in Alertmanager", 30)
        assert f"ACK:{ME}" in row(tmux.screen("fabric")), "still listed, still acknowledged once silenced"
    finally:
        serve.stop()
    assert "Traceback" not in serve.output()


def test_an_alertmanager_that_cannot_be_reached_says_why_at_80x24(tmp_path: Path, tmux: Tmux) -> None:
    serve = room(tmp_path / "room", f"http://127.0.0.1:{free_port()}")  # nothing listens: connecting is refused
    try:
        wait_for(lambda: serving(serve), "serve to poll the room", 60)
        tmux.start("fabric", console(serve), 80, 24)
        down = "⊘ UNREACHABLE crit  firm-am"
        tmux.wait_for("fabric", lambda s: down in s and "source-down" in s, "the source's reachability alert", 60)
        assert "1 failing" in tmux.screen("fabric")
        tmux.keys("fabric", "Enter")  # the target's detail: the whole reason
        tmux.wait_for("fabric", lambda s: "Last error: connection refused" in s, "the reason in the detail")
        detail = tmux.screen("fabric")
        assert "⊘ UNREACHABLE  firm-am  (monitoring, alertmanager)" in detail, detail
        assert "No values yet." in detail, detail
        assert "no longer known" not in detail, detail
    finally:
        serve.stop()
    assert "Traceback" not in serve.output()


def serving(serve: Serve) -> bool:
    assert serve.process.poll() is None, serve.output()
    result = serve.cli("status", "--json")
    return bool(result.stdout) and json.loads(result.stdout).get("poller") == "alive"


def row(screen: str) -> str:
    """The alert list's line of the Prometheus alert ("" while it is not shown)."""
    return next((line for line in screen.splitlines() if "firm-oms-slow" in line and "CRITICAL" in line), "")


def playbook_pane(screen: str) -> list[str]:
    """The lines under the playbook pane's title bar: the mapped playbook's title, then its steps."""
    lines = screen.splitlines()
    title = next(index for index, line in enumerate(lines) if line.startswith("─Playbook"))
    return [line.rstrip() for line in lines[title + 1 :]]


def audited_acks(serve: Serve) -> list[dict[str, Any]]:
    result = serve.cli("audit", "list", "--json", "--kind", "ack")
    assert result.returncode == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def silenced_by(alertmanager: Alertmanager) -> list[str]:
    """The silences holding the Prometheus alert in Alertmanager."""
    [alert] = [item for item in alertmanager.alerts() if item["labels"]["alertname"] == "OrderGatewaySlow"]
    return list(alert["status"]["silencedBy"])


def silences(alertmanager: Alertmanager) -> list[dict[str, Any]]:
    return [
        item
        for item in alertmanager.silences()
        if item["comment"].startswith(COMMENT) and item["status"]["state"] == "active"
    ]
