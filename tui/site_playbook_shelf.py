"""A site's playbooks for the console's UI loop (issue 17): what was read is answered at once, the rest is read
on the shelf's own thread.

The console on several sites draws a site's own playbook beside that site's alert and run (two rooms may keep
different texts under one id, and a step ticked from the seat is recorded against the site's text). Reading it
may wait seconds on an SSH link, so `lookup` never reads: it answers from what the shelf holds and asks the
shelf's thread for what it lacks, or holds for longer than `keep_s` (the service's API names no playbook
version to watch, so a reload at the site shows within `keep_s`). The latest answer stands, a refusal too:
the shelf never falls back to another copy. A site that comes back after it was lost has its playbooks read again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from dutyroom.playbooks.model import Playbook
from dutyroom.textclean import clean_text

KEEP_S = 60.0
"""How long a playbook read from a site is shown before it is read again (in the background, shown meanwhile)."""
WHY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class ShelvedPlaybook:
    """What a site answered for one playbook: the playbook, or None and why not, and when it was read."""

    playbook: Playbook | None
    why: str
    read_at: float


PlaybookReader = Callable[[str, str], tuple[Playbook | None, str]]
"""Asks the site now (blocking): (playbook, "") or (None, why the site gives none)."""


class PlaybookShelf:
    """One site's playbooks by (id, language), read on a thread of the shelf's own (`start`), never by `lookup`."""

    def __init__(
        self,
        site: str,
        read: PlaybookReader,
        *,
        clock: Callable[[], float] = time.monotonic,
        keep_s: float = KEEP_S,
    ) -> None:
        self.site = site
        self._read = read
        self._clock = clock
        self._keep_s = keep_s
        self._lock = threading.Lock()
        self._held: dict[tuple[str, str], ShelvedPlaybook] = {}
        self._wanted: list[tuple[str, str]] = []
        self._asked: set[tuple[str, str]] = set()
        """Asked and not answered yet (wanted, or being read): asked once however often it is looked up."""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"playbooks-{site}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def lookup(self, playbook_id: str, lang: str) -> ShelvedPlaybook | None:
        """What the site last answered (None: not read yet, asked now); one held past `keep_s` is asked again."""
        key = (playbook_id, lang)
        with self._lock:
            held = self._held.get(key)
            if (held is None or self._clock() - held.read_at >= self._keep_s) and key not in self._asked:
                self._asked.add(key)
                self._wanted.append(key)
                self._wake.set()
        return held

    def expire(self) -> None:
        """Read every held playbook again when next looked up, showing it meanwhile (the site came back: its
        service may have restarted with other playbooks)."""
        with self._lock:
            self._held = {key: replace(held, read_at=-math.inf) for key, held in self._held.items()}

    def read_waiting(self) -> int:
        """Read every playbook asked for since the last time, here; how many were read (the thread calls this)."""
        with self._lock:
            wanted, self._wanted = self._wanted, []
        for playbook_id, lang in wanted:
            try:
                playbook, why = self._read(playbook_id, lang)
            except Exception as error:  # one line on the pane, never a traceback nor a dead thread
                playbook, why = None, f"{type(error).__name__}: {error}"
            shelved = ShelvedPlaybook(playbook, clean_text(why, WHY_LIMIT), self._clock())
            with self._lock:
                self._held[(playbook_id, lang)] = shelved
                self._asked.discard((playbook_id, lang))
        return len(wanted)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if not self._stop.is_set():
                self.read_waiting()
