"""`dutyroom probe` and `dutyroom discover` against snmpsim serving the recorded devices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_probe_prints_decoded_metrics_as_json_lines(snmpsim_agent: SnmpsimAgent) -> None:
    url = f"snmp://apc_smt750x-nmc2@{snmpsim_agent.host}:{snmpsim_agent.port}"
    result = cli("probe", url, "--profile", "apc-ups", "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_metric = {line["metric"]: line for line in lines}
    # upsAdvBatteryRunTimeRemaining = 10976200 ticks in the recording: / 6000 = 1829.37 minutes
    assert by_metric["ups.runtime_min"]["value"] == pytest.approx(1829.37, abs=0.01)
    assert by_metric["ups.on_battery"]["value"] == 0
    assert {line["state"] for line in lines} == {"ok"}


def test_probe_reads_the_community_from_the_environment_and_reports_failure(snmpsim_agent: SnmpsimAgent) -> None:
    url = f"snmp://{snmpsim_agent.host}:{snmpsim_agent.port}"
    result = cli(
        "probe",
        url,
        "--profile",
        "ups-mib",
        "--community-env",
        "COMMUNITY",
        "--timeout",
        "0.5",
        "--retries",
        "0",
        env={"COMMUNITY": "no-such-device"},
    )
    assert result.returncode == 1
    assert "UNREACHABLE" in result.stderr or "UNKNOWN" in result.stderr
    assert "no-such-device" not in result.stderr


def test_discover_prints_a_stanza_that_loads(snmpsim_agent: SnmpsimAgent, tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    (tmp_path / "playbooks").mkdir()  # a room without playbooks: the suggested rules name none
    result = cli(
        "--config",
        str(config),
        "discover",
        f"{snmpsim_agent.host}:{snmpsim_agent.port}",
        "--community-env",
        "COMMUNITY",
        env={"COMMUNITY": "iosxe_asr920"},
    )
    assert result.returncode == 0, result.stderr
    document = tomllib.loads(result.stdout)
    (target,) = document["target"]
    assert (target["profile"], target["group"], target["kind"]) == ("if-mib", "links", "snmp")
    assert "Te0/0/25" in target["interfaces"]
    config.write_text('[site]\nname = "discovered"\n\n' + result.stdout)
    checked = cli("check", "--config", str(config))
    assert checked.returncode == 0, checked.stdout
