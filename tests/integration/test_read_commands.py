"""Read commands never fake an all-clear: a missing state directory is a one-line error with nothing created,
and with the real `dutyroom serve` SIGKILLed, `status` exits 2 and `alerts` warns, says so in JSON and exits 2.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import wait_for

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CONFIG = """\
[site]
name = "read room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "disk-used"
metric = "host.disk_used_pct"
warning = ">= 0"
"""
READ_COMMANDS = [
    ["alerts"],
    ["alerts", "--json"],
    ["status"],
    ["status", "--json"],
    ["report", "--since", "2026-01-01"],
    ["handover"],
    ["handover", "--sign"],
    ["audit", "verify"],
    ["run", "list"],
]
ACT_COMMANDS = [
    ["ack", "0000deadbeef", "-m", "on site"],
    ["note", "0000deadbeef", "-m", "looked"],
    ["silence", "--target", "console", "--for", "1h", "-m", "maintenance"],
    ["step", "tick", "some-run", "1"],
]


def cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
        env=env,
    )


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    return path


@pytest.mark.parametrize("argv", READ_COMMANDS + ACT_COMMANDS, ids=" ".join)
def test_a_read_or_act_command_on_a_missing_state_directory_fails_in_one_line_and_creates_nothing(
    config: Path, argv: list[str]
) -> None:
    missing = config.parent / "typo" / "state"
    result = cli(argv[0], "--config", str(config), "--state", str(missing), *argv[1:])
    assert result.returncode != 0
    said = (result.stdout + result.stderr).strip()
    assert len(said.splitlines()) == 1, said
    assert f"state directory {missing} does not exist" in said
    assert "Traceback" not in said
    assert not (config.parent / "typo").exists()
    assert sorted(path.name for path in config.parent.iterdir()) == ["checks.toml", "playbooks"]


@pytest.mark.skipif(Path("/nonexistent").exists(), reason="/nonexistent exists on this machine")
def test_alerts_on_slash_nonexistent_exits_non_zero_and_creates_nothing(config: Path) -> None:
    result = cli("alerts", "--config", str(config), "--state", "/nonexistent")
    assert result.returncode == 1
    assert result.stderr.startswith("state directory /nonexistent does not exist")
    assert result.stdout == ""
    assert not Path("/nonexistent").exists()


def test_dutyroom_config_without_dutyroom_state_is_no_all_clear(config: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "DUTYROOM_STATE"}
    env["DUTYROOM_CONFIG"] = str(config)
    env["PYTHONPATH"] = str(ROOT)
    result = cli("alerts", cwd=elsewhere, env=env)
    assert result.returncode == 1
    assert "state directory .state does not exist" in result.stderr
    assert "no active alerts" not in result.stdout
    assert list(elsewhere.iterdir()) == []


@pytest.fixture
def served(config: Path) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    state = config.parent / "state"
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(config), "--state", str(state)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield state, process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=30)


def test_status_and_alerts_say_so_when_the_poller_is_killed(
    config: Path, served: tuple[Path, subprocess.Popen[bytes]]
) -> None:
    state, process = served
    common = ["--config", str(config), "--state", str(state)]

    def status_code() -> int:
        return cli("status", *common).returncode

    wait_for(lambda: status_code() == 0, "status ok: the poller alive and the host polled on time")
    alive = json.loads(cli("alerts", "--json", *common).stdout)
    assert alive["poller"]["state"] == "alive"
    wait_for(lambda: bool(json.loads(cli("alerts", "--json", *common).stdout)["alerts"]), "the disk-used alert")

    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    status = cli("status", *common)
    assert status.returncode == 2
    assert status.stdout.startswith("DUTYROOM DOWN - poller down since ")
    assert "(not running): nothing is being watched" in status.stdout.splitlines()[0]
    report = json.loads(cli("status", "--json", *common).stdout)
    assert (report["status"], report["poller"]) == ("down", "down")
    assert report["poller_down_since"] is not None

    listed = cli("alerts", *common)
    assert listed.returncode == 2
    assert "POLLER DOWN since" in listed.stderr
    assert "nothing is being watched" in listed.stderr
    assert "disk-used" in listed.stdout, "the alerts are still listed, as they were"

    document = cli("alerts", "--json", *common)
    assert document.returncode == 2
    parsed = json.loads(document.stdout)
    assert parsed["poller"]["state"] == "down"
    assert parsed["poller"]["reason"] == "not running"
    assert parsed["poller"]["down_since"] == pytest.approx(report["poller_down_since"])
    assert [alert["rule"] for alert in parsed["alerts"]] == ["disk-used"]
