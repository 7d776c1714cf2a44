"""Issue 17: a seat reads a site's playbook from the site's real serve (`GET /v1/playbook` on its socket), with no
copy of the room's playbooks of its own; a playbook the room lacks, or a site gone, is said as not available."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sites_cli import CALENDAR, ROOM
from waiting import wait_for

from tui.site_links import open_site, parse_site_link
from tui.site_playbooks import SitePlaybooks

pytestmark = pytest.mark.integration

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"
DISK_FULL_RULE = """
[[rule]]
id = "disk-full"
metric = "host.disk_used_pct"
warning = "> 99"
playbook = "disk-full"
"""


@pytest.fixture
def room_with_a_playbook(tmp_path: Path) -> Iterator[Path]:
    """A room whose playbooks directory holds disk-full (en and zh), served; yields its state directory."""
    for lang in ("en", "zh"):
        (tmp_path / "playbooks" / lang).mkdir(parents=True)
        shutil.copy(SHIPPED / lang / "disk-full.md", tmp_path / "playbooks" / lang)
    config, state = tmp_path / "checks.toml", tmp_path / "state"
    config.write_text(ROOM.format(name="dr", calendar=CALENDAR) + DISK_FULL_RULE, encoding="utf-8")
    serve = subprocess.Popen(
        [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(config), "--state", str(state)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: (state / "api.sock").is_socket(), "the service's socket")
        yield state
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(timeout=10)


def test_a_sites_playbook_comes_from_its_service(room_with_a_playbook: Path) -> None:
    client = open_site(parse_site_link(f"SH-DR={room_with_a_playbook}"))
    assert client is not None
    with client:
        playbooks = SitePlaybooks("SH-DR", client)
        chinese = playbooks.get("disk-full", "zh")
        assert chinese is not None
        assert (chinese.id, chinese.lang) == ("disk-full", "zh")
        assert chinese.steps
        assert playbooks.get("ups-on-battery", "en") is None
        assert playbooks.unavailable("ups-on-battery", "en") == (
            "playbook ups-on-battery not available from SH-DR (no playbook 'ups-on-battery' in this room)"
        )
