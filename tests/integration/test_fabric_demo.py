"""Issue 16 done-when 2 on the demo room itself: `dutyroom demo --headless` with an `[alertmanager]` table sends
the scripted incident's alerts to Debian's Alertmanager with their labels and annotations, resolves them there
once mains is back, and never sends the alerts that the failed UPS A suppresses."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from demo_harness import PROJECT, DemoRun, start_demo
from fabric import Alertmanager
from test_demo_scenario import BEHIND_UPS_A, CLOCK_SPEED, RUN_SECONDS

from tui.demo.scenario import INCIDENT_LENGTH_S

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=80)]


@pytest.fixture
def alertmanager(tmp_path: Path) -> Iterator[Alertmanager]:
    server = Alertmanager(tmp_path / "alertmanager")
    yield server
    server.stop()


def demo_room_sending_to(url: str, directory: Path) -> Path:
    """The demo room's checks.toml with an [alertmanager] table (its calendar path made absolute)."""
    document: dict[str, Any] = tomllib.loads((PROJECT / "checks.toml").read_text(encoding="utf-8"))
    document["site"]["calendar"] = str(PROJECT / document["site"]["calendar"])
    document["alertmanager"] = {"urls": [url], "resend_interval": "2s", "runbook_url": "https://wiki/{playbook}"}
    path = directory / "checks.toml"
    path.write_text(tomli_w.dumps(document))
    return path


def test_the_demo_incident_pages_once_per_root_cause_and_resolves(tmp_path: Path, alertmanager: Alertmanager) -> None:
    config = demo_room_sending_to(alertmanager.url, tmp_path)
    arguments = ["--config", str(config), "--playbooks", str(PROJECT / "playbooks")]
    run: DemoRun = start_demo(
        tmp_path / "state", *arguments, "--clock-speed", str(CLOCK_SPEED), "--seconds", str(RUN_SECONDS)
    )
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        deadline = time.monotonic() + INCIDENT_LENGTH_S / CLOCK_SPEED + 30
        while time.monotonic() < deadline and run.process.poll() is None:
            run.observe()
            for alert in alertmanager.alerts():
                seen[alert["labels"]["alertname"], alert["labels"]["target"]] = alert
            if ("ups-on-battery", "ups-a") in seen and not alertmanager.alerts():
                break  # it fired and everything has resolved since
            time.sleep(1.0)
    finally:
        status = run.stop()
    assert status == 0, run.output()
    on_battery = seen["ups-on-battery", "ups-a"]
    assert on_battery["labels"]["severity"] == "critical"
    assert on_battery["labels"]["site"]
    assert on_battery["annotations"]["runbook_url"].startswith("https://wiki/")
    assert on_battery["annotations"]["playbook"]
    assert all(run.fired(*key) for key in BEHIND_UPS_A), "the suppressed children fired in dutyroom"
    assert not set(BEHIND_UPS_A) & set(seen), sorted(seen)
    assert alertmanager.alerts() == [], "every alert resolved in Alertmanager once mains was back"
