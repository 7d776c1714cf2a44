"""Issue 13, items 6, 8 and 9, with the real `serve` and the real command line: nothing that passes `check`
breaks at run time, a reload never exits the poller, and a broken checks.toml locks no one out."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from waiting import state_not_made_yet, wait_for

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

BASE = """\
[site]
name = "{name}"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0
attempts = 2

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "disk-used"
metric = "host.disk_used_pct"
warning = ">= 0"

[[rule]]
id = "target-unreachable"
kind = "reachability"
"""
SNMP_TARGET = """
[credentials.ups]
community = {{ file = "secrets/ups.community" }}

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:{port}"
credentials = "ups"
profile = "{profile}"
"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Site:
    """checks.toml, playbooks and a 0600 secret in one folder, a state directory beside it, a real `serve`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.config = folder / "site" / "checks.toml"
        self.state = folder / "state"
        (folder / "site" / "playbooks").mkdir(parents=True)
        (folder / "site" / "secrets").mkdir(mode=0o700)
        secret = folder / "site" / "secrets" / "ups.community"
        secret.write_text("public\n")
        secret.chmod(0o600)
        self.process: subprocess.Popen[str] | None = None

    def write(self, text: str) -> None:
        self.config.write_text(text)

    def args(self) -> list[str]:
        return ["--config", str(self.config), "--state", str(self.state)]

    def cli(
        self, *args: str, prefix: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [*(prefix or (sys.executable,)), "-m", "tui.cli.main", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env, cwd=ROOT)

    def serve(self, umask: int = 0o077) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli.main", "serve", *self.args()],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            preexec_fn=lambda: os.umask(umask),
        )

    def status(self) -> dict[str, object]:
        result = self.cli("status", "--json", *self.args())
        loaded: dict[str, object] = json.loads(result.stdout)
        if result.returncode == 3 and state_not_made_yet(str(loaded["problems"])):
            return {}
        assert result.returncode in (0, 1, 2), result.stdout  # ok, degraded, or down while serve is stopped
        return loaded

    def alerts(self) -> list[dict[str, object]]:
        result = self.cli("alerts", "--json", *self.args())
        if result.returncode == 1 and state_not_made_yet(result.stderr):
            return []  # serve has not made the state yet
        assert result.returncode in (0, 2), result.stderr  # 2: listed while no poller is alive
        loaded: list[dict[str, object]] = json.loads(result.stdout)["alerts"]
        return loaded

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    room = Site(tmp_path)
    yield room
    room.stop()


def nested(depth: int) -> str:
    return '\n[[target]]\nid = "deep"\ngroup = "servers"\nkind = "host"\nmounts = ' + "[" * depth + "]" * depth + "\n"


ZERO_INTERVAL = BASE.replace('interval = "1s"', 'interval = "0s"')
CRASH_CASES = {
    "zero interval, host targets only": (ZERO_INTERVAL, "checks.toml:5:12: 'interval' must be longer than 0s"),
    "arrays nested 500 deep": (BASE + nested(500), "checks.toml:28:42: arrays and inline tables nested more than 32"),
}


@pytest.mark.parametrize("case", list(CRASH_CASES))
def test_check_refuses_each_reload_crash_case_in_one_line_at_file_line_col(site: Site, case: str) -> None:
    text, where = CRASH_CASES[case]
    site.write(text.format(name="room"))
    result = site.cli("check", "--config", str(site.config))
    assert result.returncode == 1
    assert f"{site.config.parent}/{where}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 2  # the problem and the count


def test_a_reload_with_any_crash_case_keeps_the_old_config_and_the_poller_polling(site: Site) -> None:
    site.write(BASE.format(name="room"))
    site.serve()
    wait_for(lambda: any(alert["rule"] == "disk-used" for alert in site.alerts()), "the first alert")
    for case, (text, where) in CRASH_CASES.items():
        site.write(text.format(name="room"))
        wait_for(lambda where=where: where in str(site.status().get("reload")), f"the failed reload of {case}")
        status = site.status()
        assert str(status["reload"]).startswith(f"reload failed: {site.config.parent}/{where}")
        assert status["poller"] == "alive", case
        beat = float(str(status["heartbeat_age_s"]))
        time.sleep(2.5)  # polls go on under the old configuration
        assert site.status().get("poller") == "alive", case
        assert float(str(site.status().get("heartbeat_age_s"))) <= max(beat, 2.0)
        assert site.process is not None
        assert site.process.poll() is None, site.process.stderr.read() if site.process.stderr else ""
    site.write(BASE.format(name="room renamed"))
    wait_for(lambda: site.status().get("reload") == "ok", "the good reload")


def test_a_target_that_cannot_be_set_up_becomes_an_unknown_alert_with_the_reason(site: Site) -> None:
    site.write(BASE.format(name="room") + SNMP_TARGET.format(port=free_udp_port(), profile="no-such-profile"))
    checked = site.cli("check", "--config", str(site.config))
    assert checked.returncode == 1
    assert f"{site.config}:33:11: target 'ups-a': no profile named 'no-such-profile'" in checked.stdout
    site.serve()

    def setup_alert() -> dict[str, object] | None:
        return next((alert for alert in site.alerts() if alert["target"] == "ups-a"), None)

    wait_for(lambda: setup_alert() is not None and setup_alert()["phase"] == "firing", "the set-up alert")  # type: ignore[index]
    alert = setup_alert()
    assert alert is not None
    assert alert["rule"] == "target-unreachable"
    assert alert["state"] == "unknown"
    assert str(alert["reason"]).startswith("cannot be set up: no profile named 'no-such-profile'")


def test_while_checks_toml_is_broken_alerts_and_ack_use_the_last_good_config_and_say_so(site: Site) -> None:
    site.write(BASE.format(name="room"))
    site.serve()
    wait_for(lambda: any(alert["rule"] == "disk-used" for alert in site.alerts()), "the first alert")
    site.write(BASE.format(name="room") + "\n[[rule]\n")
    wait_for(lambda: str(site.status().get("reload")).startswith("reload failed"), "the failed reload")
    served = site.cli("alerts", "--json", *site.args())  # through serve's socket: its configuration in force
    assert served.returncode == 0, served.stderr
    assert any(alert["rule"] == "disk-used" for alert in json.loads(served.stdout)["alerts"])
    assert "TOML syntax error" not in served.stderr
    standalone = [*site.args(), "--socket", str(site.state / "no-service.sock")]  # reading the state directory
    listed = site.cli("alerts", "--json", *standalone)
    assert listed.returncode == 0, listed.stderr
    assert any(alert["rule"] == "disk-used" for alert in json.loads(listed.stdout)["alerts"])
    assert f"{site.config}:24:7: TOML syntax error" in listed.stderr
    assert "using the last good configuration, published by the poller at" in listed.stderr
    fingerprint = str(json.loads(listed.stdout)["alerts"][0]["fingerprint"])
    acked = site.cli("ack", fingerprint, "-m", "on it, config being fixed", *standalone)
    assert acked.returncode == 0, acked.stderr
    assert acked.stderr.count("using the last good configuration") == 1
    assert any(alert["acknowledged_by"] for alert in site.alerts())


def unprivileged_python() -> tuple[str, ...] | None:
    """A command prefix that runs Python as `nobody` with this checkout importable, or None."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = sysconfig.get_paths()["purelib"]
    prefix = (
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "env",
        f"PYTHONPATH={ROOT}:{site_packages}",
    )
    candidates = [os.path.realpath(sys.executable), f"/usr/bin/{version}", f"/usr/local/bin/{version}"]
    for interpreter in dict.fromkeys(candidates):
        if not os.path.exists(interpreter):
            continue
        probe = subprocess.run(
            [*prefix, interpreter, "-c", "import dutyroom, msgspec, textual"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return (*prefix, interpreter)
    return None


def test_a_user_who_cannot_read_the_secrets_can_still_list_alerts() -> None:
    prefix = unprivileged_python()
    if prefix is None:
        pytest.skip("needs root, setpriv and a Python that user 65534 can run with this checkout")
    folder = Path(tempfile.mkdtemp(prefix="dutyroom-secrets-"))
    try:
        folder.chmod(0o755)
        site = Site(folder)
        (folder / "site").chmod(0o755)
        (folder / "site" / "playbooks").chmod(0o755)
        site.write(BASE.format(name="room") + SNMP_TARGET.format(port=free_udp_port(), profile="ups-mib"))
        site.config.chmod(0o644)
        site.state.mkdir(mode=0o750)
        os.chown(site.state, 0, 65534)
        site.state.chmod(0o2750)  # the operators' group reads the state; the poller's secrets stay its own
        site.serve(umask=0o027)
        wait_for(lambda: any(alert["rule"] == "disk-used" for alert in site.alerts()), "the first alert")
        for path in site.state.glob("dutyroom.db*"):
            path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o060)
        denied = site.cli("check", "--config", str(site.config), prefix=prefix)
        assert "ups.community" in denied.stdout  # the user really cannot read it
        listed = site.cli("alerts", "--json", *site.args(), prefix=prefix)
        assert listed.returncode == 0, listed.stderr
        assert any(alert["rule"] == "disk-used" for alert in json.loads(listed.stdout)["alerts"])
        site.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
