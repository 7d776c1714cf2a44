"""A site's playbooks, read from its own service (`GET /v1/playbook`, docs/api.md) for a seat that has none.

A duty manager's seat watching several rooms keeps no copy of their playbooks (a copy would drift): the
playbook beside a site's alert is the one that site's service follows, read with the same reader as a file
here. What a site cannot give (no such playbook, the site unreachable) is said as "playbook X not available
from SITE". Answers are remembered for a while, so a screen repainted every second asks once. Each `get` may
wait for the site (over SSH, seconds): call it from a worker, never from the UI loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from dutyroom.config.problems import ProblemCollector
from dutyroom.playbooks.file import read_playbook_text
from dutyroom.playbooks.model import Playbook
from dutyroom.views.wire_playbooks import PlaybookAnswer
from tui.service_client import ServiceClient, ServiceRefused, ServiceUnreachable

KEEP_S = 60.0
"""How long an answer (or the lack of one) stands before the site is asked again: a reload there shows."""


def playbook_of_answer(answer: PlaybookAnswer, site: str = "") -> Playbook | None:
    """The playbook a service sent, read as a file named after the site, its language and its id."""
    name = f"{site + ':' if site else ''}{answer.lang}/{answer.id}.md"
    return read_playbook_text(answer.text, Path(name), answer.lang, ProblemCollector(name))


class SitePlaybooks:
    """One site's playbooks by (id, language), asked of its service and remembered for KEEP_S."""

    def __init__(
        self, site: str, client: ServiceClient, *, clock: Callable[[], float] = time.monotonic, keep_s: float = KEEP_S
    ) -> None:
        self.site = site
        self.client = client
        self.clock = clock
        self.keep_s = keep_s
        self._known: dict[tuple[str, str], tuple[float, Playbook | None, str]] = {}

    def get(self, playbook_id: str, lang: str) -> Playbook | None:
        """The site's playbook, or None (`unavailable` says why)."""
        return self._ask(playbook_id, lang)[1]

    def answer(self, playbook_id: str, lang: str) -> tuple[Playbook | None, str]:
        """The site's playbook and "", or None and why the site gives none (a `PlaybookShelf` reads with this)."""
        _, playbook, why = self._ask(playbook_id, lang)
        return playbook, why

    def unavailable(self, playbook_id: str, lang: str) -> str:
        """Why `get` gives None, as the console shows it; "" when the playbook is there."""
        _, playbook, why = self._ask(playbook_id, lang)
        return "" if playbook is not None else f"playbook {playbook_id} not available from {self.site} ({why})"

    def _ask(self, playbook_id: str, lang: str) -> tuple[float, Playbook | None, str]:
        now = self.clock()
        known = self._known.get((playbook_id, lang))
        if known is not None and now - known[0] < self.keep_s:
            return known
        try:
            playbook = playbook_of_answer(self.client.playbook(playbook_id, lang), self.site)
            answer = (now, playbook, "" if playbook is not None else "its text does not read as a playbook")
        except (ServiceRefused, ServiceUnreachable) as error:
            answer = (now, None, str(error))
        self._known[(playbook_id, lang)] = answer
        return answer
