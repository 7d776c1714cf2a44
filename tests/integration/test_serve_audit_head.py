"""A real `dutyroom serve` publishes the audit head in its log, the same head `audit verify` prints, never the key."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

DUTYROOM = Path(sys.executable).with_name("dutyroom")


def dutyroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DUTYROOM), *args], capture_output=True, text=True, timeout=60, check=False)


def test_serve_logs_the_head_verify_prints(tmp_path: Path) -> None:
    if not DUTYROOM.exists():
        pytest.skip("the dutyroom entry point is not installed in this environment")
    config = tmp_path / "checks.toml"
    config.write_text('[site]\nname = "head room"\n')
    (tmp_path / "playbooks").mkdir()
    where = ("--config", str(config), "--state", str(tmp_path / "state"))

    first = dutyroom("serve", "--seconds", "0.5", *where)
    silenced = dutyroom("silence", "--group", "power", "--for", "1h", "-m", "UPS work", *where)
    second = dutyroom("serve", "--seconds", "0.5", *where)
    verified = dutyroom("audit", "verify", *where)

    assert (first.returncode, silenced.returncode, second.returncode) == (0, 0, 0), second.stderr
    assert f"INFO audit head: record 0 {'0' * 64}\n" in first.stderr
    logged = re.findall(r"^INFO audit head: record (\d+) ([0-9a-f]{64})$", second.stderr, re.MULTILINE)
    printed = re.search(r"head: record (\d+) ([0-9a-f]{64})", verified.stdout)
    assert printed is not None, verified.stderr
    assert logged[0] == logged[-1] == (printed.group(1), printed.group(2)) == ("1", printed.group(2))
    key = (tmp_path / "state" / "audit.key").read_text().strip()
    assert key not in first.stderr + second.stderr + verified.stdout + verified.stderr
