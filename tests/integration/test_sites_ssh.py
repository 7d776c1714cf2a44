"""Issue 17 over a real sshd on loopback: a remote site read and acted on through `ssh ... dutyroom api-bridge`.

The remote room is issue 15's served room (its own service user, socket mode 0660 for the duty group); the
local one is a second serve in this test's own directory. The remote bridge runs as the SSH login user, so the
remote service records the ack under that user, verified by its kernel, not under whoever runs the local seat.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api_users import ROOT, ServedRoom, fingerprint, room  # noqa: F401 (fixture)
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


def site_environment(sshd: Sshd) -> dict[str, str]:  # noqa: F811
    """How this seat reaches the remote host: our test key, no known_hosts; dutyroom run from this checkout."""
    python, packages = python_for_everyone()
    ssh = ["ssh", "-i", str(sshd.directory / "client"), "-o", "StrictHostKeyChecking=no"]
    ssh += ["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    remote = ["env", f"PYTHONPATH={ROOT}{os.pathsep}{packages}", python, "-m", "tui.cli.main"]
    return {**os.environ, "DUTYROOM_SSH_COMMAND": shlex.join(ssh), "DUTYROOM_REMOTE_COMMAND": shlex.join(remote)}


def dutyroom(sshd: Sshd, *args: str) -> subprocess.CompletedProcess[str]:  # noqa: F811
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd="/",
        env=site_environment(sshd),
    )


def test_a_remote_site_over_ssh_is_listed_and_acted_on_as_the_ssh_user(
    room: ServedRoom,  # noqa: F811
    sshd: Sshd,  # noqa: F811
    local_room: Served,
) -> None:
    remote = f"SH-DR=ssh://{sshd.user}@127.0.0.1:{sshd.port}{room.socket}"
    local = f"MAIN={local_room.socket}"

    def listed() -> subprocess.CompletedProcess[str]:
        return dutyroom(sshd, "alerts", "--json", "--site", local, "--site", remote)

    def both_fired() -> bool:
        answer = listed()
        return answer.returncode == 0 and {a["site"] for a in json.loads(answer.stdout)["alerts"]} == {"MAIN", "SH-DR"}

    wait_for(both_fired, "both sites' alerts, one over SSH")
    document = json.loads(listed().stdout)
    assert {(a["site"], a["target"]) for a in document["alerts"] if a["rule"] == "load-seen"} == {
        ("MAIN", "console-local"),
        ("SH-DR", "console"),
    }
    assert [(site["site"], site["room"]) for site in document["sites"]] == [("MAIN", "local"), ("SH-DR", "served room")]

    target = fingerprint(room)
    acked = dutyroom(sshd, "ack", target, "-m", "from the other city", "--site", remote)
    assert acked.returncode == 0, acked.stdout + acked.stderr
    kind, actor, alert = room.actions()[-1]
    assert (kind, alert, actor["user"]) == ("ack", target, sshd.user)  # the SSH login user, not root here

    sshd.close()  # the link is lost: loud about that site, the other still listed
    lost = listed()
    assert lost.returncode == 2, lost.stderr
    assert "SITE SH-DR UNREACHABLE" in lost.stderr
    assert {site["site"]: site["reachable"] for site in json.loads(lost.stdout)["sites"]} == {
        "MAIN": True,
        "SH-DR": False,
    }
    assert {a["site"] for a in json.loads(lost.stdout)["alerts"]} == {"MAIN"}
