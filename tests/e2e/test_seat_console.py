"""Issue 17: a seat that only watches sites. Its checks.toml may be `[site]` and `[[site_link]]` alone (used when
no `--site` is given), or there may be none at all with `--site`: the console (tmux, 120x40) shows the site's
alerts with its site either way.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux import Tmux

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))  # the served rooms

from test_sites_cli import Served
from waiting import wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow(seconds=30),
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


def console_in(seat: Path, *argv: str) -> str:
    """The console from this checkout, started in the seat's directory (its ./checks.toml, if any, is the config)."""
    command = ["env", f"PYTHONPATH={ROOT}", "TERM=xterm-256color", sys.executable, "-m", "tui.cli.main", "--no-bell"]
    return f"cd {shlex.quote(str(seat))} && {shlex.join([*command, *argv])}"


def test_a_seat_config_with_only_site_links_opens_its_sites(tmux: Tmux, local_room: Served, tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    seat.mkdir()
    (seat / "checks.toml").write_text(
        f'[site]\nname = "duty seat"\nlanguage = "en"\n\n[[site_link]]\nname = "MAIN"\nurl = "{local_room.socket}"\n',
        encoding="utf-8",
    )
    tmux.start("seat", console_in(seat), 120, 40)
    tmux.wait_for("seat", lambda screen: "MAIN console-local" in screen, "the configured site's alert", 60)
    assert "UNREACHABLE" not in tmux.screen("seat")


def test_a_seat_without_checks_toml_watches_the_sites_it_is_given(
    tmux: Tmux, local_room: Served, tmp_path: Path
) -> None:
    seat = tmp_path / "bare-seat"
    seat.mkdir()
    assert not (seat / "checks.toml").exists()
    tmux.start("bare", console_in(seat, "--site", f"MAIN={local_room.socket}"), 120, 40)
    tmux.wait_for("bare", lambda screen: "MAIN console-local" in screen, "the given site's alert", 60)
    assert "UNREACHABLE" not in tmux.screen("bare")
