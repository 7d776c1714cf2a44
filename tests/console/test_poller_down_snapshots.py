"""Screenshots of the main screen while the poller is down: red banner on top, every value stale with its age;
in English and Chinese, with 16 colours, NO_COLOR and ASCII (each must read without colour).

Regenerate with `pytest tests/console/test_poller_down_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dutyroom.store.liveness import PollerLiveness, PollerState
from tui.app import DutyroomApp, create_app

from .apps import HAND_TICKS_S
from .fakes import FIXED_NOW, FakeSource, room_alerts

SnapCompare = Callable[..., bool]
DOWN = PollerLiveness(PollerState.DOWN, "not running", FIXED_NOW - 180, 4242, FIXED_NOW - 180)


def down_app(language: str = "en", **options: Any) -> DutyroomApp:
    options.setdefault("sixteen_colors", False)
    source = FakeSource(alerts=room_alerts(cjk=language == "zh"), mode="viewer")
    return create_app(
        source,
        source,
        language=language,
        remote=True,
        clock=lambda: FIXED_NOW,
        poller_liveness=lambda now: DOWN,
        refresh_s=HAND_TICKS_S,
        **options,
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_poller_down(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(down_app(language), terminal_size=size)


def test_poller_down_sixteen_colours(snap_compare: SnapCompare) -> None:
    assert snap_compare(down_app(sixteen_colors=True), terminal_size=(80, 24))


def test_poller_down_no_color(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(down_app(), terminal_size=(80, 24))


def test_poller_down_ascii(snap_compare: SnapCompare) -> None:
    assert snap_compare(down_app(ascii_only=True), terminal_size=(80, 24))
