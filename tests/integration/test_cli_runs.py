"""`dutyroom run list|show|note|close` and `dutyroom step tick|skip|confirm|undo` against a real store.

The mains-failure run is started the way it happens (the poller sees UPS A on battery; its runtime alert
joins); every change is a `dutyroom` process, through the same desk as the console. Several people share a room
the way it is deployed: a `dutyroom serve` running as the service's Unix user owns the state directory, and the
operators (real Unix users, `unix_users`, told apart by their uid: SUDO_USER names nobody) act through its
socket; the test (root) reads the store. One test runs next to a root-owned `dutyroom serve` of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_joined_run_tick import ROOT, FedRoom, write_room
from unix_users import UnixUsers, python_for_everyone, readable_by_everyone, serving, shared_directory, unix_users
from waiting import wait_for

from dutyroom.room import load_room
from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

RUN_ID = "20260302T020200Z-mains-failure"


class Shell:
    """`dutyroom` commands on one room, as the Unix user `who` (none: the login user running the tests), through
    the room's serve when it has a `socket`."""

    def __init__(self, config: Path, state: Path, users: UnixUsers, socket: Path | None = None) -> None:
        self.config, self.state, self.users, self.socket = config, state, users, socket

    def name(self, who: str) -> str:
        """The real account name of test user `who` (`alice` -> `dr1a2b3c-alice`)."""
        return self.users[who]

    def __call__(self, *args: str, who: str = "") -> subprocess.CompletedProcess[str]:
        environ = {key: value for key, value in os.environ.items() if key not in ("SUDO_USER", "SSH_CONNECTION")}
        argv = [sys.executable, "-m", "tui.cli.main", *args, "--config", str(self.config), "--state", str(self.state)]
        argv += ["--socket", str(self.socket)] if self.socket else []
        environ = {**environ, "PYTHONPATH": str(ROOT)}
        if who:
            python, packages = python_for_everyone()
            environ["PYTHONPATH"] = os.pathsep.join((str(ROOT), packages))
            return self.users.run_as(who, [python, *argv[1:]], environ, cwd="/")
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, cwd=ROOT, env=environ)

    def ok(self, *args: str, who: str = "") -> str:
        result = self(*args, who=who)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def step_lines(self, number: int, run: str = RUN_ID) -> list[str]:
        """Step `number` of `run` as `run show` prints it: its line, then the indented lines below it (stripped)."""
        lines = self.ok("run", "show", run).splitlines()
        start = next(index for index, line in enumerate(lines) if re.match(rf"\s+\[.\]\s+{number}\. ", line))
        block = [lines[start]]
        for line in lines[start + 1 :]:
            if re.match(r"\s+\[.\]\s+\d+\. ", line) or not line.startswith(" " * 8):
                break
            block.append(line.strip())
        return block


@pytest.fixture(scope="module")
def users() -> Iterator[UnixUsers]:
    with unix_users() as made:
        duty = made.group("duty")
        for short in ("svc", "alice", "bob", "mallory"):
            made.add(short, groups=[duty])  # the duty group reaches the socket; svc gives its socket to it
        yield made


@pytest.fixture
def shell(users: UnixUsers) -> Iterator[Shell]:
    """The seeded room, its state directory given to the service user `svc` and served by it on a socket the
    duty group reaches; mallory is a viewer."""
    with shared_directory() as room:
        config = write_room(room)
        config.write_text(config.read_text(encoding="utf-8") + f'\n[roles]\nviewers = ["{users["mallory"]}"]\n')
        state, run = room / "state", room / "run"
        with Store.open(state) as store:
            fed = FedRoom(load_room(config), store)
            fed.sample("ups.on_battery", 1.0, after_s=0.0)
            fed.sample("ups.runtime_min", 8.0, after_s=180.0)
        duty = users.groups[0]
        run.mkdir(mode=0o750)
        for path in (state, *state.iterdir(), run):
            shutil.chown(path, users["svc"], duty)
        state.chmod(0o700)
        readable_by_everyone(config)
        readable_by_everyone(room / "playbooks")
        socket = run / "api.sock"
        with serving(users, "svc", config, state, socket, duty):
            yield Shell(config, state, users, socket)


