"""Each site's own playbook beside its alert (issue 17, "working an incident" item 1), against fake sites.

Two sites keep different texts under the same playbook id: the pane draws the text of the site whose alert and
run it shows, says whose copy it is, and a tick lands on that site's run. A site that gives no playbook is
said so (never the seat's copy instead); a site slow to give it never holds up the UI loop: the pane says it
is being read, then shows it.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from textual.pilot import Pilot

from dutyroom.actions_model import RunStart, StepTick
from dutyroom.model import Identity
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.playbooks.model import Playbook, Step
from dutyroom.playbooks.run_state import JoinedAlert
from dutyroom.store.records import StoredAction
from tui.service_client import ServiceUnreachable
from tui.site_app import SitesApp, sites_app
from tui.site_playbook_shelf import PlaybookShelf
from tui.site_source import SiteDesk, split_key
from tui.widgets.playbook_pane import PlaybookPane
from tui.widgets.playbook_text import joined_another

from .apps import console_app, wait_until
from .fakes import FIXED_NOW, FakeSource, make_playbook, ups_run
from .site_rooms import fake_sites, read_all
from .test_joined_runs import note_text, rendered_step

"""How many short pauses a test waits at most for something the console does on another thread."""
DR_STEP_ONE = "SH-DR ONLY: read the battery page of the DR room's Eaton 9PX, not the APC one."


def dr_playbook(lang: str) -> Playbook:
    """SH-DR's own `ups-battery-low`: the same id as the main room's, another text."""
    playbook = make_playbook(lang)
    return replace(playbook, steps=(Step(1, DR_STEP_ONE), *playbook.steps[1:]))


def two_rooms_two_texts() -> tuple[SitesApp, dict[str, FakeSource]]:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    rooms["SH-DR"].playbooks = {("ups-battery-low", lang): dr_playbook(lang) for lang in ("en", "zh")}
    rooms["SH-DR"].runs = {"a1": ups_run(ticked=())}
    read_all(source)
    return sites_app(source, SiteDesk(rooms), console_app(rooms["SZ-MAIN"])), dict(rooms)


def title_text(pane: PlaybookPane) -> str:
    return str(pane.query_one("#playbook-title").render())


async def select(pilot: Pilot[None], app: SitesApp, fingerprint: str) -> None:
    """Move the alert list's cursor to `fingerprint` with the arrow keys, as an operator would."""
    screen = app.main_screen
    count = len(screen.snapshot.alerts) if screen.snapshot is not None else 0
    await pilot.press(*["up"] * count)
    for _ in range(count):
        if screen.selected_alert is not None and screen.selected_alert.fingerprint == fingerprint:
            return
        await pilot.press("down")
    raise AssertionError(f"alert {fingerprint} not in the list")


async def test_each_sites_alert_shows_that_sites_text_under_the_same_playbook_id() -> None:
    app, rooms = two_rooms_two_texts()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.main_screen.query_one(PlaybookPane)
        await select(pilot, app, "SZ-MAIN:a1")
        assert pane.playbook is not None
        assert pane.playbook.steps[0].text == make_playbook("en").steps[0].text
        assert DR_STEP_ONE not in rendered_step(pane, 1)
        assert title_text(pane) == "SZ-MAIN: UPS battery low or failed", "the pane says whose copy it shows"

        await select(pilot, app, "SH-DR:a1")
        assert pane.playbook is not None
        assert DR_STEP_ONE in rendered_step(pane, 1), "the DR room's own text beside the DR room's run"
        assert title_text(pane) == "SH-DR: UPS battery low or failed"

        await pilot.press("space")  # tick step 1 of SH-DR's run, as SH-DR words it
        await wait_until(pilot, lambda: rooms["SH-DR"].submitted, "the tick to reach SH-DR")
        ticked = rooms["SH-DR"].submitted[0]
        assert isinstance(ticked.intent, StepTick)
        assert (ticked.intent.run, ticked.intent.step, ticked.alert) == (pane.run.run_id if pane.run else "", 1, "a1")
        assert rooms["SZ-MAIN"].submitted == []


async def test_a_site_without_the_playbook_is_said_so_and_the_seats_copy_is_not_shown() -> None:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    rooms["SH-DR"].playbooks = {}
    read_all(source)
    app = sites_app(source, SiteDesk(rooms), console_app(rooms["SZ-MAIN"]))  # the seat's own room has the playbook
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, app, "SH-DR:a1")
        pane = app.main_screen.query_one(PlaybookPane)
        assert pane.playbook is None, "no other site's copy, nor the seat's, beside SH-DR's run"
        assert note_text(pane).startswith(
            "Playbook 'ups-battery-low' not available from site SH-DR: no playbook 'ups-battery-low' in this room"
        )
        await select(pilot, app, "SZ-MAIN:a1")
        assert pane.playbook is not None


