"""The one-site status line stays on one line at 80 columns, attached to a `serve` or not, in English and
Chinese: the least important parts give way first (the user's name, the on-time count, the role, the site, the
clock...), and the phase and the poller words (owner / attached viewer) are always there."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from dutyroom.textwidth import cell_width
from dutyroom.views.console_source import ConsoleSnapshot
from tui.app import DutyroomApp
from tui.widgets.text_label import TextLabel

from .apps import console_app
from .fakes import FakeSource

HOLIDAY_EN = "holiday: Spring Festival, next open Mon 23 Feb 09:30"
HOLIDAY_ZH = "节假日：春节，下一个交易日 2月23日 09:30"


@dataclass
class PhasedSource(FakeSource):
    """The fake room on a day whose phase text is `phase_text` (a long holiday line by default)."""

    phase_text: str = HOLIDAY_EN

    def snapshot(self, now: float) -> ConsoleSnapshot:
        shown = super().snapshot(now)
        return replace(shown, status=replace(shown.status, phase_text=self.phase_text))


def status_main(app: DutyroomApp) -> TextLabel:
    return app.main_screen.query_one("#status-main", TextLabel)


POLLER_WORDS = {("en", "viewer"): "attached viewer", ("en", "owner"): "owner", ("zh", "viewer"): "附加查看"}
POLLER_WORDS[("zh", "owner")] = "主控"


@pytest.mark.parametrize("mode", ["viewer", "owner"])
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("calendar_mark", ["", "provisional calendar"])
@pytest.mark.parametrize("ascii_only", [False, True], ids=["unicode", "ascii"])
async def test_the_status_line_fits_one_line_at_80_columns(
    language: str, mode: str, calendar_mark: str, ascii_only: bool
) -> None:
    phase = HOLIDAY_ZH if language == "zh" else HOLIDAY_EN
    source = PhasedSource(mode=mode, calendar_mark=calendar_mark, phase_text=phase)
    app = console_app(source, language=language, remote=mode == "viewer", ascii_only=ascii_only)
    async with app.run_test(size=(80, 24)):
        label = status_main(app)
        shown = label.text.plain
        assert cell_width(shown) <= 80, shown
        assert label.size.height == 1, "one line, not wrapped"
        assert phase in shown
        assert POLLER_WORDS[(language, mode)] in shown


async def test_at_80_columns_the_users_name_goes_before_the_collectors() -> None:
    app = console_app(FakeSource(mode="viewer"), remote=True)
    async with app.run_test(size=(80, 24)):
        shown = status_main(app).text.plain
        assert "alice" not in shown
        assert "1 stale, 1 failing" in shown
        assert "continuous trading" in shown
        assert "attached viewer" in shown


async def test_a_wide_terminal_shows_every_part() -> None:
    app = console_app(FakeSource(mode="viewer"), remote=True)
    async with app.run_test(size=(160, 24)):
        assert status_main(app).text.plain == (
            "SZ core machine room │ 10:15 │ continuous trading │ collectors 40 on time, 1 stale, 1 failing"
            " │ attached viewer │ alice (operator)"
        )


async def test_narrowing_the_terminal_refits_the_line() -> None:
    app = console_app(FakeSource(mode="viewer"), remote=True)
    async with app.run_test(size=(160, 24)) as pilot:
        assert "alice" in status_main(app).text.plain
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        shown = status_main(app).text.plain
        assert "alice" not in shown
        assert cell_width(shown) <= 80
