"""The demo finds its room and devices in the package, not in the checkout, and says how to get snmpsim."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.cli.demo import room_config
from tui.cli.main import main
from tui.demo.catalog import SNMP_DEVICES
from tui.demo.shipped import shipped_config, shipped_devices, shipped_room

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_room_is_package_data_of_tui_demo() -> None:
    package = Path(sys.modules["tui.demo"].__file__ or "").parent
    assert shipped_room().parent == package
    assert shipped_config().is_file()
    assert (shipped_room() / "playbooks" / "en").is_dir()
    assert (shipped_room() / "calendars").is_dir()
    assert {path.stem for path in shipped_devices().glob("*.snmprec")} == {device.name for device in SNMP_DEVICES}


def test_the_top_level_example_is_a_link_to_the_shipped_files_not_a_copy() -> None:
    for name in ("checks.toml", "playbooks", "calendars"):
        assert (ROOT / name).is_symlink(), name
        assert (ROOT / name).resolve() == (shipped_room() / name).resolve()
    assert (ROOT / "demo" / "devices").resolve() == shipped_devices().resolve()


def test_without_a_checks_toml_here_the_demo_runs_the_shipped_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert room_config(Path("checks.toml")) == shipped_config()


def test_a_checks_toml_here_or_a_named_one_is_used_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checks.toml").write_text("")
    assert room_config(Path("checks.toml")) == Path("checks.toml")
    assert room_config(Path("elsewhere/room.toml")) == Path("elsewhere/room.toml")


def test_a_named_config_that_does_not_exist_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "checks.toml"
    status = main(["demo", "--headless", "--config", str(missing), "--state", str(tmp_path / "state")])
    assert status == 1
    assert f"room configuration {missing} not found" in capsys.readouterr().err
    assert not (tmp_path / "state").exists()


def test_without_snmpsim_the_demo_says_how_to_install_it_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "snmpsim", None)  # how Python spells "not importable here"
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--headless", "--seconds", "1", "--state", str(tmp_path / "state")]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "pip install 'dutyroom[demo]'" in error
    assert not (tmp_path / "state").exists()
