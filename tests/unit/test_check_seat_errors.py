"""`dutyroom check` on a seat (a checks.toml with only [[site_link]]) that has an error reports that error alone,
at file:line:col: a seat needs no playbooks of its own, broken or not, so no "playbook directory not found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli.main import main

SEAT = """\
[site]
name = "duty seat"

[[site_link]]
name = "SZ-MAIN"
url = "/run/dutyroom/api.sock"

[[site_link]]
name = "SH-DR"
url = "ssh://duty@dr.example:2222/run/dutyroom/api.sock"
"""


def check_output(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    path = tmp_path / "checks.toml"
    path.write_text(text, encoding="utf-8")
    assert not (tmp_path / "playbooks").exists()
    code = main(["check", "--config", str(path)])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).replace(str(path), "checks.toml").splitlines()


def test_a_valid_seat_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = check_output(tmp_path, SEAT, capsys)
    assert code == 0, lines


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ('name = "SH-DR"', 'name = "SZ-MAIN"'), "checks.toml:9:8: site 'SZ-MAIN' is given twice", id="twice"
        ),
        pytest.param(
            ('url = "/run/dutyroom/api.sock"', 'url = "http://room/api.sock"'),
            "checks.toml:6:7: 'http://room/api.sock': only ssh:// URLs, socket paths and state directories are sites",
            id="bad-url",
        ),
        pytest.param(
            ('name = "duty seat"', 'name = "duty seat"\nnmae = "x"'),
            "checks.toml:3:1: unknown key 'nmae' in [site]",
            id="unknown-key",
        ),
        pytest.param(("[site]", "[site"), "checks.toml:1:6: TOML syntax error", id="not-toml"),
    ],
)
def test_a_seat_with_an_error_reports_that_error_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in SEAT
    code, lines = check_output(tmp_path, SEAT.replace(old, new, 1), capsys)
    assert code == 1
    assert lines[-1] == "1 problem(s)", lines
    assert lines[0].startswith(expected), lines
    assert not any("playbook" in line for line in lines), lines


def test_a_room_with_an_error_still_hears_of_its_missing_playbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = check_output(tmp_path, '[site]\nname = "room"\nnmae = "x"\n', capsys)
    assert code == 1
    assert any(line.endswith("playbook directory not found") for line in lines), lines
    assert lines[-1] == "2 problem(s)", lines
