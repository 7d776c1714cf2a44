"""One service, several people: `dutyroom serve` runs as its own Unix user and the others reach it on its socket.

Real accounts (useradd, removed at the end), a real serve, every command through `runuser -u USER --`. The
service names each caller from the kernel (SO_PEERCRED) and applies `[roles]` from its own configuration:
what a caller sets (SUDO_USER, USER, LOGNAME, --config) changes nothing; the store and the secret stay the
service user's, so a viewer reads alerts without being able to read either.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_command_imports import HEAVY, HEAVY_PROJECT, RUN_AND_LOOK
from unix_users import UnixUsers, python_for_everyone, shared_directory, unix_users
from waiting import wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-token-of-the-gateway"
CONFIG = """\
[site]
name = "served room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[credentials.gw]
token = {{ file = "gw.token" }}

[[target]]
id = "console"
group = "servers"
kind = "host"

[[target]]
id = "gateway"
group = "trading"
kind = "http"
url = "http://127.0.0.1:9/health"
credentials = "gw"

[[rule]]
id = "load-seen"
metric = "host.load1"
warning = ">= 0"
playbook = "host-check"

[roles]
operators = ["{operator}", "{second}"]
viewers = ["{viewer}"]
"""
PLAYBOOK = """+++
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
2. [two-person] Write down what runs there.
"""
FORGED = ("SUDO_USER", "USER", "LOGNAME")
"""Set to the operator's name: what a viewer sets to pass for the operator."""


@dataclass
class ServedRoom:
    users: UnixUsers
    config: Path
    state: Path
    socket: Path
    secret: Path
    serve: subprocess.Popen[str]

    def cli(self, who: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """`dutyroom ARGS` as test user `who`, on this room's state directory and socket."""
        python, packages = python_for_everyone()
        argv = [python, "-m", "tui.cli.main", *args, "--state", str(self.state), "--socket", str(self.socket)]
        if "--config" not in args:
            argv += ["--config", str(self.config)]
        environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(ROOT), packages)), **env}
        return self.users.run_as(who, argv, environ, cwd="/")

    def actions(self) -> list[tuple[str, dict[str, str], str]]:
        """(kind, actor, alert) of every recorded action, read by the test (root) from the service's store."""
        connection = sqlite3.connect(f"file:{self.state / 'dutyroom.db'}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT kind, actor, alert FROM actions ORDER BY id").fetchall()
        finally:
            connection.close()
        return [(kind, json.loads(actor), alert) for kind, actor, alert in rows]


@pytest.fixture(scope="module")
def room() -> Iterator[ServedRoom]:
    with unix_users() as users, shared_directory() as top:
        duty = users.group("duty")
        service = users.add("svc", groups=[duty])  # a member, so it may give its socket to the group
        operator = users.add("op", groups=[duty])
        viewer = users.add("view", groups=[duty])
        second = users.add("op2", groups=[duty])
        etc, state, run = top / "etc", top / "state", top / "run"
        for directory in (etc, state, run):
            directory.mkdir()
            shutil.chown(directory, service, duty)
        etc.chmod(0o755)
        state.chmod(0o700)
        run.chmod(0o750)  # the duty group may reach the socket; nobody else
        config = etc / "checks.toml"
        config.write_text(CONFIG.format(operator=operator, second=second, viewer=viewer), encoding="utf-8")
        config.chmod(0o644)
        (etc / "playbooks" / "en").mkdir(parents=True)
        (etc / "playbooks" / "en" / "host-check.md").write_text(PLAYBOOK, encoding="utf-8")
        for path in (etc / "playbooks", etc / "playbooks" / "en"):
            path.chmod(0o755)
        (etc / "playbooks" / "en" / "host-check.md").chmod(0o644)
        secret = etc / "gw.token"
        secret.write_text(SECRET + "\n", encoding="utf-8")
        shutil.chown(secret, service)
        secret.chmod(0o600)
        socket = run / "api.sock"
        python, packages = python_for_everyone()
        environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(ROOT), packages))}
        serve_argv = ["serve", "--config", str(config), "--state", str(state)]
        serve = subprocess.Popen(
            ["runuser", "-u", service, "--", "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in environ.items()),
             python, "-m", "tui.cli.main", *serve_argv, "--socket", str(socket), "--socket-group", duty],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd="/",
        )  # fmt: skip
        served = ServedRoom(users, config, state, socket, secret, serve)
        try:
            wait_for(lambda: socket.is_socket() or serve.poll() is not None, "the service's socket", seconds=30)
            assert serve.poll() is None, serve.communicate(timeout=10)
            wait_for(lambda: "load-seen" in served.cli("view", "alerts").stdout, "the service to fire load-seen")
            yield served
        except AssertionError as failure:
            serve.send_signal(signal.SIGTERM)
            raise AssertionError(f"{failure}; serve said: {serve.communicate(timeout=30)}") from None
        finally:
            if serve.poll() is None:
                serve.send_signal(signal.SIGTERM)
                try:
                    serve.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    serve.kill()
                    serve.communicate(timeout=10)


