"""`dutyroom check` on a new site: a secret file not written yet is reported like an unset variable, not failed.

The poller (`require_env=True`) still refuses both; a secret file that exists but is unprotected is always a
problem, because that is a mistake to fix rather than a step still to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from tui.cli.check import validate_all

WRITTEN_AT = 1_780_000_000.0
"""2026-05-28: `check` warns about the calendar by the date; these tests are not about the calendar."""

CONFIG = """
[site]
name = "new room"

[credentials.snmp]
community = { file = "secrets/snmp.community" }

[credentials.traps]
community = { env = "NEW_ROOM_TRAP_COMMUNITY_UNSET" }
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "checks.toml").write_text(CONFIG)
    (tmp_path / "playbooks").mkdir()
    return tmp_path


def test_check_lists_a_secret_file_not_written_yet_and_passes(site: Path) -> None:
    report = validate_all(site / "checks.toml", now=WRITTEN_AT)
    problems, summary = report.problems, report.summary
    assert problems == []
    assert "secret files not written yet here: secrets/snmp.community" in summary
    assert "NEW_ROOM_TRAP_COMMUNITY_UNSET" in summary


def test_the_poller_still_refuses_a_missing_secret_file(site: Path) -> None:
    with pytest.raises(ConfigError, match=r"secret file .*snmp\.community does not exist"):
        load_config(site / "checks.toml", environ={"NEW_ROOM_TRAP_COMMUNITY_UNSET": "x"})


def test_an_unprotected_secret_file_is_a_problem_even_for_check(site: Path) -> None:
    secret = site / "secrets" / "snmp.community"
    secret.parent.mkdir()
    secret.write_text("public\n")
    secret.chmod(0o644)
    problems = validate_all(site / "checks.toml", now=WRITTEN_AT).problems
    assert [problem.message for problem in problems] == [
        f"secret file {secret} is accessible by group or others (mode 0644); chmod 600 it"
    ]


def test_a_written_secret_file_is_not_listed(site: Path) -> None:
    secret = site / "secrets" / "snmp.community"
    secret.parent.mkdir()
    secret.write_text("private\n")
    secret.chmod(0o600)
    report = validate_all(site / "checks.toml", now=WRITTEN_AT)
    problems, summary = report.problems, report.summary
    assert problems == []
    assert "not written yet" not in summary