def test_run_list_and_show_name_the_run_its_alerts_and_every_step(shell: Shell) -> None:
    listed = shell.ok("run", "list").splitlines()
    assert len(listed) == 1
    assert listed[0].startswith(f"{RUN_ID}  open   0/11 done  Mains failure / UPS on battery; started 03-02 10:02")
    assert "2 deadlines MISSED" in listed[0]
    shown = shell.ok("run", "show", "mains-failure")
    assert shown.startswith(f"Mains failure / UPS on battery [{RUN_ID}]\nstate: open, 0 of 11 steps done or skipped")
    assert "alert: ups-a ups-on-battery (started it 03-02 10:02)" in shown
    assert "alert: ups-a ups-runtime-low (joined 03-02 10:05)" in shown
    assert "MISSED   Call the building power duty room" in shown
    assert shell.step_lines(3) == [
        "  [ ]  3. Call the building power duty room: cause, scope, expected restoration time; "
        "note the name of the person you spoke to.",
        "open",
    ]
    assert shell.step_lines(7)[1] == "open: needs two operators"
    assert shell.step_lines(7)[0].startswith("  [ ]  7. [two-person] If runtime < 15 min")


def test_a_tick_with_a_note_and_the_two_person_rule(shell: Shell) -> None:
    out = shell.ok("step", "tick", "mains", "3", "-m", "spoke to Wang, restoration 11:30", who="alice")
    assert f"ticked step 3 of run {RUN_ID}" in out
    assert "step 3 is now done: Call the building power duty room: cause, scope" in out  # as without a service
    step = shell.step_lines(3)
    assert step[0].startswith("  [x]  3. Call the building power duty room")
    assert re.fullmatch(r"done: ticked by \S*alice at [\d:-]+ ?[\d:]*", step[1]), step
    assert re.fullmatch(r"note: \S*alice( \(as \w+\))? at .+: spoke to Wang, restoration 11:30", step[2]), step

    out = shell.ok("step", "tick", RUN_ID, "7", who="alice")
    assert "step 7 is now awaiting a second operator" in out
    assert f"dutyroom step confirm {RUN_ID} 7" in out
    assert re.fullmatch(r"awaiting a second operator: ticked by \S*alice at .+", shell.step_lines(7)[1])
    assert "1 awaiting a second operator" in shell.ok("run", "list")

    same = shell("step", "confirm", RUN_ID, "7", who="alice")
    assert same.returncode == 1
    assert f"refused: step 7 was ticked by {shell.name('alice')}: a different operator must confirm" in same.stderr
    shell.ok("step", "confirm", RUN_ID, "7", who="bob")
    assert re.fullmatch(r"done: ticked by \S*alice at .+, confirmed by \S*bob at .+", shell.step_lines(7)[1])


def test_skip_needs_a_reason_and_undo_reopens_the_step(shell: Shell) -> None:
    missing = shell("step", "skip", RUN_ID, "6")
    assert missing.returncode == 2
    assert "-m/--text" in missing.stderr
    blank = shell("step", "skip", RUN_ID, "6", "-m", "  ")
    assert blank.returncode == 1
    assert "needs a reason" in blank.stderr
    shell.ok("step", "skip", RUN_ID, "6", "-m", "generator took the load at 10:04", who="alice")
    assert re.fullmatch(r"skipped by \S*alice at .+: generator took the load at 10:04", shell.step_lines(6)[1])
    assert "waived   Call the UPS vendor" in shell.ok("run", "show", RUN_ID)
    out = shell.ok("step", "undo", RUN_ID, "6", who="alice")
    assert "step 6 is now open" in out
    assert shell.step_lines(6)[0].startswith("  [ ]  6.")
    nothing = shell("step", "undo", RUN_ID, "6")
    assert nothing.returncode == 1
    assert "step 6 has nothing to undo" in nothing.stderr
    no_step = shell("step", "tick", RUN_ID, "12")
    assert no_step.returncode == 1
    assert "has no step 12" in no_step.stderr