def fingerprint(room: ServedRoom) -> str:
    listed = json.loads(room.cli("view", "alerts", "--json").stdout)
    return next(alert["fingerprint"] for alert in listed["alerts"] if alert["rule"] == "load-seen")


def test_the_socket_is_the_duty_groups_and_the_store_and_secret_are_the_services(room: ServedRoom) -> None:
    info = room.socket.stat()
    assert oct(info.st_mode & 0o777) == oct(0o660)
    assert info.st_gid == room.users.gid(room.users.groups[0])
    assert info.st_uid == room.users.uid("svc")
    for who in ("op", "view"):
        for private in (room.secret, room.state / "dutyroom.db"):
            peek = room.users.run_as(who, ["/bin/cat", str(private)], {"PATH": "/usr/bin:/bin"})
            assert peek.returncode != 0, (who, private)
            assert "Permission denied" in peek.stderr, (who, private)


def test_the_viewer_reads_the_alerts_through_the_socket(room: ServedRoom) -> None:
    listed = room.cli("view", "alerts", "--json")
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert document["poller"]["state"] == "alive"
    assert "load-seen" in {alert["rule"] for alert in document["alerts"]}
    assert SECRET not in listed.stdout + listed.stderr
    plain = room.cli("view", "alerts")
    assert plain.returncode == 0, plain.stderr
    assert "load-seen" in plain.stdout


def test_the_viewer_is_refused_whatever_it_sets(room: ServedRoom) -> None:
    operator = room.users["op"]
    forged = dict.fromkeys(FORGED, operator)
    no_roles = room.config.parent.parent / "no-roles.toml"
    no_roles.write_text(room.config.read_text(encoding="utf-8").split("[roles]")[0], encoding="utf-8")
    no_roles.chmod(0o644)
    before = len(room.actions())
    target = fingerprint(room)
    attempts = [
        room.cli("view", "ack", target, "-m", "mine now", **forged),
        room.cli("view", "ack", target, "-m", "mine now", "--config", str(no_roles), **forged),
        room.cli("view", "note", target, "-m", "looked", **forged),
        room.cli("view", "silence", "--target", "console", "--for", "1h", "-m", "quiet", **forged),
        room.cli("view", "step", "tick", "host-check", "1", **forged),
    ]
    for attempt in attempts:
        assert attempt.returncode == 1, (attempt.args, attempt.stdout, attempt.stderr)
        assert f"refused: {room.users['view']} is a viewer" in attempt.stderr, attempt.stderr
        assert "Traceback" not in attempt.stderr
    assert len(room.actions()) == before


def test_the_operators_actions_carry_its_verified_name_and_its_reported_context(room: ServedRoom) -> None:
    target = fingerprint(room)
    acked = room.cli(
        "op", "ack", target, "-m", "on it", SUDO_USER="someone-else", SSH_CONNECTION="192.0.2.7 50000 192.0.2.1 22"
    )
    assert acked.returncode == 0, acked.stderr
    assert f"acknowledged {target}" in acked.stdout
    kind, actor, alert = room.actions()[-1]
    assert (kind, alert) == ("ack", target)
    assert actor["user"] == room.users["op"]
    assert (actor["sudo_user"], actor["ssh_client"]) == ("someone-else", "192.0.2.7")  # kept, as context only
    listed = json.loads(room.cli("view", "alerts", "--json").stdout)
    acked_by = next(alert["acknowledged_by"] for alert in listed["alerts"] if alert["fingerprint"] == target)
    assert acked_by.startswith(f"{room.users['op']} (SUDO_USER someone-else, unverified)")


def test_the_same_operator_cannot_confirm_its_own_two_person_step(room: ServedRoom) -> None:
    ticked = room.cli("op", "step", "tick", "host-check", "2")
    assert ticked.returncode == 0, ticked.stderr
    assert "step 2 is now awaiting a second operator" in ticked.stdout
    again = room.cli("op", "step", "confirm", "host-check", "2", SUDO_USER=room.users["view"])
    assert again.returncode == 1
    assert "a different operator must confirm" in again.stderr
    by_viewer = room.cli("view", "step", "confirm", "host-check", "2")
    assert by_viewer.returncode == 1
    assert "is a viewer" in by_viewer.stderr
    assert [kind for kind, _, _ in room.actions()].count("step-confirm") == 0


def test_no_socket_access_means_no_access_at_all(room: ServedRoom) -> None:
    """Outside the duty group the socket cannot be reached, and the store cannot be read instead."""
    outsider = room.users.add("outsider")
    refused = room.cli("outsider", "alerts")
    assert refused.returncode == 1
    assert "Permission denied" in refused.stderr or "permission denied" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert outsider not in json.dumps(room.actions())


