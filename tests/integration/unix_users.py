"""Real Unix users for tests that tell people apart: the kernel names the person, so tests need real accounts.

`UnixUsers` creates accounts with `useradd` under names unique to this run (a parallel worker or a crashed run
never collides) and removes them, with their group, at the end. It needs root: `skip_unless_root` says so.
`shared_directory` is where their files go: not under pytest's base temporary directory, which every pytest
run as root (another worker, another checkout) sets back to 0700.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import site
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

USERADD = shutil.which("useradd") or "/usr/sbin/useradd"
USERDEL = shutil.which("userdel") or "/usr/sbin/userdel"
GROUPADD = shutil.which("groupadd") or "/usr/sbin/groupadd"
GROUPDEL = shutil.which("groupdel") or "/usr/sbin/groupdel"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def skip_unless_root() -> None:
    """Creating users needs root (CI runs the suite as root); elsewhere the test says why it did not run."""
    if os.geteuid() != 0:
        pytest.skip("needs root: creates real Unix users with useradd to tell operators apart by uid")
    missing = [tool for tool in (USERADD, USERDEL, GROUPADD, GROUPDEL, RUNUSER) if not Path(tool).exists()]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian package passwd / util-linux)")


class UnixUsers:
    """Accounts made for one test run: `add("alice")` makes `dr1a2b3c-alice`; `close` removes every one."""

    def __init__(self) -> None:
        self.prefix = f"dr{secrets.token_hex(3)}"
        self.users: dict[str, str] = {}
        self.groups: list[str] = []

    def group(self, short: str) -> str:
        name = f"{self.prefix}-{short}"
        subprocess.run([GROUPADD, name], check=True, capture_output=True, timeout=30)
        self.groups.append(name)
        return name

    def add(self, short: str, groups: Sequence[str] = (), *, shell: str = "/usr/sbin/nologin") -> str:
        """A new account (no home; no login shell unless `shell` gives one, e.g. for an SSH login: then its
        password is `*`, no password at all but not a locked account, which sshd would refuse)."""
        name = f"{self.prefix}-{short}"
        command = [USERADD, "--no-create-home", "--shell", shell, "--user-group", name]
        if shell != "/usr/sbin/nologin":
            command[1:1] = ["--password", "*"]
        if groups:
            command[1:1] = ["--groups", ",".join(groups)]
        subprocess.run(command, check=True, capture_output=True, timeout=30)
        self.users[short] = name
        return name

    def __getitem__(self, short: str) -> str:
        return self.users[short]

    def close(self) -> None:
        for name in self.users.values():
            subprocess.run([USERDEL, name], check=False, capture_output=True, timeout=30)
        for name in self.groups:
            subprocess.run([GROUPDEL, name], check=False, capture_output=True, timeout=30)

    def run_as(
        self, short: str, argv: Sequence[str], env: Mapping[str, str], *, shared_files: bool = False, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        """`argv` as that user through `runuser -u USER --` (a real login switch, the kernel's uid), with only
        `env`; `shared_files`: with umask 0, so the files it creates stay writable by the other test users."""
        prefix = ["/bin/sh", "-c", 'umask 0; exec "$@"', "sh"] if shared_files else []
        return subprocess.run(
            [RUNUSER, "-u", self[short], "--", "/usr/bin/env", "-i", *_assignments(env), *prefix, *argv],
            capture_output=True,
            text=True,
            check=False,
            **{"timeout": 60, **kwargs},
        )

    def uid(self, short: str) -> int:
        return pwd.getpwnam(self[short]).pw_uid

    def gid(self, group: str) -> int:
        return grp.getgrnam(group).gr_gid


@contextmanager
def unix_users() -> Iterator[UnixUsers]:
    skip_unless_root()
    users = UnixUsers()
    try:
        yield users
    finally:
        users.close()


@contextmanager
def shared_directory() -> Iterator[Path]:
    """A fresh directory under the system's temporary directory that other users may enter (0711)."""
    path = Path(tempfile.mkdtemp(prefix="dutyroom-users-"))
    path.chmod(0o711)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def serving(
    users: UnixUsers,
    who: str,
    config: Path,
    state: Path,
    socket: Path,
    group: str,
    env: Mapping[str, str] | None = None,
) -> Iterator[subprocess.Popen[str]]:
    """`dutyroom serve` as test user `who` on `state` (which `who` owns), its socket given to `group` (a group
    `who` is in): how several people share a room. Stopped at the end."""
    root = Path(__file__).resolve().parents[2]
    python, packages = python_for_everyone()
    environ = {"PATH": "/usr/bin:/bin", **(env or {}), "PYTHONPATH": os.pathsep.join((str(root), packages))}
    argv = [python, "-m", "tui.cli.main", "serve", "--config", str(config), "--state", str(state)]
    argv += ["--socket", str(socket), "--socket-group", group]
    command = [RUNUSER, "-u", users[who], "--", "/usr/bin/env", "-i", *_assignments(environ), *argv]
    serve = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/")
    try:
        for _ in range(300):  # up to 30 s for the socket
            if socket.is_socket() or serve.poll() is not None:
                break
            time.sleep(0.1)
        assert serve.poll() is None, serve.communicate(timeout=10)
        assert socket.is_socket(), f"no socket at {socket} after 30 s"
        yield serve
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.communicate(timeout=10)


def open_to_everyone(path: Path) -> None:
    """Let other users traverse the directories above `path` (execute only: nothing is listed or readable)."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o001 == 0:
            parent.chmod(mode | 0o001)


def readable_by_everyone(path: Path) -> None:
    """`path` (a file, or a directory and all below it) readable by other users, as a site's checks.toml is."""
    open_to_everyone(path.parent)
    paths = [path, *path.rglob("*")] if path.is_dir() else [path]
    for each in paths:
        each.chmod(each.stat().st_mode | (0o005 if each.is_dir() else 0o004))


def share_tree(path: Path) -> None:
    """Everything under `path` readable and writable by everyone: a standalone room several test users write."""
    open_to_everyone(path)
    for root, directories, files in os.walk(path):
        Path(root).chmod(0o777)
        for name in directories:
            (Path(root) / name).chmod(0o777)
        for name in files:
            (Path(root) / name).chmod(0o666)


def python_for_everyone() -> tuple[str, str]:
    """An interpreter the test users may run, and the PYTHONPATH entry that gives it this environment's packages.

    A venv's python often links into root's home (pyenv), which other users cannot enter; then the system's
    python of the same minor version runs with the venv's site-packages on its path.
    """
    own = Path(sys.executable).resolve()
    packages = os.pathsep.join(site.getsitepackages())
    if _everyone_can_run(own):
        return str(own), packages
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if system.exists() and _everyone_can_run(system):
        return str(system), packages
    pytest.skip(f"no python {sys.version_info.major}.{sys.version_info.minor} other users can run ({own} is private)")


def _everyone_can_run(path: Path) -> bool:
    if not path.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def _assignments(env: Mapping[str, str]) -> list[str]:
    return [f"{key}={value}" for key, value in env.items()]
