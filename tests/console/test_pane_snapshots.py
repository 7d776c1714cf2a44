"""Screenshots of the playbook pane's and the alert list's own views (issue 14), at 80x24 and 120x40, en and zh.

Regenerate with `pytest tests/console/test_pane_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from .fakes import make_alert
from .test_readable_alerts import twin_probes
from .test_snapshots import LANGUAGES, SIZE_IDS, SIZES, SnapCompare, room, snapshot_app
from .test_whole_playbook import shipped_room_source


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_playbook(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    """`p`: the shipped mains-failure playbook, contacts first, then its text as written."""
    app = snapshot_app(language, shipped_room_source(language))
    assert snap_compare(app, press=["p"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_playbook_in_the_pane(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    """The shipped mains-failure steps: a step's inline command shown once."""
    assert snap_compare(snapshot_app(language, shipped_room_source(language)), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_readable_alert_list(snap_compare: SnapCompare, language: str, size: tuple[int, int]) -> None:
    """Two sensors of one probe told apart by their labels, summaries, utilisation over 100 %, a flag as a word,
    the room's rows."""
    source = room(language)
    over = make_alert("o1", rule="link-util", target="sh-line", target_name="SSE line", value=112.0, unit="%")
    flag = make_alert(
        "b1", rule="ups-on-battery", metric="ups.on_battery", profile="ups-mib", value=1.0, unit="", target="ups-b"
    )
    source.alerts = [*twin_probes(), over, replace(flag, target_name="UPS B"), *source.alerts]
    assert snap_compare(snapshot_app(language, source), terminal_size=size)