def test_status_through_the_socket_needs_no_state_directory(room: ServedRoom) -> None:
    status = room.cli("view", "status", "--json")
    assert status.returncode in (0, 1), status.stdout + status.stderr  # ok, or degraded by the dead gateway
    assert "Traceback" not in status.stderr, status.stderr
    report = json.loads(status.stdout)
    assert report["poller"] == "alive"
    assert report["targets"] == 2
    assert report["duties"].startswith("not readable here"), report  # the viewer cannot read the store; said so


def test_one_liners_through_the_socket_stay_light(room: ServedRoom) -> None:
    """`alerts` and `ack` through the API load neither httpx nor the collectors nor the console."""
    python, packages = python_for_everyone()
    for argv in (["alerts", "--json"], ["ack", fingerprint(room), "-m", "light"]):
        command = [python, "-c", RUN_AND_LOOK, *argv, "--state", str(room.state), "--socket", str(room.socket)]
        environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(ROOT), packages))}
        result = room.users.run_as("op", command, environ, cwd="/")
        report = json.loads(result.stderr.strip().splitlines()[-1])
        assert report["status"] in (0, None), result.stderr
        loaded = set(report["modules"])
        assert not [name for name in (*HEAVY, *HEAVY_PROJECT) if name in loaded]


def test_a_handover_is_signed_by_two_different_verified_users_through_the_service(room: ServedRoom) -> None:
    written = room.cli("svc", "handover")  # written by the service's user; signed through the socket
    assert written.returncode == 0, written.stderr
    name = Path(written.stdout.strip().removeprefix("handover written: ")).name
    by_viewer = room.cli("view", "handover", "--sign", SUDO_USER=room.users["op"])
    assert by_viewer.returncode == 1
    assert "is a viewer" in by_viewer.stderr
    outgoing = room.cli("op", "handover", "--sign", SUDO_USER=room.users["op2"])
    assert outgoing.returncode == 0, outgoing.stderr
    assert outgoing.stdout.startswith(f"signed {name} as outgoing (action #")
    again = room.cli("op", "handover", "--sign", SUDO_USER=room.users["op2"])
    assert again.stdout.startswith(f"signed {name} as outgoing (signed before; file refreshed)"), again.stderr
    incoming = room.cli("op2", "handover", "--sign")
    assert incoming.returncode == 0, incoming.stderr
    assert f"signed {name} as incoming" in incoming.stdout
    signs = [(actor["user"], kind) for kind, actor, _ in room.actions() if kind == "handover-sign"]
    assert signs == [(room.users["op"], "handover-sign"), (room.users["op2"], "handover-sign")]


def test_the_viewers_console_attaches_through_the_socket(room: ServedRoom) -> None:
    """The console of a user who can read neither the store nor the secret shows the room, from the service."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    python, packages = python_for_everyone()
    environ = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join((str(ROOT), packages)),
        "TERM": "screen-256color",
        "HOME": "/tmp",
        "SUDO_USER": room.users["op"],
    }
    console = [python, "-m", "tui.cli.main", "--config", str(room.config), "--state", str(room.state)]
    console += ["--socket", str(room.socket)]
    command = ["runuser", "-u", room.users["view"], "--", "/usr/bin/env", "-i"]
    command += [f"{key}={value}" for key, value in environ.items()] + console
    server = f"dutyroom-api-{os.getpid()}"

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", server, *args], capture_output=True, text=True, timeout=30, check=True)
        return done.stdout

    tmux("new-session", "-d", "-s", "viewer", "-x", "120", "-y", "40", shlex.join(command))
    try:
        wait_for(lambda: "load-seen" in tmux("capture-pane", "-p", "-t", "viewer"), "the alert on the console")
        screen = tmux("capture-pane", "-p", "-t", "viewer")
        assert f"{room.users['view']} (viewer)" in screen, screen  # the service's word, not SUDO_USER's
        assert "attached viewer" in screen
        assert "Traceback" not in screen
    finally:
        end_tmux_session(server, "viewer")


def end_tmux_session(server: str, session: str) -> None:
    """Quit the console in `session`, then end the tmux server. runuser does not pass the hangup of a closed
    terminal on to its child, so the console is asked to quit, and stopped by its pid if it does not."""
    panes = subprocess.run(
        ["tmux", "-L", server, "list-panes", "-t", session, "-F", "#{pane_pid}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    pane = int(panes.stdout.split()[0]) if panes.returncode == 0 and panes.stdout.split() else None
    if pane is not None:
        quit_keys = ["tmux", "-L", server, "send-keys", "-t", session, "q"]
        subprocess.run(quit_keys, capture_output=True, timeout=30, check=False)
        try:
            wait_for(lambda: not Path(f"/proc/{pane}").exists(), "the console to quit", seconds=10)
        except AssertionError:
            for child in (*_children(pane), pane):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGTERM)
    subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True, timeout=30, check=False)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found
