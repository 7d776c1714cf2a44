"""Issue 17: one handover for a local room and one over a real sshd, the seat's sites from its `[[site_link]]`.

The ssh key comes from the link's `identity_file` (not from $DUTYROOM_SSH_COMMAND), so the config's ssh
options reach ssh for real; the remote room writes its own part as the SSH login user.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api_users import ROOT, ServedRoom, room  # noqa: F401 (fixture)
from test_service_ssh import Sshd, sshd  # noqa: F401 (fixture)
from test_sites_cli import Served
from unix_users import python_for_everyone
from waiting import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
def local_room(tmp_path: Path) -> Iterator[Served]:
    served = Served(tmp_path, "local")
    try:
        wait_for(lambda: served.socket.is_socket(), "the local service's socket")
        yield served
    finally:
        served.stop()


def test_one_handover_for_a_local_and_an_ssh_site_from_the_seat_config(
    room: ServedRoom,  # noqa: F811
    sshd: Sshd,  # noqa: F811
    local_room: Served,
    tmp_path: Path,
) -> None:
    seat = tmp_path / "seat"
    seat.mkdir()
    (seat / "checks.toml").write_text(
        f'[site]\nname = "seat"\n\n[[site_link]]\nname = "MAIN"\nurl = "{local_room.socket}"\n\n'
        f'[[site_link]]\nname = "SH-DR"\nurl = "ssh://{sshd.user}@127.0.0.1:{sshd.port}{room.socket}"\n'
        f'identity_file = "{sshd.directory / "client"}"\nconnect_timeout = "10s"\n',
        encoding="utf-8",
    )
    python, packages = python_for_everyone()
    ssh = ["ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    remote = ["env", f"PYTHONPATH={ROOT}{os.pathsep}{packages}", python, "-m", "tui.cli.main"]
    environ = {**os.environ, "DUTYROOM_SSH_COMMAND": shlex.join(ssh), "DUTYROOM_REMOTE_COMMAND": shlex.join(remote)}
    assert (seat / "checks.toml").exists()

    def handover() -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "tui.cli.main", "handover", "--all-sites", "--format", "md"]
        return subprocess.run(argv, capture_output=True, text=True, timeout=90, check=False, cwd=seat, env=environ)

    wait_for(lambda: handover().returncode == 0, "both sites to write their handover", seconds=60)
    written = handover()
    assert "Sites: MAIN (local), SH-DR (served room)" in written.stdout
    remote_part = written.stdout.split("\n# SH-DR (served room)\n", 1)[1]
    assert "Kept at SH-DR as handover-" in remote_part
    assert f"by {sshd.user}" in remote_part  # written there as the SSH login user, not as root here

    sshd.close()
    lost = handover()
    assert lost.returncode == 2
    assert "SITE SH-DR UNREACHABLE" in lost.stderr
    assert "\n# MAIN (local)\n" in lost.stdout
