"""Issue 17, items 1 and 2: one console (tmux, 120x40) on two real serves, one of them over a real sshd.

The local site is a serve in this test's directory; the remote one is issue 15's served room reached by
`ssh sshop@127.0.0.1 dutyroom api-bridge`. Both sites' alerts show with their site; an ack typed on the remote
alert is recorded in the remote audit log under the SSH login user; a lost site is named UNREACHABLE in the
status line and its rows leave the list while the other site keeps updating; a serve back reconnects the
console by itself.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux import Tmux

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))  # the served rooms and the sshd

from test_service_api_users import ServedRoom, fingerprint, room  # noqa: F401 (fixture)
from test_service_ssh import Sshd, sshd  # noqa: F401 (fixture)
from test_sites_cli import Served
from test_sites_ssh import site_environment
from waiting import wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=60),
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def local_room(tmp_path: Path) -> Iterator[Served]:
    served = Served(tmp_path, "local")
    try:
        wait_for(lambda: served.socket.is_socket(), "the local service's socket")
        yield served
    finally:
        served.stop()


def console_command(sshd: Sshd, config: Path, *sites: str) -> str:  # noqa: F811
    """The console in tmux with this test's ssh settings (`site_environment`), from this checkout."""
    environ = {
        key: value
        for key, value in site_environment(sshd).items()
        if key.startswith("DUTYROOM_") or key in ("PATH", "HOME", "LANG")
    }
    argv = ["env", "-i", *(f"{k}={v}" for k, v in environ.items()), "TERM=xterm-256color"]
    argv += [f"PYTHONPATH={ROOT}", sys.executable, "-m", "tui.cli.main", "--no-bell", "--lang", "en"]
    argv += ["--config", str(config)]
    for site in sites:
        argv += ["--site", site]
    return shlex.join(argv)


def test_one_console_on_a_local_and_an_ssh_site(
    tmux: Tmux,
    room: ServedRoom,  # noqa: F811
    sshd: Sshd,  # noqa: F811
    local_room: Served,
    tmp_path: Path,
) -> None:
    remote = f"SH-DR=ssh://{sshd.user}@127.0.0.1:{sshd.port}{room.socket}"
    local = f"MAIN={local_room.socket}"
    command = console_command(sshd, local_room.config, local, remote)
    tmux.start("sites", f"cd {shlex.quote(str(tmp_path))} && {command}", 120, 40)
    both = "both sites' alerts"
    tmux.wait_for("sites", lambda s: listed(s, "MAIN", "console-local") and listed(s, "SH-DR", "console"), both, 60)
    screen = tmux.screen("sites")
    assert "2 sites" in screen
    assert strip_line(screen, "MAIN")
    assert strip_line(screen, "SH-DR")
    assert "UNREACHABLE" not in screen
    tmux.keys("sites", "/")
    tmux.text("sites", "SH-DR")
    tmux.keys("sites", "Enter")
    tmux.wait_for("sites", lambda s: not listed(s, "MAIN", "console-local"), "the list filtered to the remote site")
    tmux.keys("sites", "a")
    tmux.wait_for("sites", lambda s: "Comment" in s, "the acknowledge dialog")
    tmux.text("sites", "seen from the main room")
    tmux.keys("sites", "Enter")
    target = fingerprint(room)
    wait_for(lambda: any(kind == "ack" and alert == target for kind, _, alert in room.actions()), "the remote ack")
    kind, actor, alert = room.actions()[-1]
    assert (kind, alert, actor["user"]) == ("ack", target, sshd.user)  # the SSH login user, verified there
    tmux.wait_for("sites", lambda s: "ACK:" in s, "the ack shown from the remote site")

    tmux.keys("sites", "/")
    tmux.keys("sites", *["BSpace"] * len("SH-DR"))
    tmux.keys("sites", "Enter")
    tmux.wait_for("sites", lambda s: listed(s, "MAIN", "console-local"), "every site's alerts again")
    room.serve.send_signal(signal.SIGTERM)  # the remote serve dies: that site is named, its rows leave
    room.serve.communicate(timeout=30)
    tmux.wait_for("sites", lambda s: "SH-DR UNREACHABLE since " in s, "the lost site in the banner", 60)
    lost = tmux.screen("sites")
    assert "✖ SITE SH-DR UNREACHABLE since " in lost.splitlines()[0]  # the banner across the top
    assert "⊘ UNREACHABLE since " in strip_line(lost, "SH-DR"), "its line in the site strip"
    assert "poller up" in strip_line(lost, "MAIN")
    assert not row(lost, "SH-DR", "console")
    assert row(lost, "MAIN", "console-local")
    acked = local_cli("ack", local_fingerprint(local), "-m", "still watching", "--site", local)
    assert acked.returncode == 0, acked.stderr
    still = "the local site still updating"
    tmux.wait_for("sites", lambda s: "ACK:" in s and listed(s, "MAIN", "console-local"), still)

    restarted = subprocess.Popen(room.serve.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/")
    try:  # the same serve back: the console reads it again by itself (backoff, at most BACKOFF_S[-1] apart)
        tmux.wait_for("sites", lambda s: row(s, "SH-DR", "console") and "UNREACHABLE" not in s, "reconnected", 90)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.communicate(timeout=30)


def strip_line(screen: str, site: str) -> str:
    """The site strip's line of `site` ("" when there is none)."""
    lines = [line.strip() for line in screen.splitlines()]
    ours = [line for line in lines if line.startswith(f"{site} ") and ("poller up" in line or "UNREACH" in line)]
    return ours[0] if ours else ""


def listed(screen: str, site: str, target: str) -> bool:
    """Whether a line shows `target` of `site` (in the Site column, or a notice naming both)."""
    return re.search(rf"(^|\s){re.escape(site)}\s+{re.escape(target)}", screen, re.MULTILINE) is not None


def row(screen: str, site: str, target: str) -> bool:
    """Whether the alert list shows a load-seen row of `target` in `site`'s column (a notice may name it too)."""
    return any(listed(line, site, target) and "load-seen" in line for line in screen.splitlines())


def local_cli(*args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "tui.cli.main", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, cwd="/")


def local_fingerprint(site: str) -> str:
    listed = json.loads(local_cli("alerts", "--json", "--site", site).stdout)
    return next(alert["fingerprint"] for alert in listed["alerts"] if alert["rule"] == "load-seen")
