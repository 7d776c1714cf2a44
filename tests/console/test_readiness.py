"""The readiness verdict of a running duty on the status line at 80x24, in English and Chinese."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dutyroom.duties.status import Readiness

from .apps import console_app
from .fakes import FakeSource

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
OPENS = datetime(2026, 12, 7, 9, 15, tzinfo=SHANGHAI)


def with_verdict(failing: int, open_steps: int, state: str = "running") -> FakeSource:
    return FakeSource(
        readiness=Readiness(failing, open_steps, DUE, OPENS),
        duty_state=state,
        duty_title="Pre-open readiness check",
    )


async def shown(source: FakeSource, **options: Any) -> tuple[str, set[str]]:
    app = console_app(source, **options)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the first refresh has drawn the status line, however slow the machine
        banner = app.screen.query_one("#status-duty")
        return (str(banner.render()) if banner.has_class("-shown") else ""), set(banner.classes)


@pytest.mark.parametrize(
    ("failing", "open_steps", "language", "expected"),
    [
        (2, 3, "en", "NOT READY: 2 automated checks failing, 3 steps open, due 09:00"),
        (1, 1, "en", "NOT READY: 1 automated check failing, 1 step open, due 09:00"),
        (0, 3, "en", "NOT READY: 3 steps open, due 09:00"),
        (0, 0, "en", "READY for 09:15"),
        (2, 3, "zh", "未就绪：2 项自动检查未通过，3 步未完成，09:00 前完成"),
        (0, 0, "zh", "已就绪，09:15 开市"),
    ],
)
async def test_the_verdict_is_on_the_status_line(failing: int, open_steps: int, language: str, expected: str) -> None:
    text, classes = await shown(with_verdict(failing, open_steps), language=language)
    assert text == expected
    assert ("-ready" in classes) == (failing == open_steps == 0)


async def test_a_missed_duty_says_so_until_the_open() -> None:
    text, classes = await shown(with_verdict(0, 4, state="missed"))
    assert text == "NOT READY: Pre-open readiness check missed (due 09:00)"
    assert "-missed" in classes


async def test_no_duty_no_verdict() -> None:
    text, classes = await shown(FakeSource())
    assert text == ""
    assert "-shown" not in classes
