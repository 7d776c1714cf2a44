"""A really full disk for R9 tests: a tiny tmpfs mounted in a private user and mount namespace (`unshare -rm`).

No root is needed and nothing outside the child process sees the mount. The fixtures in conftest.py wrap these.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

RunOnSmallTmpfs = Callable[[str, str], dict[str, object]]
"""`run(code, size)`: Python `code` with argv[1] = a fresh tmpfs of `size`; returns the JSON it printed."""


def _mount(size: str) -> str:
    return f'mount -t tmpfs -o size={size},mode=0700 dutyroom-test "$1"'


def why_no_tmpfs(probe_dir: Path) -> str:
    """Empty when a tmpfs can be mounted privately here; otherwise the reason it cannot."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return "unshare(1) is not installed, so no small tmpfs can be mounted to fill"
    command = [unshare, "-rm", "sh", "-c", _mount("64k"), "sh", str(probe_dir)]
    probe = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a private namespace here: {probe.stderr.strip()}"
    return ""


def run_python_on_tmpfs(mount_point: Path, code: str, size: str) -> dict[str, object]:
    """Run `code` with argv[1] = a fresh tmpfs of `size` mounted on `mount_point`; the JSON it printed."""
    mount_point.mkdir(mode=0o700)
    script = f'{_mount(size)} && exec "$2" -c "$3" "$1"'
    command = ["unshare", "-rm", "sh", "-c", script, "sh", str(mount_point), sys.executable, code]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout)
    return result
