"""The real console at 80x24 in tmux against the demo room's simulated agents (snmpsim): a real alert comes,
it is acknowledged with keystrokes, and the acknowledgement is read back from the screen and from
`dutyroom alerts --json`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tmux import Tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=12),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


def test_acknowledge_a_real_alert_at_80x24(tmp_path: Path, tmux: Tmux) -> None:
    state = tmp_path / "state"
    demo = [
        sys.executable,
        "-m",
        "tui.cli.main",
        "demo",
        "--drill",
        "water-leak",
        "--state",
        str(state),
        "--seconds",
        "120",
        "--lang",
        "en",
    ]
    tmux.start("console", f"cd {ROOT} && TERM=xterm-256color {' '.join(demo)}", columns=80, rows=24)
    tmux.wait_for("console", lambda screen: "water-leak" in screen, "the water-leak alert", seconds=90)
    tmux.keys("console", "a")
    tmux.wait_for("console", lambda screen: "Comment" in screen, "the acknowledge dialog")
    tmux.text("console", "leak under row C, facilities on the way")
    tmux.keys("console", "Enter")
    tmux.wait_for("console", lambda screen: "ACK:" in screen, "the acknowledgement on screen")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.cli.main",
            "alerts",
            "--json",
            "--config",
            str(state / "checks.toml"),
            "--state",
            str(state),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    acknowledged = [alert for alert in json.loads(result.stdout)["alerts"] if alert["rule"] == "water-leak"]
    assert acknowledged
    assert acknowledged[0]["ack_comment"] == "leak under row C, facilities on the way"
    assert acknowledged[0]["acknowledged_by"]
    assert acknowledged[0]["drill"] is True

    tmux.keys("console", "h")
    tmux.wait_for("console", lambda screen: "handover written" in screen, "the handover notice")
    (written,) = (state / "handovers").glob("handover-*.md")
    assert written.with_suffix(".svg").exists(), "the console's screen is saved beside the handover"
    text = written.read_text(encoding="utf-8")
    assert "leak under row C, facilities on the way" in text
