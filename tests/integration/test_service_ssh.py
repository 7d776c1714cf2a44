"""Item 2 of issue 15: an operator logs in over a real sshd on loopback and works through the service's socket.

Our own sshd (own host key, own port, keys from our own file) lets a real user in; its console attaches
through the socket, and the SSH client address its environment reports (SSH_CONNECTION, set by sshd) is
recorded with its action as context, beside the name the kernel gives the service.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api_users import ROOT, ServedRoom, end_tmux_session, fingerprint, room  # noqa: F401 (fixture)
from unix_users import python_for_everyone, shared_directory
from waiting import wait_for

pytestmark = pytest.mark.integration

SSHD = Path("/usr/sbin/sshd")
PRIVSEP_DIR = Path("/run/sshd")
"""Debian's sshd refuses to start without it; its service unit would create it."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sshd:
    """An sshd on 127.0.0.1 with its own host key, letting in `user` with a key made here."""

    def __init__(self, directory: Path, user: str) -> None:
        self.directory, self.user, self.port = directory, user, free_port()
        for name in ("host", "client"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(directory / name)], check=True, timeout=30
            )
        keys = directory / "authorized"
        keys.mkdir(mode=0o755)
        shutil.copy(directory / "client.pub", keys / user)
        (keys / user).chmod(0o644)
        (directory / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {directory / 'host'}\n"
            f"PidFile {directory / 'sshd.pid'}\nAuthorizedKeysFile {keys}/%u\nStrictModes no\nUsePAM no\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
            f"AllowUsers {user}\nPermitUserEnvironment no\n",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(directory / "sshd_config")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def command(self, remote: str, *, tty: bool = False) -> list[str]:
        options = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes"]
        return [
            "ssh", *(["-tt"] if tty else []), "-i", str(self.directory / "client"), "-p", str(self.port), *options,
            "-o", "LogLevel=ERROR", f"{self.user}@127.0.0.1", remote,
        ]  # fmt: skip

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate(timeout=10)


@pytest.fixture(scope="module")
def sshd(room: ServedRoom) -> Iterator[Sshd]:  # noqa: F811
    if not SSHD.exists() or shutil.which("ssh") is None or shutil.which("tmux") is None:
        pytest.skip("needs /usr/sbin/sshd, ssh and tmux (Debian packages openssh-server, openssh-client, tmux)")
    PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
    user = room.users.add("sshop", groups=[room.users.groups[0]], shell="/bin/sh")
    text = room.config.read_text(encoding="utf-8")
    room.config.write_text(text.replace('operators = ["', f'operators = ["{user}", "'), encoding="utf-8")
    with shared_directory() as directory:  # sshd reads the user's keys as that user
        server = Sshd(directory, user)
        try:
            wait_for(lambda: _answers(server.port) or server.process.poll() is not None, "sshd to listen", seconds=30)
            assert server.process.poll() is None, server.process.communicate(timeout=10)
            wait_for(lambda: _is_operator(room), "the service to reload the roles")
            yield server
        finally:
            server.close()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def _is_operator(served: ServedRoom) -> bool:
    """The service (which reloads a changed checks.toml by itself) now takes the SSH user for an operator."""
    python, packages = python_for_everyone()
    ask = "import sys, pathlib, tui.service_client as c; print(c.connect(pathlib.Path(sys.argv[1])).whoami().role)"
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join((str(ROOT), packages))}
    answer = served.users.run_as("sshop", [python, "-c", ask, str(served.socket)], environ, cwd="/")
    return answer.stdout.strip() == "operator"


def remote_dutyroom(served: ServedRoom, *args: str) -> str:
    python, packages = python_for_everyone()
    argv = [python, "-m", "tui.cli.main", *args, "--config", str(served.config), "--state", str(served.state)]
    argv += ["--socket", str(served.socket)]
    return shlex.join(["env", f"PYTHONPATH={ROOT}{os.pathsep}{packages}", "TERM=screen-256color", "HOME=/tmp", *argv])


def test_an_operators_ssh_login_acts_through_the_socket_with_its_address_as_context(
    room: ServedRoom,  # noqa: F811
    sshd: Sshd,
) -> None:
    target = fingerprint(room)
    wait_for(
        lambda: subprocess.run(sshd.command("true"), capture_output=True, timeout=30, check=False).returncode == 0,
        "the SSH login to work",
        seconds=30,
    )
    acked = subprocess.run(
        sshd.command(remote_dutyroom(room, "ack", target, "-m", "from the bastion")),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert acked.returncode == 0, acked.stdout + acked.stderr
    kind, actor, alert = room.actions()[-1]
    assert (kind, alert, actor["user"], actor["ssh_client"]) == ("ack", target, sshd.user, "127.0.0.1")


def test_an_operators_console_over_ssh_is_attached_through_the_socket(
    room: ServedRoom,  # noqa: F811
    sshd: Sshd,
) -> None:
    server = f"dutyroom-ssh-{os.getpid()}"

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", server, *args], capture_output=True, text=True, timeout=30, check=True)
        return done.stdout

    console = shlex.join(sshd.command(remote_dutyroom(room), tty=True))
    tmux("new-session", "-d", "-s", "ssh", "-x", "120", "-y", "40", console)
    try:
        wait_for(lambda: "load-seen" in tmux("capture-pane", "-p", "-t", "ssh"), "the alert on the SSH console")
        screen = tmux("capture-pane", "-p", "-t", "ssh")
        assert f"{sshd.user} (operator)" in screen, screen
        assert "attached viewer" in screen, screen
    finally:
        end_tmux_session(server, "ssh")
