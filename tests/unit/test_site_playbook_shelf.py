"""A site's playbook shelf (tui.site_playbook_shelf): `lookup` never reads, the shelf's reads answer it later;
an answer held past keep_s is read again while it stays shown; a failed read is one clean line."""

from __future__ import annotations

import time
from pathlib import Path

from dutyroom.playbooks.model import AppliesTo, Playbook, Step
from tui.site_playbook_shelf import PlaybookShelf


def playbook(text: str) -> Playbook:
    return Playbook(
        id="disk-full",
        lang="en",
        title="Disk full",
        severity="warning",
        kind="incident",
        applies_to=AppliesTo(),
        contacts=(),
        deadlines=(),
        steps=(Step(1, text),),
        body_text="",
        path=Path("SH-DR:en/disk-full.md"),
    )


class Site:
    """The site's answers, in turn; what it was asked."""

    def __init__(self, *answers: tuple[Playbook | None, str] | Exception) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str]] = []

    def __call__(self, playbook_id: str, lang: str) -> tuple[Playbook | None, str]:
        self.asked.append((playbook_id, lang))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_lookup_never_reads_and_asks_once_until_read() -> None:
    site, now = Site((playbook("first"), "")), [0.0]
    shelf = PlaybookShelf("SH-DR", site, clock=lambda: now[0], keep_s=60.0)
    assert shelf.lookup("disk-full", "en") is None
    assert shelf.lookup("disk-full", "en") is None
    assert site.asked == []
    assert shelf.read_waiting() == 1
    held = shelf.lookup("disk-full", "en")
    assert held is not None
    assert held.playbook is not None
    assert held.playbook.steps[0].text == "first"
    assert shelf.read_waiting() == 0, "a fresh answer is not asked again"


def test_an_answer_past_keep_s_stays_shown_while_it_is_read_again() -> None:
    site, now = Site((playbook("first"), ""), (playbook("after a reload"), "")), [0.0]
    shelf = PlaybookShelf("SH-DR", site, clock=lambda: now[0], keep_s=60.0)
    shelf.lookup("disk-full", "en")
    shelf.read_waiting()
    now[0] = 61.0
    held = shelf.lookup("disk-full", "en")
    assert held is not None
    assert held.playbook is not None
    assert held.playbook.steps[0].text == "first"
    assert shelf.read_waiting() == 1
    again = shelf.lookup("disk-full", "en")
    assert again is not None
    assert again.playbook is not None
    assert again.playbook.steps[0].text == "after a reload"


def test_a_refusal_or_a_failed_read_is_the_answer_in_one_clean_line() -> None:
    site = Site((None, "no playbook 'disk-full' in this room"), OSError("ssh: broken pipe\x1b[31m\nmore"))
    shelf = PlaybookShelf("SH-DR", site, keep_s=0.0)
    shelf.lookup("disk-full", "en")
    shelf.read_waiting()
    refused = shelf.lookup("disk-full", "en")
    assert refused is not None
    assert (refused.playbook, refused.why) == (None, "no playbook 'disk-full' in this room")
    shelf.read_waiting()
    failed = shelf.lookup("disk-full", "en")
    assert failed is not None
    assert failed.playbook is None
    assert failed.why.startswith("OSError: ssh: broken pipe")
    assert "\x1b" not in failed.why
    assert "\n" not in failed.why


def test_the_shelfs_thread_reads_what_is_looked_up_and_stops() -> None:
    site = Site((playbook("first"), ""))
    shelf = PlaybookShelf("SH-DR", site)
    shelf.start()
    try:
        shelf.lookup("disk-full", "en")
        for _ in range(500):
            if shelf.lookup("disk-full", "en") is not None:
                break
            time.sleep(0.01)
        assert shelf.lookup("disk-full", "en") is not None
    finally:
        shelf.stop(5.0)
    assert site.asked == [("disk-full", "en")]


def test_expired_playbooks_are_read_again_and_shown_meanwhile() -> None:
    site = Site((playbook("before"), ""), (playbook("after a restart"), ""))
    shelf = PlaybookShelf("SH-DR", site, keep_s=60.0)
    shelf.lookup("disk-full", "en")
    shelf.read_waiting()
    shelf.expire()
    held = shelf.lookup("disk-full", "en")
    assert held is not None
    assert held.playbook is not None
    assert held.playbook.steps[0].text == "before"
    assert shelf.read_waiting() == 1
    again = shelf.lookup("disk-full", "en")
    assert again is not None
    assert again.playbook is not None
    assert again.playbook.steps[0].text == "after a restart"
