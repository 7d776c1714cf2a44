"""Pilot tests of an alert that joined another alert's run: the pane shows, and the keys act on, that one run.

UPS A on battery started the mains-failure run; UPS A's runtime-low alert, whose own playbook is "UPS battery
low", joined it. The pane must draw the mains-failure steps (the run's), say the alert joined it, and a tick
must land on the step whose text is on screen.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList

from dutyroom.actions_model import StepTick, StepUndo
from tui.app import DutyroomApp
from tui.screens.confirm import ConfirmDialog
from tui.widgets.playbook_pane import PlaybookPane

from .apps import console_app, notification_messages
from .fakes import MAINS_RUN_ID, MAINS_STEPS, FakeSource, joined_room


def rendered_step(app_pane: PlaybookPane, number: int) -> str:
    """The step's text as the screen draws it (wrapped lines joined)."""
    steps = app_pane.query_one(OptionList)
    option = steps.get_option(f"step-{number}")
    lines = steps.app.console.render_lines(option.prompt, steps.app.console.options.update_width(200))  # type: ignore[arg-type]
    return " ".join("".join(segment.text for segment in line).strip() for line in lines)


def note_text(pane: PlaybookPane) -> str:
    return str(pane.query_one("#playbook-note").render())


async def select(pilot: Pilot[None], app: DutyroomApp, fingerprint: str) -> None:
    """Move the alert list's cursor to `fingerprint` with the arrow keys, as an operator would."""
    screen = app.main_screen
    count = len(screen.snapshot.alerts) if screen.snapshot is not None else 0
    await pilot.press(*["up"] * count)
    for _ in range(count):
        if screen.selected_alert is not None and screen.selected_alert.fingerprint == fingerprint:
            return
        await pilot.press("down")
    raise AssertionError(f"alert {fingerprint} not in the list")


async def test_a_joined_alert_shows_the_playbook_of_the_run_it_joined_and_says_so() -> None:
    source = joined_room()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, app, "a1")
        pane = app.screen.query_one(PlaybookPane)
        assert pane.run is not None
        assert pane.run.run_id == MAINS_RUN_ID
        assert pane.playbook is not None
        assert pane.playbook.id == "mains-failure", "the pane shows the playbook of the run it acts on"
        assert "Call the building power duty room" in rendered_step(pane, 3)
        note = note_text(pane)
        assert "Joined the mains-failure run started 10:02 by ups-a ups-on-battery" in note
        await select(pilot, app, "a0")
        assert "Joined" not in note_text(pane), "the alert that started the run did not join it"


async def test_a_tick_on_a_joined_alert_lands_on_the_step_shown() -> None:
    source = joined_room()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, app, "a1")
        pane = app.screen.query_one(PlaybookPane)
        await pilot.press("tab", "down", "down")
        assert pane.highlighted_step == 3
        shown = rendered_step(pane, 3)
        await pilot.press("space")
        assert [(item.intent, item.alert) for item in source.submitted] == [(StepTick(run=MAINS_RUN_ID, step=3), "a1")]
        assert MAINS_STEPS[2].text.split(":")[0] in shown
        assert "ticked by alice" in rendered_step(pane, 3)
        assert any(MAINS_RUN_ID in message for message in notification_messages(app)), "the outcome names the run"


async def test_undo_on_a_joined_alert_names_the_run_and_the_step_text() -> None:
    source = joined_room()
    app = console_app(source)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, app, "a1")
        await pilot.press("tab", "u")
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Mains failure / UPS on battery" in question
        assert "On each UPS panel" in question
        await pilot.press("y")
        assert [item.intent for item in source.submitted] == [StepUndo(run=MAINS_RUN_ID, step=1)]


def test_fake_room_is_shared_between_alerts_of_one_run() -> None:
    """The fake keeps one run under both alerts, as the store's run book does: a tick shows under either."""
    source: FakeSource = joined_room()
    assert source.runs["a0"] is source.runs["a1"]
