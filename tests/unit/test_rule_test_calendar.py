"""A rule test can say how the calendar stands at an expectation (`calendar = "provisional"`), and fails if not."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.rules.rule_tests import run_rule_test

RULE_ROOM = Path(__file__).resolve().parents[1] / "rules" / "checks.toml"


def _result_of(tmp_path: Path, start: str, standing: str) -> list[str]:
    test_file = tmp_path / "calendar.test.toml"
    test_file.write_text(
        f'config = "{RULE_ROOM}"\nstart = "{start}"\n\n[[expect]]\nat = "0s"\ncalendar = "{standing}"\n',
        encoding="utf-8",
    )
    result = run_rule_test(test_file)
    assert result.problems == []
    return result.failures


@pytest.mark.parametrize(
    ("start", "standing"),
    [("2026-11-23T10:00:00+08:00", "confirmed"), ("2027-01-04T10:00:00+08:00", "provisional")],
)
def test_the_expected_standing_passes(tmp_path: Path, start: str, standing: str) -> None:
    assert _result_of(tmp_path, start, standing) == []


def test_a_wrong_standing_fails_with_what_was_seen(tmp_path: Path) -> None:
    assert _result_of(tmp_path, "2026-11-23T10:00:00+08:00", "provisional") == [
        "at 0s: expected calendar=provisional; got confirmed"
    ]