async def test_a_slow_site_never_holds_up_the_pane_it_says_reading_then_shows_the_text() -> None:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    rooms["SH-DR"].playbooks = {("ups-battery-low", lang): dr_playbook(lang) for lang in ("en", "zh")}
    read_all(source)
    answer = threading.Event()
    asked: list[str] = []

    def slow_read(playbook_id: str, lang: str) -> tuple[Playbook | None, str]:
        asked.append(playbook_id)
        answer.wait(30)  # the link answers only when the test says so
        return rooms["SH-DR"].playbook(playbook_id, lang), ""

    slow = PlaybookShelf("SH-DR", slow_read)
    source.sites["SH-DR"] = replace(source.sites["SH-DR"], playbooks=slow)
    slow.start()
    app = sites_app(source, SiteDesk(rooms), console_app(rooms["SZ-MAIN"]))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await select(pilot, app, "SH-DR:a1")
            pane = app.main_screen.query_one(PlaybookPane)
            await wait_until(pilot, lambda: asked, "the shelf's thread to ask SH-DR")
            assert pane.playbook is None
            assert note_text(pane).startswith("Reading playbook 'ups-battery-low' from site SH-DR…")
            await pilot.press("right_square_bracket")  # keys are handled while the site has not answered
            assert app.sites.only == "SZ-MAIN"
            await pilot.press("right_square_bracket", "right_square_bracket")
            await select(pilot, app, "SH-DR:a1")
            answer.set()
            await wait_until(
                pilot, lambda: pane.playbook is not None, "SH-DR's text after it answered", tick=app.refresh_snapshot
            )
            assert DR_STEP_ONE in rendered_step(pane, 1)
            assert title_text(pane) == "SH-DR: UPS battery low or failed"
            assert asked.count("ups-battery-low") == 1, "asked once, however often the pane repainted meanwhile"
    finally:
        answer.set()
        slow.stop()


class DrillDesk:
    """A site's desk that plans drills: what it was asked to start, with which alert."""

    def __init__(self) -> None:
        self.asked: list[tuple[Intent, str]] = []

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        self.asked.append((intent, alert))
        assert isinstance(intent, StartDrill)
        started = RunStart(
            run="R1",
            playbook=intent.playbook,
            steps=5,
            two_person="",
            join="target",
            rule="",
            target="",
            alert_started_at=now,
            sessions="",
        )
        return StoredAction(1, started, Identity("alice"), now, alert, drill=True)


def test_a_drill_goes_to_its_site_under_the_id_that_site_knows() -> None:
    main, dr = DrillDesk(), DrillDesk()
    SiteDesk({"SZ-MAIN": main, "SH-DR": dr}).submit(StartDrill("SH-DR:ups-battery-low"), "SH-DR:a1", FIXED_NOW)
    assert dr.asked == [(StartDrill("ups-battery-low"), "a1")]
    assert main.asked == []


def test_merged_alerts_and_runs_name_their_sites_playbook() -> None:
    source, _, _ = fake_sites(("SZ-MAIN", "SH-DR"))
    read_all(source)
    snapshot = source.snapshot(FIXED_NOW)
    for alert in snapshot.alerts:
        if alert.playbook:
            assert split_key(alert.playbook)[0] == split_key(alert.fingerprint)[0]
    assert {key: run.playbook_id for key, run in snapshot.runs.items()} == {
        "SZ-MAIN:a1": "SZ-MAIN:ups-battery-low",
        "SH-DR:a1": "SH-DR:ups-battery-low",
    }


def test_the_alert_that_started_a_sites_run_is_not_taken_for_one_that_joined_it() -> None:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    started = JoinedAlert("a1", "ups-runtime-low", "ups-a", FIXED_NOW)
    for room in rooms.values():
        room.runs = {"a1": replace(ups_run(), alerts=(started,))}  # a1 started the run
    read_all(source)
    snapshot = source.snapshot(FIXED_NOW)
    alerts = {alert.fingerprint: alert for alert in snapshot.alerts}
    for key, run in snapshot.runs.items():
        assert run.incident_key == key
        assert [each.incident_key for each in run.alerts] == [key]
        assert not joined_another(alerts[key], run)


def test_a_site_back_after_it_was_lost_has_its_playbooks_read_again() -> None:
    source, reads, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    read_all(source)
    shelf = source.sites["SH-DR"].playbooks
    assert shelf.read_waiting() == 0
    reads["SH-DR"].failure = ServiceUnreachable("ssh: Connection refused")
    read_all(source)
    source.snapshot(FIXED_NOW)
    rooms["SH-DR"].playbooks = {("ups-battery-low", lang): dr_playbook(lang) for lang in ("en", "zh")}
    reads["SH-DR"].failure = None
    source.sites["SH-DR"].feed.read_once()
    source.snapshot(FIXED_NOW)  # the console's next tick sees it back
    assert source.playbook("SH-DR:ups-battery-low", "en") is not None, "the text it had is shown meanwhile"
    assert shelf.read_waiting() == 1
    again = source.playbook("SH-DR:ups-battery-low", "en")
    assert again is not None
    assert again.steps[0].text == DR_STEP_ONE