def test_a_run_note_then_close_with_a_comment_ends_the_run_and_changes_the_verdict(shell: Shell) -> None:
    started = datetime.fromtimestamp(time.time() - 3 * 3600, ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    ended = datetime.fromtimestamp(time.time() + 9 * 3600, ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    text = shell.config.read_text(encoding="utf-8")
    shell.config.write_text(text.replace('["08:00", "20:00"]', f'["{started}", "{ended}"]'), encoding="utf-8")

    def verdict() -> str:
        """The handover's verdict for the shift running now (it started three hours ago, whatever the time), as
        the service's user writes it (printed: the store is the service's)."""
        found = re.search(r"Verdict: (.+?)\n\n", shell.ok("handover", "--format", "txt", "--out", "-", who="svc"), re.S)
        assert found is not None
        return " ".join(found.group(1).split())

    shell.ok("run", "note", RUN_ID, "-m", "runtime 8 min, inlet 24C", who="alice")
    notes = shell.ok("run", "show", RUN_ID).split("notes:\n", 1)[1]
    assert re.match(r"  \S*alice( \(as \w+\))? at .+: runtime 8 min, inlet 24C", notes)
    assert "1 playbook run still open" in verdict()

    blank = shell("run", "close", RUN_ID, "-m", " ")
    assert blank.returncode == 1
    assert "needs a comment" in blank.stderr
    out = shell.ok("run", "close", "mains", "-m", "mains back 10:40, UPS online", who="bob")
    assert f"closed run {RUN_ID}" in out
    assert "; 11 of 11 steps were not done" in out  # through the service as without one
    assert shell.ok("run", "list") == "no open playbook runs\n"
    assert shell.ok("run", "list", "--all").startswith(f"{RUN_ID}  closed 0/11 done")
    closed = shell.ok("run", "show", RUN_ID)
    assert re.search(r"state: closed .+ by \S*bob( \(as \w+\))?: mains back 10:40, UPS online", closed)
    after = shell("step", "tick", RUN_ID, "1", who="alice")
    assert after.returncode == 1
    assert "was closed" in after.stderr
    again = shell("run", "close", RUN_ID, "-m", "twice")
    assert again.returncode == 1
    assert "was closed" in again.stderr
    assert "playbook run still open" not in verdict()


def test_a_run_name_that_picks_no_run_or_several_is_refused(shell: Shell) -> None:
    missing = shell("run", "show", "cooling-failure")
    assert missing.returncode == 1
    assert "no playbook run 'cooling-failure'" in missing.stderr
    several = shell("run", "show", "2026")
    assert several.returncode == 0, "one open run answers to it"
    shell.ok("run", "close", RUN_ID, "-m", "done")
    assert shell("step", "tick", "nothing-like-it", "1").returncode == 1


def test_a_viewer_is_refused_and_nothing_is_recorded(shell: Shell) -> None:
    before = recorded(shell)
    refused = shell("step", "tick", RUN_ID, "1", who="mallory")
    assert refused.returncode == 1
    assert f"refused: {shell.name('mallory')} is a viewer" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert shell.step_lines(1)[1] == "open"
    assert recorded(shell) == before, "nothing recorded"


def recorded(shell: Shell) -> int:
    """How many actions the room's store holds, read by the test (root)."""
    with Store.open_existing(shell.state, read_only=True) as store:
        return len(store.actions_after(0, 10_000))


# ----- next to a real poller

SERVED = """\
[site]
name = "served room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "load-seen"
metric = "host.load1"
warning = ">= 0"
playbook = "host-check"
"""
HOST_CHECK = """+++
id = "host-check"
lang = "en"
title = "Host check"
severity = "warning"
kind = "incident"
applies_to = { rules = ["load-seen"] }
+++

# Host check

## Steps

1. Look at the host's load.
2. Write down what runs there.
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Shell, subprocess.Popen[str]]]:
    config = tmp_path / "checks.toml"
    config.write_text(SERVED, encoding="utf-8")
    (tmp_path / "playbooks" / "en").mkdir(parents=True)
    (tmp_path / "playbooks" / "en" / "host-check.md").write_text(HOST_CHECK, encoding="utf-8")
    shell = Shell(config, tmp_path / "state", UnixUsers())
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(config), "--state", str(shell.state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    yield shell, process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_runs_started_by_a_live_poller_are_ticked_and_closed_from_the_shell(
    served: tuple[Shell, subprocess.Popen[str]],
) -> None:
    shell, process = served
    wait_for(lambda: "host-check" in shell("run", "list").stdout, "the poller to start a run")
    run_id = shell.ok("run", "list").split()[0]
    assert run_id.endswith("-host-check")
    shell.ok("step", "tick", "host-check", "1", "-m", "load 0.4")
    assert re.fullmatch(r"done: ticked by \S+ at .+", shell.step_lines(1, run_id)[1])
    shell.ok("run", "close", "host-check", "-m", "nothing to do: test host")
    time.sleep(3.0)  # several polls with the alert still firing: a closed run is not started again
    assert process.poll() is None, "the poller keeps running"
    assert shell.ok("run", "list") == "no open playbook runs\n"
    assert len(shell.ok("run", "list", "--all").splitlines()) == 1
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    assert "not applied" not in errors, errors
