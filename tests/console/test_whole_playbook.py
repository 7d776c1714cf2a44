"""The whole playbook at the console (issue 14.3): contacts, introduction and appendices one key away, and a
step's inline command shown once.

The shipped mains-failure playbook is the example: five contacts, an introduction, eleven steps whose first and
seventh carry an inline command, and the appendix (the shutdown order) that step 7 refers to.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from dutyroom.playbooks.library import load_playbooks
from dutyroom.playbooks.model import Playbook
from tui.app import DutyroomApp
from tui.demo.shipped import shipped_room
from tui.screens.main import MainScreen
from tui.screens.playbook_document import PlaybookDocumentScreen
from tui.widgets.playbook_pane import PlaybookPane

from .apps import console_app, notification_messages
from .fakes import FakeSource, joined_room
from .test_joined_runs import rendered_step


def shipped_mains_failure(lang: str) -> Playbook:
    playbook = load_playbooks(shipped_room() / "playbooks").get("mains-failure", lang)
    assert playbook is not None
    return playbook


def shipped_room_source(lang: str = "en") -> FakeSource:
    """The joined room (UPS A on battery started a mains-failure run), with the shipped mains-failure playbook."""
    source = joined_room()
    source.playbooks[("mains-failure", lang)] = shipped_mains_failure(lang)
    return source


def document_text(app: DutyroomApp) -> str:
    screen = app.screen
    assert isinstance(screen, PlaybookDocumentScreen)
    return screen.document_text


async def test_an_inline_command_is_shown_once_not_again_as_a_dollar_line() -> None:
    app = console_app(shipped_room_source())
    async with app.run_test(size=(120, 40)):
        pane = app.screen.query_one(PlaybookPane)
        assert pane.playbook is not None
        assert pane.playbook.id == "mains-failure"
        first = rendered_step(pane, 1)
        assert first.count("dutyroom probe") == 1, first
        assert "$ dutyroom" not in first
        seventh = rendered_step(pane, 7)
        assert seventh.count("sudo shutdown -h now") == 1, seventh


async def test_a_command_block_outside_the_text_still_gets_its_dollar_line() -> None:
    app = console_app(FakeSource())
    async with app.run_test(size=(120, 40)):
        pane = app.screen.query_one(PlaybookPane)
        assert "$ ups-ctl status --unit ups-a" in rendered_step(pane, 3)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Building power duty room", "0755-8888-0102", "Appendix: shutdown order", "Test and development"]),
        ("zh", ["张伟", "138-0000-0001", "附录：关机顺序", "测试和开发服务器"]),
    ],
)
async def test_p_opens_the_whole_playbook_contacts_first_and_escape_comes_back(lang: str, expected: list[str]) -> None:
    app = console_app(shipped_room_source(lang), language=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        text = document_text(app)
        for part in expected:
            assert part in text, part
        contacts = text.index(expected[1])
        assert contacts < text.index(expected[2]), "contacts come before the text"
        introduction = "UPS has lost its mains input" if lang == "en" else "UPS 市电输入中断"
        assert introduction in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_pane_title_says_which_key_shows_the_contacts() -> None:
    app = console_app(shipped_room_source())
    async with app.run_test(size=(80, 24)):
        title = str(app.screen.query_one(PlaybookPane).border_title)
        assert title == "Playbook (p contacts, full text)", title


async def test_p_without_a_playbook_says_so_and_opens_nothing() -> None:
    source = FakeSource()
    source.alerts = [replace(alert, playbook=None) for alert in source.alerts]
    source.runs = {}
    app = console_app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, MainScreen)
        assert "No playbook for this alert." in notification_messages(app)


async def test_an_ascii_terminal_gets_no_box_drawing_on_the_playbook_screen() -> None:
    app = console_app(shipped_room_source(), ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen.query_one("#document")
        assert screen.styles.border_top[0] == "ascii"
