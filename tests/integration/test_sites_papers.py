"""Issue 17, papers across sites: `handover` and `report` with two `--site` options (or a seat's
`[[site_link]]` with `--all-sites`) write one document with a section per site, as each real serve wrote it.

A site that cannot be reached is a loud line in the document's header and in its section, SITE X UNREACHABLE
on standard error, and exit status 2: never silently left out.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_command_imports import HEAVY, HEAVY_PROJECT, modules_loaded_by
from test_sites_cli import Served, alerts
from waiting import wait_for

pytestmark = pytest.mark.integration


def dutyroom(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *argv], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


@pytest.fixture
def two_rooms(tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    rooms = (Served(tmp_path, "main"), Served(tmp_path, "backup"))
    try:
        main, backup = rooms
        wait_for(lambda: main.socket.is_socket() and backup.socket.is_socket(), "both services' sockets")
        wait_for(lambda: alerts(f"M={main.socket}", f"B={backup.state}").returncode == 0, "both services to answer")
        yield rooms
    finally:
        for room in rooms:
            room.stop()


def kept_handovers(room: Served) -> list[Path]:
    return sorted((room.state / "handovers").glob("handover-*.md"))


def test_one_handover_for_two_sites_then_one_lost(two_rooms: tuple[Served, Served], tmp_path: Path) -> None:
    main, backup = two_rooms
    sites = ["--site", f"MAIN={main.socket}", "--site", f"BACKUP={backup.state}"]
    seat = tmp_path / "seat"
    seat.mkdir()  # no checks.toml here: a seat needs none to hand over its sites
    out = tmp_path / "all-rooms.md"

    written = dutyroom("handover", *sites, "--out", str(out), cwd=seat)
    assert written.returncode == 0, written.stderr
    text = out.read_text(encoding="utf-8")
    assert "Sites: MAIN (main), BACKUP (backup)" in text
    assert "UNREACHABLE" not in text
    assert text.index("\n# MAIN (main)\n") < text.index("\n# BACKUP (backup)\n")
    assert "\n## " in text  # each site's own headings, one level under its site's
    for room in (main, backup):
        (kept,) = kept_handovers(room)  # each room keeps its own handover, as it wrote it
        assert f"Kept at {room.name.upper()} as {kept.name}." in text

    backup.stop()
    lost = dutyroom("handover", *sites, cwd=seat)  # to standard output
    assert lost.returncode == 2
    assert "SITE BACKUP UNREACHABLE" in lost.stderr
    assert "**SITE BACKUP UNREACHABLE: " in lost.stdout
    assert "\n# MAIN (main)\n" in lost.stdout
    assert "\n# BACKUP\n" in lost.stdout
    assert "This site's handover is MISSING" in lost.stdout


def test_one_report_for_the_sites_of_a_seat_config(two_rooms: tuple[Served, Served], tmp_path: Path) -> None:
    main, backup = two_rooms
    seat = tmp_path / "seat"
    seat.mkdir()
    (seat / "checks.toml").write_text(
        f'[site]\nname = "seat"\n\n[[site_link]]\nname = "MAIN"\nurl = "{main.socket}"\n\n'
        f'[[site_link]]\nname = "BACKUP"\nurl = "{backup.state}"\n',
        encoding="utf-8",
    )
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the rooms' own day
    report = dutyroom("report", "--all-sites", "--since", today, cwd=seat)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Operations report: 2 sites")
    assert "\n# MAIN (main)\n" in report.stdout
    assert "\n# BACKUP (backup)\n" in report.stdout

    table = dutyroom("report", "--all-sites", "--since", today, "--format", "csv", cwd=seat)
    assert table.returncode == 0, table.stderr
    rows = list(csv.reader(io.StringIO(table.stdout.removeprefix("\ufeff"))))
    assert rows[0][:2] == ["site", "section"]
    assert {row[0] for row in rows[1:]} == {"MAIN", "BACKUP"}

    listed = dutyroom("alerts", "--all-sites", "--json", cwd=seat)  # the seat's [[site_link]], as the console reads
    assert listed.returncode == 0, listed.stderr
    import json

    assert [site["site"] for site in json.loads(listed.stdout)["sites"]] == ["MAIN", "BACKUP"]
    status = dutyroom("status", "--all-sites", cwd=seat)
    assert status.returncode in (0, 1), status.stdout + status.stderr  # ok, or a warning about a room's targets
    assert status.stdout.startswith("DUTYROOM SITES ")
    assert [line.split()[0] for line in status.stdout.splitlines()[1:]] == ["MAIN", "BACKUP"]


@pytest.mark.parametrize(
    "argv",
    [
        ["handover", "--site", "X=/nonexistent/api.sock"],
        ["report", "--site", "X=/nonexistent/api.sock", "--since", "2026-10-01"],
    ],
)
def test_papers_across_sites_stay_light(argv: list[str], tmp_path: Path) -> None:
    status, loaded = modules_loaded_by(argv, tmp_path)
    assert status == 2  # the one site named could not be reached: loud
    assert not loaded & {*HEAVY, *HEAVY_PROJECT}
