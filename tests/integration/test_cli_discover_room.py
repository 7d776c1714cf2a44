"""`dutyroom --config ROOM/checks.toml discover HOST`: the printed stanza, appended to that very checks.toml, passes
`dutyroom check`; a profile in the room's own `profiles/` folder is proposed by its detection."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "tui" / "demo" / "shipped_room"


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DUTYROOM_")}
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True, text=True, timeout=120, check=False, env={**clean, **env}, cwd=ROOT,
    )  # fmt: skip


def room(tmp_path: Path) -> Path:
    shutil.copytree(SHIPPED, tmp_path / "room")
    return tmp_path / "room" / "checks.toml"


@pytest.mark.parametrize(
    ("recording", "profile", "rules"),
    [
        ("socomec", "socomec-pdu", 0),  # no rule to propose: no `rule = []` to land inside the last table
        ("apc_smart1500", "apc-ups", 5),
        ("vertiv-dcs", "vertiv-dcs", 7),  # every suggestion has its playbook in the shipped room
    ],
)
def test_the_printed_stanza_appended_to_the_room_passes_check(
    snmpsim_agent: SnmpsimAgent, tmp_path: Path, recording: str, profile: str, rules: int
) -> None:
    config = room(tmp_path)
    found = cli(
        "--config", str(config), "discover", f"{snmpsim_agent.host}:{snmpsim_agent.port}",
        "--community-env", "COMMUNITY", "--credentials", "ups-a", env={"COMMUNITY": recording},
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    document = tomllib.loads(found.stdout)
    assert [target["profile"] for target in document["target"]] == [profile]
    assert len(document.get("rule", [])) == rules
    with config.open("a", encoding="utf-8") as pasted:
        pasted.write("\n" + found.stdout)
    checked = cli("check", "--config", str(config), env={})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_site_profile_beside_checks_toml_is_proposed(snmpsim_agent: SnmpsimAgent, tmp_path: Path) -> None:
    config = room(tmp_path)
    (config.parent / "profiles").mkdir()
    text = (ROOT / "collectors" / "profiles" / "socomec-pdu.toml").read_text(encoding="utf-8")
    site = text.replace('name = "socomec-pdu"', 'name = "our-pdu"').replace("priority = 80", "priority = 90")
    (config.parent / "profiles" / "our-pdu.toml").write_text(site, encoding="utf-8")
    found = cli(
        "--config", str(config), "discover", f"{snmpsim_agent.host}:{snmpsim_agent.port}",
        "--community-env", "COMMUNITY", "--credentials", "ups-a", env={"COMMUNITY": "socomec"},
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert [target["profile"] for target in tomllib.loads(found.stdout)["target"]] == ["our-pdu"]
