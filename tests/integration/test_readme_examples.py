"""The README's handover and report examples run as written, in a shell, against the state of a demo run.

Every line of a fenced `sh` block in README.md that starts with `dutyroom handover` or `dutyroom report` is run
by bash, unchanged (pipes, `--out -` and `/tmp` paths included), in a fresh directory, with `dutyroom` on PATH
and DUTYROOM_CONFIG / DUTYROOM_STATE naming the demo's room and state, as a reader's shell would have them.
Each must exit 0 and print no traceback; a file named by `--out` must exist afterwards.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from demo_harness import PROJECT, start_demo

pytestmark = [pytest.mark.integration, pytest.mark.slow(seconds=40)]

README = PROJECT / "README.md"
PAPER_COMMANDS = ("dutyroom handover", "dutyroom report")
DEMO_SECONDS = 12
FENCE = re.compile(r"^```(\w*)\s*$")


def readme_examples(text: str) -> list[str]:
    """Lines of fenced sh/shell/bash blocks that start with a handover or report command, in order."""
    examples, language = [], None
    for line in text.splitlines():
        fence = FENCE.match(line.strip())
        if fence:
            language = None if language is not None else fence.group(1)
            continue
        if language in ("sh", "shell", "bash", "console") and line.strip().startswith(PAPER_COMMANDS):
            examples.append(line.strip())
    return examples


def out_path(example: str, cwd: Path) -> Path | None:
    words = shlex.split(example, comments=True)
    if "--out" not in words:
        return None
    target = words[words.index("--out") + 1]
    return None if target == "-" else cwd / target


def test_the_examples_are_found_in_the_readme() -> None:
    examples = readme_examples(README.read_text(encoding="utf-8"))
    assert any(example.startswith("dutyroom handover") for example in examples)
    assert any(example.startswith("dutyroom report") for example in examples)


def test_the_reader_can_find_the_lines_this_test_runs() -> None:
    text = "intro\n```sh\ndutyroom handover --out - | head  # note\ndutyroom alerts\n```\n```\ndutyroom report\n```\n"
    assert readme_examples(text) == ["dutyroom handover --out - | head  # note"]


def test_the_readme_handover_and_report_examples_run_as_written(tmp_path: Path) -> None:
    dutyroom = Path(sys.executable).parent / "dutyroom"
    if not dutyroom.exists() or shutil.which("bash") is None:
        pytest.skip("needs bash and the dutyroom console script installed beside this Python")
    state = tmp_path / "state"
    run = start_demo(state, "--clock-speed", "6", "--seconds", str(DEMO_SECONDS))
    assert run.wait(DEMO_SECONDS + 60) == 0, run.output()
    cwd = tmp_path / "reader"
    cwd.mkdir()
    environ = {
        **{key: value for key, value in os.environ.items() if key not in ("SUDO_USER", "SSH_CONNECTION")},
        "PATH": f"{dutyroom.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DUTYROOM_CONFIG": str(state / "checks.toml"),
        "DUTYROOM_STATE": str(state),
    }
    examples = readme_examples(README.read_text(encoding="utf-8"))
    assert examples
    for example in examples:
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", example],
            cwd=cwd,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        said = done.stdout + done.stderr
        assert done.returncode == 0, f"{example}\n{said}"
        assert "Traceback" not in said, f"{example}\n{said}"
        written = out_path(example, cwd)
        if written is not None:
            assert written.is_file(), f"{example}: {written} was not written"
    assert (state / "handovers").is_dir()
