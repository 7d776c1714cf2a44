"""The status line marks a provisional or draft calendar, and the calendar's warning shows as a banner."""

from __future__ import annotations

from .apps import console_app
from .fakes import FakeSource

WARNING = (
    "no calendar file covers 2027-01-04: weekdays count as trading days with the standard sessions "
    "(provisional calendar); add the 2027 calendar (dutyroom calendar draft 2027)"
)


async def test_a_provisional_day_is_marked_beside_the_phase_and_explained_in_a_banner() -> None:
    source = FakeSource(calendar_mark="provisional calendar", calendar_warning=WARNING)
    app = console_app(source)
    async with app.run_test(size=(160, 24)):
        main = str(app.screen.query_one("#status-main").render())
        assert "continuous trading │ ! provisional calendar │ " in main
        banner = app.screen.query_one("#status-calendar")
        assert banner.has_class("-shown")
        assert "no calendar file covers 2027-01-04" in str(banner.render())


async def test_a_confirmed_day_has_no_mark_and_no_banner() -> None:
    app = console_app(FakeSource())
    async with app.run_test(size=(160, 24)):
        assert "calendar" not in str(app.screen.query_one("#status-main").render())
        assert not app.screen.query_one("#status-calendar").has_class("-shown")


async def test_the_mark_is_ascii_in_ascii_mode() -> None:
    app = console_app(FakeSource(calendar_mark="draft calendar"), ascii_only=True)
    async with app.run_test(size=(160, 24)):
        assert "continuous trading | ! draft calendar | " in str(app.screen.query_one("#status-main").render())
