"""`dutyroom profile check FILE` and `dutyroom profile try FILE snmp://...`, run as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "collectors" / "profiles"


def dutyroom(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *argv], capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
    )


def test_check_accepts_every_installed_profile() -> None:
    for path in sorted(PROFILES.glob("*.toml")):
        result = dutyroom("profile", "check", str(path))
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith(f"ok: {path.stem}: ")


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (('value = "1.3.6.1.4.1.21796.4.9.3.1.5"', 'value = "1.3.6.x"'), ":22:", "not a numeric OID"),
        (('value = "value / 10"', 'value = "valu / 10"'), ":27:", "valu"),
        (('enum = { 0 = "normal", 1 = "alarm" }', 'enum = { zero = "normal" }'), ":85:", "enum"),
    ],
)
def test_check_places_the_problem_at_file_line_col(
    tmp_path: Path, change: tuple[str, str], where: str, message: str
) -> None:
    path = tmp_path / "hwg-ste2.toml"
    text = (PROFILES / "hwg-ste2.toml").read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = dutyroom("profile", "check", str(path))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}{where}"), result.stdout
    assert message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_try_polls_one_device_with_a_profile_file(snmpsim_agent: SnmpsimAgent, tmp_path: Path) -> None:
    path = tmp_path / "my-probe.toml"
    text = (PROFILES / "hwg-ste2.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('name = "hwg-ste2"', 'name = "my-probe"'), encoding="utf-8")
    url = f"snmp://hwg-ste2@{snmpsim_agent.host}:{snmpsim_agent.port}"
    result = dutyroom("profile", "try", str(path), url, "--timeout", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    temperature = [line for line in lines if line.startswith("env.temperature_c")]
    assert len(temperature) == 1
    assert "sensor=Datorrum 2" in temperature[0]
    assert "20.3" in temperature[0]
    assert any(line.startswith("env.contact ") and "sensor=Flood" in line for line in lines)


def test_try_refuses_a_broken_profile_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('name = "broken"\n[scalars]\nx = "1.3.6.a"\n', encoding="utf-8")
    result = dutyroom("profile", "try", str(path), "snmp://127.0.0.1:9")
    assert result.returncode != 0
    assert f"{path}:3:5: scalars.x: not a numeric OID" in result.stderr
    assert "Traceback" not in result.stderr
