"""Screenshots of every screen at 80x24 and 120x40, in English and Chinese, plus 16 colours, NO_COLOR, ASCII.

The clock is frozen at FIXED_NOW and the remote profile is used so no cursor blinks between runs.
Regenerate with `pytest tests/console/test_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tui.app import DutyroomApp, create_app

from .apps import HAND_TICKS_S
from .fakes import BOB, FIXED_NOW, FakeSource, joined_room, room_alerts, sample_detail, sample_timeline, ups_run

SnapCompare = Callable[..., bool]
SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
LANGUAGES = ["en", "zh"]


def room(language: str = "en", **changes: Any) -> FakeSource:
    source = FakeSource(alerts=room_alerts(cjk=language == "zh"), **changes)
    source.details["ups-a"] = sample_detail()
    source.timeline_entries = sample_timeline()
    return source


def snapshot_app(language: str = "en", source: FakeSource | None = None, **options: Any) -> DutyroomApp:
    """The console a snapshot is taken of: it ticks only by hand, so a slow host cannot add a tick (and what a tick
    shows, e.g. a notice) before the picture is taken."""
    options.setdefault("sixteen_colors", False)
    options.setdefault("refresh_s", HAND_TICKS_S)
    fake = source or room(language)
    return create_app(fake, fake, language=language, remote=True, clock=lambda: FIXED_NOW, **options)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_main(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(snapshot_app(language), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_detail(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(snapshot_app(language), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_timeline(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(snapshot_app(language), press=["t"], terminal_size=size)


@pytest.mark.parametrize("key", ["a", "s", "n"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_dialogs(snap_compare: SnapCompare, language: str, key: str) -> None:
    assert snap_compare(snapshot_app(language), press=[key, *"vendor called"], terminal_size=(80, 24))


def test_silence_dialog_wide(snap_compare: SnapCompare) -> None:
    assert snap_compare(snapshot_app(), press=["s"], terminal_size=(120, 40))


def test_viewer_refused(snap_compare: SnapCompare) -> None:
    app = snapshot_app(source=room(role="viewer"))
    assert snap_compare(app, press=["a", *"on it"], terminal_size=(80, 24))  # greyed out: nothing is typed


@pytest.mark.parametrize("language", LANGUAGES)
def test_help(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(snapshot_app(language), press=["question_mark"], terminal_size=(80, 24))


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_wide_with_the_legend(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(snapshot_app(language), press=["question_mark", "end"], terminal_size=(120, 40))


@pytest.mark.parametrize("language", LANGUAGES)
def test_timeline_entry_in_full(snap_compare: SnapCompare, language: str) -> None:
    press = ["t", "slash", *"ticket", "enter", "enter"]
    assert snap_compare(snapshot_app(language), press=press, terminal_size=(80, 24))


@pytest.mark.parametrize("language", LANGUAGES)
def test_quit_confirmation(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(snapshot_app(language), press=["q"], terminal_size=(80, 24))


def test_chinese_playbook_two_person_step_focused(snap_compare: SnapCompare) -> None:
    source = room("zh", identity=BOB, runs={"a1": ups_run(ticked=(1, 2), awaiting=(4,))})
    assert snap_compare(snapshot_app("zh", source), press=["tab", "down", "down", "down"], terminal_size=(80, 24))


def test_sixteen_colours(snap_compare: SnapCompare) -> None:
    assert snap_compare(snapshot_app(sixteen_colors=True), terminal_size=(80, 24))


def test_no_color(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(snapshot_app(), terminal_size=(80, 24))


def test_ascii_only(snap_compare: SnapCompare) -> None:
    assert snap_compare(snapshot_app(ascii_only=True), terminal_size=(80, 24))


def test_reload_failed(snap_compare: SnapCompare) -> None:
    source = room(reload_status="reload failed: checks.toml:42:9: unknown key 'intervall' in [[target]] ups-a")
    assert snap_compare(snapshot_app(source=source), terminal_size=(80, 24))


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_small(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(snapshot_app(language), terminal_size=(60, 20))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_joined_run(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """UPS A's runtime alert joined the mains-failure run: the pane shows that run's playbook and says so."""
    assert snap_compare(snapshot_app(source=joined_room()), press=["down"], terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
def test_close_run_asks_first(snap_compare: SnapCompare, language: str) -> None:
    assert snap_compare(snapshot_app(language), press=["x"], terminal_size=(80, 24))
