"""A tick on a joined run, end to end: the demo room and its console in a real terminal (tmux, 120x40), the
command line beside it, and the handover.

The scripted incident makes `ups-runtime-low` join the run another UPS A alert started. The operator filters
the console to that alert, ticks step 3 in the pane and reads the step's text off the screen; `dutyroom run
show` and the handover must give the same text for that step of that run. Then the operator closes the run in
the console and the handover's verdict no longer counts it open. The demo stops itself (--seconds); every
wait has a deadline.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tmux import Tmux

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=120),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
RUN_SECONDS = 110
"""The incident is over after about 50 s at CLOCK_SPEED; the rest is room for a slow machine."""
CLOCK_SPEED = 3
"""Slow enough for `ups-runtime-low` to fire (it has a `for`) and join the UPS A run before mains returns."""
WAIT_S = 90.0
SESSION = "papers"
PANE_EDGE = "▏"
"""The left edge of the playbook pane at 120 columns; the pane's text is what follows it on each line."""


def words(text: str) -> str:
    """Runs of white space (wrapping, indentation) made one space."""
    return " ".join(text.split())


def cli(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "tui.cli.main",
        *args,
        "--config",
        str(state / "checks.toml"),
        "--state",
        str(state),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=PROJECT)


def wait_until(condition: Callable[[], bool], what: str, seconds: float = WAIT_S) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def mains_restored(state: Path) -> bool:
    """UPS A is back on mains: the scripted incident is over and no new run will start."""
    listed = cli(state, "alerts", "--json")
    if listed.returncode not in (0, 2) or not listed.stdout.strip():
        return False
    alerts = json.loads(listed.stdout)["alerts"]
    on_battery = [alert for alert in alerts if alert["rule"] == "ups-on-battery" and alert["target"] == "ups-a"]
    return bool(on_battery) and all(alert["phase"] == "resolved" for alert in on_battery)


def step_on_screen(screen: str, number: int) -> str:
    """Step `number` as the pane draws it: from its "[x]  N." line to the next step or the "ticked by" line.

    The pane sits below the alert list at every width; a pane drawn beside the list is read past its edge."""
    pane = [line.split(PANE_EDGE, 1)[1].strip() if PANE_EDGE in line else line.strip() for line in screen.splitlines()]
    start = next(index for index, line in enumerate(pane) if re.match(rf"\[x\]\s+{number}\. ", line))
    lines = [pane[start]]
    for line in pane[start + 1 :]:
        if line.startswith(("[", "ticked by", "space tick", "─")) or not line:
            break
        lines.append(line)
    return words(" ".join(lines))


def verdict(handover: str) -> str:
    line = next(line for line in handover.splitlines() if line.startswith("* Verdict: "))
    following = handover.splitlines()[handover.splitlines().index(line) + 1 :]
    continued = [part.strip() for part in following[: next(i for i, p in enumerate(following) if p.startswith("*"))]]
    return words(" ".join([line.removeprefix("* Verdict: "), *continued]))


def open_runs_in(handover: str) -> set[str]:
    """The ids of the runs the handover's "Playbook runs" section lists as still open."""
    section = handover.split("Playbook runs\n")[1].split("\n\n", 2)[1]
    items = re.split(r"(?m)^\* ", section)
    return {
        found.group(1)
        for item in items
        if "still open:" in words(item) and (found := re.search(r"\[(\S+?)\]", item.splitlines()[0]))
    }


def says_open_runs(verdict_text: str, count: int) -> bool:
    return f"{count} playbook run" in verdict_text if count else "playbook run" not in verdict_text


