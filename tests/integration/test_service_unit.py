"""The shipped systemd unit (packaging/dutyroom.service) asks for what `serve` provides (Type=notify, the
watchdog, SIGHUP for reload) and passes systemd's own checker; its hardening keeps a low exposure score. The
sysusers.d and tmpfiles.d snippets, applied by systemd's own tools to a scratch root, make the user and the
directories the unit names, with the modes it sets."""

from __future__ import annotations

import configparser
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "packaging" / "dutyroom.service"
SYSUSERS = ROOT / "packaging" / "sysusers.d" / "dutyroom.conf"
TMPFILES = ROOT / "packaging" / "tmpfiles.d" / "dutyroom.conf"


def unit_sections() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser


def service_section() -> configparser.SectionProxy:
    return unit_sections()["Service"]


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
    print(f"systemd-analyze security rates packaging/dutyroom.service {score.group(1)}")
    assert float(score.group(1)) <= 3.0


def test_the_unit_installs_and_names_the_service_directories() -> None:
    unit = unit_sections()
    service = unit["Service"]

    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert (service["User"], service["Group"]) == ("dutyroom", "dutyroom")
    assert service["ConfigurationDirectory"] == service["StateDirectory"] == service["RuntimeDirectory"] == "dutyroom"
    assert service["StateDirectoryMode"] == "0750"  # the duty group reads; serve refuses a group-writable one
    assert service["UMask"] == "0027"  # handover files readable by the duty group, never by others


def test_sysusers_and_tmpfiles_make_the_user_and_directories(tmp_path: Path) -> None:
    sysusers, tmpfiles = shutil.which("systemd-sysusers"), shutil.which("systemd-tmpfiles")
    if sysusers is None or tmpfiles is None:
        pytest.skip("systemd-sysusers or systemd-tmpfiles is not installed")
    (tmp_path / "etc").mkdir()

    users = subprocess.run(
        [sysusers, f"--root={tmp_path}", "-"], input=SYSUSERS.read_text(), capture_output=True, text=True, timeout=60
    )
    dirs = subprocess.run(
        [tmpfiles, f"--root={tmp_path}", "--create", "-"],
        input=TMPFILES.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert users.returncode == 0, users.stderr
    assert dirs.returncode == 0, dirs.stderr
    passwd = {line.split(":")[0]: line.split(":") for line in (tmp_path / "etc" / "passwd").read_text().splitlines()}
    uid, gid = int(passwd["dutyroom"][2]), int(passwd["dutyroom"][3])
    assert passwd["dutyroom"][6] == "/usr/sbin/nologin"
    expected = {
        "etc/dutyroom": (0o750, 0, gid),
        "var/lib/dutyroom": (0o750, uid, gid),
        "var/lib/dutyroom/handovers": (0o2750, uid, gid),  # setgid: handover files 0640, for the team
    }
    for path, (mode, owner, group) in expected.items():
        info = (tmp_path / path).stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (mode, owner, group), path
