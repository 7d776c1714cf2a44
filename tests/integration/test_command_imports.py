"""Read and act commands start fast: they never load the collectors' libraries, the demo or the console.

Like Harlequin's import-hygiene test, each command runs in a fresh interpreter and we look in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pysnmp", "pyasn1", "httpx", "snmpsim", "pysmi", "textual", "rich", "psutil", "prometheus_client", "holidays")
HEAVY_PROJECT = ("collectors", "tui.demo", "tui.app", "tui.launch", "tui.screens", "tui.widgets")

RUN_AND_LOOK = """
import json, sys
from tui.cli.main import main
try:
    status = main(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
loaded = sorted({name.split(".")[0] for name in sys.modules} | set(sys.modules))
print(json.dumps({"status": status, "modules": loaded}), file=sys.__stderr__)
"""


def modules_loaded_by(argv: list[str], tmp_path: Path) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LOOK, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return int(report["status"] or 0), set(report["modules"])


COMMON = ["--config", str(ROOT / "checks.toml")]


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["alerts", "--help"],
        ["ack", "--help"],
        ["note", "--help"],
        ["silence", "--help"],
        ["status", "--help"],
        ["run", "list", "--help"],
        ["run", "list"],
        ["audit", "list"],
        ["step", "tick", "--help"],
        ["alerts", "--json"],
        ["ack", "0000deadbeef", "-m", "on site"],
        ["note", "0000deadbeef", "-m", "looked"],
        ["silence", "--target", "ups-b", "--for", "1h", "-m", "battery swap"],
        ["status"],
        ["duties", "--json"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_read_and_act_commands_load_no_collector_demo_or_console_library(argv: list[str], tmp_path: Path) -> None:
    state = tmp_path / "state"
    status, loaded = modules_loaded_by([*argv[:1], *COMMON, "--state", str(state), *argv[1:]], tmp_path)
    # 1: no such alert, or no state directory (read commands never create one); 3: `status` says UNKNOWN for it
    assert status in (0, 1, 3)
    assert not [name for name in HEAVY if name in loaded]
    assert not [name for name in HEAVY_PROJECT if name in loaded]


def test_the_check_finds_a_heavy_import_when_there_is_one(tmp_path: Path) -> None:
    """The probe command does load the collectors: the test above would see it if a read command did."""
    status, loaded = modules_loaded_by(["probe", "tcp://127.0.0.1:9", "--timeout", "0.2"], tmp_path)
    assert status == 1
    assert "collectors" in loaded
