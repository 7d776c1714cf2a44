"""Screenshots of the playbook pane's and the alert list's own views (issue 14), at 80x24 and 120x40, en and zh.

Regenerate with `pytest tests/console/test_pane_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import pytest

from .test_snapshots import LANGUAGES, SIZE_IDS, SIZES, SnapCompare, snapshot_app
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
