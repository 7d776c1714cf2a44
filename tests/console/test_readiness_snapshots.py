"""Screenshots of the main screen with a readiness verdict on the status line, 80x24, English and Chinese.

Regenerate with `pytest tests/console/test_readiness_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutyroom.duties.status import Readiness

from .test_snapshots import SnapCompare, room, snapshot_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
VERDICT = Readiness(2, 3, datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), datetime(2026, 12, 7, 9, 15, tzinfo=SHANGHAI))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_main_with_a_verdict(snap_compare: SnapCompare, language: str) -> None:
    source = room(language, readiness=VERDICT, duty_state="running", duty_title="Pre-open readiness check")
    assert snap_compare(snapshot_app(language, source), terminal_size=(80, 24))
