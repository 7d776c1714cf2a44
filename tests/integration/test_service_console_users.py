"""A console of `dutyroom serve` writes the handover (`h`) and starts drills through the socket, as the user the
kernel names, with the service's roles: real accounts and serve (test_service_api_users.py's `room` fixture,
a serve of this module's own), the console in tmux and the console's desk run as each user."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import textwrap

import pytest
import test_service_api_users
from test_service_api_users import ServedRoom, end_tmux_session, fingerprint
from unix_users import python_for_everyone
from waiting import wait_for

pytestmark = pytest.mark.integration
room = test_service_api_users.room
"""The module-scoped fixture: the users and a serve of this module's own."""

DRILL = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from dutyroom.model import Identity
    from dutyroom.operators.actions import ActionRefused
    from dutyroom.operators.planning import StartDrill
    from tui.service_client import ServiceClient
    from tui.service_source import ServiceDesk

    desk = ServiceDesk(ServiceClient(Path(sys.argv[1])), Identity("whoever-the-console-thinks"))
    try:
        stored = desk.submit(StartDrill("host-check"), sys.argv[2], time.time())
    except ActionRefused as refusal:
        print(f"refused: {refusal}")
    else:
        print(f"drill #{stored.id} {stored.action.run}")
    """
)


def console_desk_drill(room: ServedRoom, who: str) -> str:
    """What the console's desk (`tui.service_source.ServiceDesk`) says when `who` starts a drill through it."""
    python, packages = python_for_everyone()
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(test_service_api_users.ROOT), packages))}
    done = room.users.run_as(who, [python, "-c", DRILL, str(room.socket), fingerprint(room)], environ, cwd="/")
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.strip()


def test_a_drill_through_the_console_desk_is_the_operators_and_refused_to_the_viewer(room: ServedRoom) -> None:
    refused = console_desk_drill(room, "view")
    assert refused.startswith(f"refused: {room.users['view']} is a viewer"), refused
    started = console_desk_drill(room, "op")
    assert started.startswith("drill #"), started
    starters = [actor["user"] for kind, actor, _ in room.actions() if kind == "run-start"]
    assert starters.count(room.users["op"]) == 1  # the drill (the alert's own run is the engine's)
    assert room.users["view"] not in starters


def test_h_on_a_console_of_the_service_writes_the_handover_as_its_user(room: ServedRoom) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    python, packages = python_for_everyone()
    environ = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join((str(test_service_api_users.ROOT), packages)),
        "TERM": "screen-256color",
        "HOME": "/tmp",
    }
    console = [python, "-m", "tui.cli.main", "--config", str(room.config), "--state", str(room.state)]
    console += ["--socket", str(room.socket)]
    command = ["runuser", "-u", room.users["op"], "--", "/usr/bin/env", "-i"]
    command += [f"{key}={value}" for key, value in environ.items()] + console
    server = f"dutyroom-h-{os.getpid()}"

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", server, *args], capture_output=True, text=True, timeout=30, check=True)
        return done.stdout

    before = set((room.state / "handovers").glob("handover-*")) if (room.state / "handovers").exists() else set()
    tmux("new-session", "-d", "-s", "op", "-x", "120", "-y", "40", shlex.join(command))
    try:
        wait_for(lambda: "load-seen" in tmux("capture-pane", "-p", "-t", "op"), "the alert on the console")
        tmux("send-keys", "-t", "op", "h")
        wait_for(lambda: "handover written" in tmux("capture-pane", "-p", "-t", "op"), "the handover notice")
        screen = tmux("capture-pane", "-p", "-t", "op")
        assert "Traceback" not in screen
    finally:
        end_tmux_session(server, "op")
    [written] = set((room.state / "handovers").glob("handover-*")) - before
    assert written.name in screen.replace("\n", "")
    authors = [actor["user"] for kind, actor, _ in audit_kinds(room) if kind == "handover"]
    assert authors[-1] == room.users["op"]


def audit_kinds(room: ServedRoom) -> list[tuple[str, dict[str, str], str]]:
    """(kind, actor, detail) of every audit record, read by the test (root) from the service's store."""
    connection = sqlite3.connect(f"file:{room.state / 'dutyroom.db'}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT kind, actor, detail FROM audit ORDER BY seq").fetchall()
    finally:
        connection.close()
    return [(kind, json.loads(actor), detail) for kind, actor, detail in rows]