def test_a_tick_on_a_joined_run_reads_the_same_on_screen_in_run_show_and_in_the_handover(
    tmp_path: Path, tmux: Tmux
) -> None:
    state = tmp_path / "state"
    demo = [sys.executable, "-m", "tui.cli.main", "demo", "--config", str(PROJECT / "checks.toml")]
    demo += ["--state", str(state), "--seconds", str(RUN_SECONDS), "--clock-speed", str(CLOCK_SPEED), "--lang", "en"]
    terminal = "env -u COLUMNS -u LINES TERM=xterm-256color"  # the pane's own size, whatever pytest exported
    shell = f"cd {shlex.quote(str(PROJECT))} && {terminal} {shlex.join(demo)}; echo DEMO-EXIT=$?; sleep 60"
    tmux.start(SESSION, shell, columns=120, rows=40)
    tmux.wait_for(SESSION, lambda screen: "Value (age)" in screen and "/ filter" in screen, "the console", WAIT_S)
    tmux.wait_for(SESSION, lambda screen: "ups-runtime-" in screen, "the runtime alert", WAIT_S)
    tmux.keys(SESSION, "/")
    time.sleep(0.5)
    tmux.text(SESSION, "ups-runtime-low")
    tmux.wait_for(SESSION, lambda screen: "(filter: ups-runtime-low)" in screen, "the filter", WAIT_S)
    tmux.keys(SESSION, "Enter")
    tmux.wait_for(SESSION, lambda screen: "Joined the " in screen, "the alert to join a run", WAIT_S)
    wait_until(lambda: mains_restored(state), "mains to be restored in the demo")
    assert "Joined the " in tmux.screen(SESSION), "the joined alert is still selected"

    tmux.keys(SESSION, "Tab")
    time.sleep(0.5)
    tmux.keys(SESSION, "Down")
    time.sleep(0.3)
    tmux.keys(SESSION, "Down")
    time.sleep(0.5)
    tmux.keys(SESSION, "Space")
    tmux.wait_for(SESSION, lambda screen: "Step 3 ticked on run " in screen, "the tick to be recorded", WAIT_S)
    screen = tmux.screen(SESSION)
    run_id = re.search(r"Step 3 ticked on run (\S+?)\.\s", screen).group(1)  # type: ignore[union-attr]
    on_screen = step_on_screen(screen, 3)
    step_text = on_screen.split(" 3. ", 1)[1]
    assert len(step_text) > 40, on_screen

    shown = cli(state, "run", "show", run_id)
    assert shown.returncode == 0, shown.stderr
    step_line = next(line for line in shown.stdout.splitlines() if re.match(r"\s*\[x\]\s+3\. ", line))
    assert words(step_line).split(" 3. ", 1)[1] == step_text
    assert "alert: ups-a ups-runtime-low (joined" in shown.stdout

    before = cli(state, "handover", "--format", "txt", "--out", "-")
    assert before.returncode == 0, before.stderr
    run_part = words(before.stdout.split(f"[{run_id}]", 1)[1].split("\n* ", 1)[0])
    assert re.search(rf"step 3 done by root at \d\d:\d\d: {re.escape(step_text)}", run_part), run_part
    assert "still open" in run_part
    open_before = open_runs_in(before.stdout)
    assert run_id in open_before
    assert says_open_runs(verdict(before.stdout), len(open_before)), verdict(before.stdout)

    tmux.keys(SESSION, "x")
    tmux.wait_for(SESSION, lambda screen: "y yes, n or Esc no" in screen, "the close question", WAIT_S)
    tmux.keys(SESSION, "y")
    tmux.wait_for(SESSION, lambda screen: "Comment (required)" in screen, "the close comment", WAIT_S)
    tmux.text(SESSION, "mains back, UPS online")
    tmux.keys(SESSION, "Enter")
    tmux.wait_for(SESSION, lambda screen: f"Run {run_id} closed." in screen, "the run to close", WAIT_S)

    after = cli(state, "handover", "--format", "txt", "--out", "-")
    assert after.returncode == 0, after.stderr
    closed_part = words(after.stdout.split(f"[{run_id}]", 1)[1].split("\n* ", 1)[0])
    assert "closed" in closed_part
    assert "by root mains back, UPS online" in closed_part
    open_after = open_runs_in(after.stdout)
    assert run_id not in open_after
    assert says_open_runs(verdict(after.stdout), len(open_after)), verdict(after.stdout)
    if open_after <= open_before:  # no run started meanwhile (a late alert of the incident may start one)
        assert verdict(after.stdout) != verdict(before.stdout)
    tmux.wait_for(SESSION, lambda screen: "DEMO-EXIT=" in screen, "the demo to stop", RUN_SECONDS + WAIT_S)
    assert "DEMO-EXIT=0" in tmux.screen(SESSION)
