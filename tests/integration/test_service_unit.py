"""The shipped systemd unit (packaging/dutyroom.service) asks for what `serve` provides (Type=notify, the
watchdog, SIGHUP for reload) and passes systemd's own checker; its hardening keeps a low exposure score."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "packaging" / "dutyroom.service"


def service_section() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser["Service"]


def test_the_unit_asks_for_what_serve_speaks() -> None:
    service = service_section()

    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert service["WatchdogSec"] == "30"
    assert service["Restart"] == "always"
    assert service["User"] == "dutyroom"
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert " serve --config /etc/dutyroom/checks.toml --state /var/lib/dutyroom" in service["ExecStart"]


def test_systemd_accepts_the_unit_and_rates_its_exposure_low(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    dutyroom = Path(sys.executable).with_name("dutyroom")
    if not dutyroom.exists():
        pytest.skip("the dutyroom entry point is not installed in this environment")
    unit = tmp_path / "dutyroom.service"
    unit.write_text(UNIT.read_text().replace("/opt/dutyroom/.venv/bin/dutyroom", str(dutyroom)))

    verify = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False)
    security = subprocess.run(
        [analyze, "security", "--offline=true", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )

    assert verify.returncode == 0, verify.stderr
    assert verify.stderr.strip() == ""
    if security.returncode != 0 and "offline" in security.stderr:
        pytest.skip(f"this systemd-analyze cannot rate a unit offline: {security.stderr.strip()}")
    score = re.search(r"Overall exposure level for dutyroom.service: (\d+\.\d+)", security.stdout)
    assert score is not None, security.stdout + security.stderr
    assert float(score.group(1)) <= 3.0
