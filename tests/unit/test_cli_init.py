"""`dutyroom init DIR` writes a starting site that `dutyroom check` accepts, and never overwrites by surprise."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from dutyroom.config.types import json_schema
from tui.cli.check import validate_all
from tui.cli.main import main
from tui.demo.shipped import shipped_room

WRITTEN_AT = 1_780_000_000.0
"""2026-05-28: `check` warns about the calendar by the date; these tests are not about the calendar."""

KINDS = {"snmp", "http", "tcp", "host", "trap"}


def _files_under(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _uncommented(text: str) -> str:
    """The config with its commented [[target]] and [traps] examples switched on."""
    lines, example = [], False
    for line in text.splitlines():
        if line in ("# [[target]]", "# [traps]"):
            example = True
        elif not line.startswith("# "):
            example = False
        lines.append(line[2:] if example else line)
    return "\n".join(lines) + "\n"


def _write_secret(path: Path) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text("a-community\n")
    path.chmod(0o600)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    directory = tmp_path / "site"
    assert main(["init", str(directory)]) == 0
    return directory


def test_the_new_site_passes_check_with_its_secret_file_still_to_write(site: Path) -> None:
    report = validate_all(site / "checks.toml", now=WRITTEN_AT)
    problems, summary = report.problems, report.summary
    assert problems == []
    assert summary.startswith("1 targets, ")
    assert "secret files not written yet here: secrets/snmp.community" in summary
    assert (site / "secrets").stat().st_mode & 0o777 == 0o700


def test_the_site_gets_every_playbook_and_calendar_of_the_shipped_room(site: Path) -> None:
    for folder in ("playbooks", "calendars"):
        shipped = _files_under(shipped_room() / folder)
        assert shipped
        assert _files_under(site / folder) == shipped


def test_the_schema_beside_the_config_is_the_one_dutyroom_schema_prints(site: Path) -> None:
    assert json.loads((site / "checks.schema.json").read_text(encoding="utf-8")) == json_schema()
    assert (site / "checks.toml").read_text(encoding="utf-8").startswith("#:schema ./checks.schema.json\n")


def test_one_target_of_each_kind_waits_commented_and_is_valid_once_uncommented(site: Path) -> None:
    config = site / "checks.toml"
    text = config.read_text(encoding="utf-8")
    assert {target["kind"] for target in tomllib.loads(text)["target"]} == {"host"}
    assert set(re.findall(r'^# kind = "(\w+)"', text, flags=re.MULTILINE)) == KINDS - {"host"}
    config.write_text(_uncommented(text), encoding="utf-8")
    _write_secret(site / "secrets" / "snmp.community")
    _write_secret(site / "secrets" / "traps.community")
    report = validate_all(config, now=WRITTEN_AT)
    problems, summary = report.problems, report.summary
    assert problems == []
    assert {target["kind"] for target in tomllib.loads(config.read_text())["target"]} == KINDS
    assert "not written yet" not in summary


def test_init_refuses_existing_files_in_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "checks.toml").write_text("# mine\n")
    assert main(["init", str(site)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{site / 'checks.toml'} exists" in error
    assert "--force" in error
    assert (site / "checks.toml").read_text() == "# mine\n"
    assert sorted(path.name for path in site.iterdir()) == ["checks.toml"]


def test_init_refuses_when_only_a_playbook_exists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "site" / "playbooks" / "en" / "disk-full.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own disk-full playbook\n")
    assert main(["init", str(tmp_path / "site")]) == 1
    assert f"{mine} exists;" in capsys.readouterr().err
    assert mine.read_text() == "my own disk-full playbook\n"
    assert not (tmp_path / "site" / "checks.toml").exists()


def test_force_replaces_the_files_and_never_writes_through_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "not-the-site.toml"
    elsewhere.write_text("# someone else's file\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "checks.toml").symlink_to(elsewhere)
    assert main(["init", str(site), "--force"]) == 0
    assert elsewhere.read_text() == "# someone else's file\n"
    assert not (site / "checks.toml").is_symlink()
    assert validate_all(site / "checks.toml", now=WRITTEN_AT).problems == []
