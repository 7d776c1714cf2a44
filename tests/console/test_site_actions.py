"""Actions to a site are sent off the UI loop (issue 17): a site whose link just broke never freezes the console.

The hanging site is a real local socket that accepts and never answers (what a half-dead SSH link looks like
from here); the console keeps handling keys while the ack is on its way, says it is being sent, and when the
link breaks says in one line that it was NOT recorded, with the operator's text, so nothing is lost and nothing
is shown as done that the site did not confirm.
"""

from __future__ import annotations

import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from tui.service_client import ServiceClient
from tui.service_source import ServiceDesk
from tui.site_app import SitesApp, sites_app
from tui.site_source import SiteDesk, split_key

from .apps import console_app, notification_messages, wait_until
from .site_rooms import fake_sites, read_all

"""How many short pauses a test waits at most for something the console does on another thread."""


class HangingService:
    """A Unix socket that accepts every connection and never answers, until `release` closes them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen(8)
        self._listener.settimeout(0.2)
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hanging-service", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(connection)

    def release(self) -> None:
        """Close every connection: the client sees the link break."""
        for connection in self.accepted:
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.release()
        self._listener.close()


@pytest.fixture
def hanging() -> Iterator[HangingService]:
    with tempfile.TemporaryDirectory(prefix="hang", dir="/tmp") as directory:  # short: a socket path is <108 bytes
        service = HangingService(Path(directory) / "api.sock")
        try:
            yield service
        finally:
            service.close()


def hanging_console(hanging: HangingService) -> tuple[SitesApp, ServiceClient, dict[str, object]]:
    source, _, rooms = fake_sites(("SZ-MAIN", "SH-DR"))
    read_all(source)
    client = ServiceClient(hanging.path, timeout_s=120.0)  # the link hangs until the test breaks it
    desk = SiteDesk({"SZ-MAIN": rooms["SZ-MAIN"], "SH-DR": ServiceDesk(client, Identity("alice"))})
    app = sites_app(source, desk, console_app(rooms["SZ-MAIN"]))
    return app, client, dict(rooms)


async def test_an_ack_to_a_hanging_site_leaves_the_console_responsive_and_is_not_shown_as_done(
    hanging: HangingService,
) -> None:
    app, client, _ = hanging_console(hanging)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.narrow("SH-DR")
            await pilot.pause()
            selected = app.main_screen.selected_alert
            assert selected is not None
            assert split_key(selected.fingerprint)[0] == "SH-DR"
            await pilot.press("a", *"on it, calling the vendor", "enter")
            await wait_until(pilot, lambda: hanging.accepted, "the ack to reach the hanging site")
            assert app.screen is app.main_screen, "the dialog closed: the ack is on its way"
            assert app.sending == {"SH-DR": 1}
            assert any("Sending ack to SH-DR" in message for message in notification_messages(app))
            assert "sending 1" in app.strip_text()

            await pilot.press("right_square_bracket")  # keys are handled while the site does not answer
            assert app.sites.only is None
            await pilot.press("question_mark")
            assert app.screen is not app.main_screen
            await pilot.press("escape")
            assert not any("ACK:" in message for message in notification_messages(app))

            hanging.release()  # the link breaks
            await wait_until(pilot, lambda: not app.sending, "the ack's outcome")
            failed = [message for message in notification_messages(app) if "NOT confirmed" in message]
            assert len(failed) == 1, notification_messages(app)
            assert failed[0].startswith("SH-DR: ack NOT confirmed, the site did not answer")
            assert "on it, calling the vendor" in failed[0], "the operator's text is kept"
            assert "\n" not in failed[0]
            assert not any(message.startswith("SH-DR: Acknowledged") for message in notification_messages(app))
    finally:
        client.close()


async def test_an_ack_the_site_confirms_is_shown_as_recorded_once_confirmed(hanging: HangingService) -> None:
    app, client, rooms = hanging_console(hanging)
    main_room = rooms["SZ-MAIN"]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.narrow("SZ-MAIN")
            await pilot.pause()
            await pilot.press("a", *"seen", "enter")
            await wait_until(pilot, lambda: not app.sending, "the ack's outcome")
            assert [split_key(each.alert)[0] for each in main_room.submitted] == [""]  # type: ignore[attr-defined]
            assert any(message.startswith("SZ-MAIN: Acknowledged") for message in notification_messages(app))
            assert not any("NOT " in message for message in notification_messages(app))
    finally:
        client.close()


async def test_an_action_the_site_refuses_says_so_with_its_reason_and_the_text(hanging: HangingService) -> None:
    app, client, rooms = hanging_console(hanging)
    main_room = rooms["SZ-MAIN"]
    main_room.fail_with = ActionRefused("a viewer may not acknowledge")  # type: ignore[attr-defined]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.narrow("SZ-MAIN")
            await pilot.pause()
            await pilot.press("a", *"seen", "enter")
            await wait_until(pilot, lambda: not app.sending, "the ack's outcome")
            refused = [message for message in notification_messages(app) if "NOT recorded" in message]
            assert refused == ["SZ-MAIN: ack NOT recorded (refused): a viewer may not acknowledge; your text: seen"]
    finally:
        client.close()
