"""A screen's read of a site, off the UI loop (issue 17): opening the detail of a site just lost never freezes
the console.

A site's link may hang for seconds after it broke, before the site's feed notices. The detail and the timeline
of the console on several sites therefore read on a thread of their own, one read at a time per screen (a slow
site never stacks reads), and the answer comes back as a message (`SiteReadDone`), as the feeds' and the
actions' threads do. A read still going after `timeout_s` is `late`: the screen says the site is unreachable,
and shows the answer if it ever comes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from textual.message import Message

T = TypeVar("T")

READ_TIMEOUT_S = 3.0
"""How long a screen waits for a site before it says the site is unreachable (a site's own reads time out at 1 s;
an SSH link that hangs may not)."""


class SiteReadDone(Message, Generic[T]):
    """A read came back: `value`, or the `error` it raised (the screen words it; a traceback is never shown)."""

    def __init__(self, reader: SiteReader[T], value: T | None, error: Exception | None) -> None:
        super().__init__()
        self.reader = reader
        self.value = value
        self.error = error


class SiteReader(Generic[T]):
    """One blocking read at a time, on a daemon thread; its answer is posted as a SiteReadDone."""

    def __init__(
        self,
        post: Callable[[SiteReadDone[T]], object],
        *,
        timeout_s: float = READ_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`post` is called from the reading thread (Textual's `post_message` is thread-safe)."""
        self._post = post
        self._timeout_s = timeout_s
        self._clock = clock
        self._started_at: float | None = None

    @property
    def reading(self) -> bool:
        return self._started_at is not None

    @property
    def late(self) -> bool:
        """Whether the read in flight has taken longer than `timeout_s`."""
        return self._started_at is not None and self._clock() - self._started_at >= self._timeout_s

    def start(self, read: Callable[[], T], name: str = "site-read") -> bool:
        """Start `read` on its thread; False (nothing started) while the previous read is still going."""
        if self._started_at is not None:
            return False
        self._started_at = self._clock()

        def run() -> None:
            try:
                done = SiteReadDone(self, read(), None)
            except Exception as error:
                done = SiteReadDone[T](self, None, error)
            self._post(done)

        threading.Thread(target=run, name=name, daemon=True).start()
        return True

    def settle(self, done: SiteReadDone[T]) -> bool:
        """Take `done` on the UI loop: True when it is this reader's answer (the next read may start then)."""
        if done.reader is not self:
            return False
        self._started_at = None
        return True
