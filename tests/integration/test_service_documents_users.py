"""A viewer who can read neither the state directory nor the secret reads the documents through the socket.

The same real accounts and serve as test_service_api_users.py (its `room` fixture: a serve of its own for this
module): `run list|show`, `handover` (written by the service, as the viewer), `report`, `audit list|verify`.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import test_service_api_users
from test_service_api_users import SECRET, ServedRoom

from dutyroom.handover.audit_head import recorded_head

pytestmark = pytest.mark.integration
room = test_service_api_users.room
"""The module-scoped fixture: the users and a serve of this module's own."""


def viewer_cannot_read(room: ServedRoom, path: Path) -> bool:
    peek = room.users.run_as("view", ["/bin/ls", str(path)], {"PATH": "/usr/bin:/bin"})
    return peek.returncode != 0


def test_the_viewer_lists_and_shows_runs_through_the_socket(room: ServedRoom) -> None:
    assert viewer_cannot_read(room, room.state)
    listed = room.cli("view", "run", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Host check" in listed.stdout
    run_id = listed.stdout.split()[0]
    shown = room.cli("view", "run", "show", run_id)
    assert shown.returncode == 0, shown.stderr
    assert "Look at the host's load." in shown.stdout
    missing = room.cli("view", "run", "show", "no-such-run")
    assert missing.returncode == 1
    assert "no playbook run 'no-such-run'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_viewer_writes_a_handover_that_the_service_keeps_and_audits(room: ServedRoom) -> None:
    written = room.cli("view", "handover", SUDO_USER=room.users["op"])
    assert written.returncode == 0, written.stderr
    path = Path(written.stdout.strip().removeprefix("handover written: "))
    assert path.parent == room.state / "handovers"
    assert path.is_file()  # read by the test (root): the viewer cannot
    assert SECRET not in path.read_text(encoding="utf-8")
    authors = [json.loads(line)["user"] for line in audit_users(room, "handover")]
    assert authors[-1] == room.users["view"]  # the kernel's name, not SUDO_USER's

    printed = room.cli("view", "handover", "--out", "-", "--format", "txt")
    assert printed.returncode == 0, printed.stderr
    assert "served room" in printed.stdout
    assert SECRET not in printed.stdout


def test_the_viewer_gets_the_report_and_the_audit_log(room: ServedRoom) -> None:
    since = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    report = room.cli("view", "report", "--since", since)
    assert report.returncode == 0, report.stderr
    assert "load-seen" in report.stdout
    assert SECRET not in report.stdout
    csv = room.cli("view", "report", "--since", since, "--format", "csv")
    assert csv.stdout.startswith("\ufeffsection,"), csv.stdout[:80]

    assert room.cli("op", "note", fingerprint_of(room), "-m", "through the socket").returncode == 0
    listed = room.cli("view", "audit", "list", "--kind", "note", "--json")
    assert listed.returncode == 0, listed.stderr
    [*_, last] = json.loads(listed.stdout)
    about = (last["user"], last["kind"], last["target"], last["rule"])
    assert about == (room.users["op"], "note", "console", "load-seen")
    lines = room.cli("view", "audit", "list", "--user", room.users["op"])
    assert "through the socket" in lines.stdout

    verified = room.cli("view", "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("audit log intact: ")


def test_audit_verify_against_a_signed_handover_through_the_socket(room: ServedRoom) -> None:
    written = room.cli("view", "handover")
    assert written.returncode == 0, written.stderr
    assert room.cli("op", "handover", "--sign").returncode == 0
    signed = Path(written.stdout.strip().removeprefix("handover written: "))
    copy = room.config.parent.parent / signed.name  # a copy the viewer may read (the duty group's file share)
    shutil.copyfile(signed, copy)
    copy.chmod(0o644)
    checked = room.cli("view", "audit", "verify", "--against", str(copy))
    assert checked.returncode == 0, checked.stderr
    assert "is in the log unchanged" in checked.stdout
    text = copy.read_text(encoding="utf-8")
    head = recorded_head(text, copy.name)
    assert head is not None
    copy.write_text(text.replace(head.hash, "0" * len(head.hash)), encoding="utf-8")
    refused = room.cli("view", "audit", "verify", "--against", str(copy))
    assert refused.returncode == 1
    assert refused.stderr.startswith("audit log damaged: "), refused.stderr
    assert "Traceback" not in refused.stderr


def fingerprint_of(room: ServedRoom) -> str:
    listed = json.loads(room.cli("view", "alerts", "--json").stdout)
    return next(alert["fingerprint"] for alert in listed["alerts"] if alert["rule"] == "load-seen")


def audit_users(room: ServedRoom, kind: str) -> list[str]:
    """The actor (JSON) of each audit record of `kind`, read by the test (root) from the service's store."""
    connection = sqlite3.connect(f"file:{room.state / 'dutyroom.db'}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT actor FROM audit WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
    finally:
        connection.close()
    return [actor for (actor,) in rows]
