"""A site's deployment from nothing: the tmpfiles.d snippet makes the directories, `serve` runs as the service
user with what systemd gives it (no --config, --state or --socket: $CONFIGURATION_DIRECTORY, $STATE_DIRECTORY,
$RUNTIME_DIRECTORY, UMask=0027) and `[service] socket_group`, and the duty team works through its socket.

Real accounts and the real systemd-tmpfiles (the snippet's names and places rewritten to the test's users and
a scratch directory): the ownership checks pass for the service user on the directory the snippet made and
refuse anyone else; the audit key is made by the service, 0600, and only the service verifies with it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_service_api_users import PLAYBOOK
from unix_users import UnixUsers, python_for_everyone, shared_directory, unix_users
from waiting import wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TMPFILES = ROOT / "packaging" / "tmpfiles.d" / "dutyroom.conf"
CONFIG = """\
[site]
name = "deployed room"

[defaults]
interval = "1s"
timeout = "200ms"
retries = 0

[service]
socket_group = "{duty}"

[[target]]
id = "console"
group = "servers"
kind = "host"

[[rule]]
id = "load-seen"
metric = "host.load1"
warning = ">= 0"
playbook = "host-check"

[roles]
operators = ["{operator}"]
viewers = ["{viewer}"]
"""


@dataclass
class Deployment:
    users: UnixUsers
    etc: Path
    state: Path
    run: Path
    serve: subprocess.Popen[str]

    def cli(self, who: str, *args: str) -> subprocess.CompletedProcess[str]:
        """`dutyroom ARGS` as `who` on the system places (given: a client is not started by systemd)."""
        python, packages = python_for_everyone()
        places = ["--config", str(self.etc / "checks.toml"), "--state", str(self.state)]
        argv = [python, "-m", "tui.cli.main", *args, *places, "--socket", str(self.run / "api.sock")]
        environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(ROOT), packages))}
        return self.users.run_as(who, argv, environ, cwd="/")


def systemd_environment(etc: Path, state: Path, run: Path) -> dict[str, str]:
    _, packages = python_for_everyone()
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join((str(ROOT), packages)),
        "CONFIGURATION_DIRECTORY": str(etc),
        "STATE_DIRECTORY": str(state),
        "RUNTIME_DIRECTORY": str(run),
    }


def serve_as(users: UnixUsers, who: str, environ: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    """`dutyroom serve` as `who` with the unit's umask and only `environ`: what systemd would start."""
    python, _ = python_for_everyone()
    command = f"umask 0027 && exec {python} -m tui.cli.main serve {' '.join(extra)}"
    assignments = [f"{key}={value}" for key, value in environ.items()]
    argv = ["runuser", "-u", who, "--", "/usr/bin/env", "-i", *assignments, "/bin/sh", "-c", command]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/")


def make_directories(top: Path, service: str, duty: str) -> None:
    """The shipped tmpfiles.d snippet, applied by systemd-tmpfiles to `top` with the test's user and group."""
    tmpfiles = shutil.which("systemd-tmpfiles")
    if tmpfiles is None:
        pytest.skip("systemd-tmpfiles is not installed")
    snippet = TMPFILES.read_text(encoding="utf-8")
    snippet = snippet.replace(" /etc/dutyroom ", f" {top}/etc/dutyroom ").replace("/var/lib/", f"{top}/var/lib/")
    snippet = snippet.replace(" dutyroom dutyroom ", f" {service} {duty} ").replace(" root dutyroom ", f" root {duty} ")
    made = subprocess.run([tmpfiles, "--create", "-"], input=snippet, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    with unix_users() as users, shared_directory() as top:
        duty = users.group("duty")
        service = users.add("svc", groups=[duty])
        operator = users.add("op", groups=[duty])
        viewer = users.add("view", groups=[duty])
        make_directories(top, service, duty)
        etc, state, run = top / "etc" / "dutyroom", top / "var" / "lib" / "dutyroom", top / "run" / "dutyroom"
        for parent in (top / "etc", top / "var", top / "var" / "lib"):
            parent.chmod(0o755)
        assert sorted(path.name for path in state.iterdir()) == ["handovers"], "an empty state directory"
        (etc / "checks.toml").write_text(CONFIG.format(duty=duty, operator=operator, viewer=viewer))
        shutil.chown(etc / "checks.toml", "root", duty)
        (etc / "checks.toml").chmod(0o640)
        (etc / "playbooks" / "en").mkdir(parents=True)
        (etc / "playbooks" / "en" / "host-check.md").write_text(PLAYBOOK, encoding="utf-8")
        for path in [etc / "playbooks", *(etc / "playbooks").rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        run.mkdir(parents=True)  # RuntimeDirectory=dutyroom, RuntimeDirectoryMode=0750, User=, Group=
        (top / "run").chmod(0o755)
        shutil.chown(run, service, duty)
        run.chmod(0o750)
        serve = serve_as(users, service, systemd_environment(etc, state, run))
        deployed = Deployment(users, etc, state, run, serve)
        try:
            wait_for(lambda: (run / "api.sock").is_socket() or serve.poll() is not None, "the socket", seconds=30)
            assert serve.poll() is None, serve.communicate(timeout=10)
            wait_for(lambda: "load-seen" in deployed.cli("view", "alerts").stdout, "load-seen through the socket")
            yield deployed
        finally:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.communicate(timeout=10)


def mode_owner_group(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid


def test_serve_takes_systemds_places_and_the_socket_group_from_checks_toml(deployment: Deployment) -> None:
    users = deployment.users
    svc, duty = users.uid("svc"), users.gid(users.groups[0])
    assert mode_owner_group(deployment.run / "api.sock") == (0o660, svc, duty)
    assert mode_owner_group(deployment.state / "dutyroom.db")[1] == svc
    assert mode_owner_group(deployment.state / "audit.key")[:2] == (0o600, svc)


def test_the_team_works_through_the_socket_and_only_the_service_reads_the_key(deployment: Deployment) -> None:
    peek = deployment.users.run_as("view", ["/bin/cat", str(deployment.state / "audit.key")], {"PATH": "/bin"})
    assert peek.returncode != 0
    listed = json.loads(deployment.cli("view", "alerts", "--json").stdout)
    fingerprint = next(alert["fingerprint"] for alert in listed["alerts"] if alert["rule"] == "load-seen")
    acked = deployment.cli("op", "ack", fingerprint, "-m", "on it")
    assert acked.returncode == 0, acked.stderr
    refused = deployment.cli("view", "ack", fingerprint, "-m", "mine")
    assert "is a viewer" in refused.stderr
    verified = deployment.cli("view", "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("audit log intact: ")


def test_a_handover_the_service_writes_is_readable_by_the_duty_team(deployment: Deployment) -> None:
    written = deployment.cli("op", "handover")
    assert written.returncode == 0, written.stderr
    path = Path(written.stdout.strip().removeprefix("handover written: "))
    assert path.parent == deployment.state / "handovers"
    read = deployment.users.run_as("view", ["/bin/cat", str(path)], {"PATH": "/bin"})
    assert read.returncode == 0, read.stderr
    assert "deployed room" in read.stdout


def test_a_serve_by_anyone_else_on_the_services_directory_is_one_line_saying_what_to_change(
    deployment: Deployment,
) -> None:
    environ = systemd_environment(deployment.etc, deployment.state, deployment.run / "other")
    other = serve_as(deployment.users, deployment.users["op"], environ, "--seconds", "5", "--no-api")
    _, stderr = other.communicate(timeout=60)
    assert other.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert f"the state directory belongs to {deployment.users['svc']}" in stderr, stderr
