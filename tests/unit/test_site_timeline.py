"""The timeline of several sites (tui.site_timeline): every site asked at once, the answers by the deadline kept,
the sites that refused or did not answer named with why."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from dutyroom.views.console_source import TimelineEntry
from tui.service_client import ServiceRefused
from tui.site_timeline import read_timelines

ENTRY = TimelineEntry(100.0, "action", "ups-a", "", who="alice", what="ack")


class Timeline:
    """A site's timeline reads: its entries, a refusal, or a read that hangs until `release`."""

    def __init__(self, *, refuse: bool = False, hang: bool = False) -> None:
        self.refuse = refuse
        self.released = threading.Event()
        if not hang:
            self.released.set()

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        self.released.wait(30)
        if self.refuse:
            raise ServiceRefused(403, "viewers may not read the audit")
        return [ENTRY]


def test_answers_by_the_deadline_are_kept_and_the_others_named() -> None:
    hanging = Timeline(hang=True)
    sites = {"SZ-MAIN": Timeline(), "SZ-BAK": Timeline(refuse=True), "SH-DR": hanging}
    try:
        read = read_timelines(sites, 0.0, 200.0, ("action",), timeout_s=0.2)
    finally:
        hanging.released.set()
    assert read.answered == {"SZ-MAIN": [ENTRY]}
    assert read.unanswered["SH-DR"] == "no answer within 0.2 s"
    assert "viewers may not read the audit" in read.unanswered["SZ-BAK"]
    assert list(read.unanswered) == ["SZ-BAK", "SH-DR"]
