"""The timeline of several sites, each site read on a thread of its own within one deadline (issue 17).

One site whose link hangs must not hold up the others' entries nor the screen: every site is asked at once and
whatever answered by the deadline is shown, with the sites that did not answer named. A site's read left
behind ends by its client's own timeout; its answer is then dropped (the next read asks again).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dutyroom.views.console_source import TimelineEntry


class TimelineSource(Protocol):
    """What a site's timeline is read from (a site's ConsoleSource)."""

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]: ...


@dataclass(frozen=True, slots=True)
class SitesTimeline:
    """The entries of the sites that answered (merged: targets named `SITE:target`, oldest first), and the sites
    that did not answer, each with why."""

    entries: tuple[TimelineEntry, ...]
    unanswered: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TimelineAnswers:
    """Each site's entries as it gave them, and the sites that did not answer, each with why."""

    answered: Mapping[str, list[TimelineEntry]]
    unanswered: Mapping[str, str]


def read_timelines(
    sources: Mapping[str, TimelineSource],
    since: float,
    until: float,
    kinds: Sequence[str],
    *,
    timeout_s: float,
) -> TimelineAnswers:
    """Ask every site of `sources` at once; wait for them until `timeout_s` from now, no longer."""
    answers: dict[str, list[TimelineEntry] | Exception] = {}
    lock = threading.Lock()

    def read(name: str, source: TimelineSource) -> None:
        try:
            answer: list[TimelineEntry] | Exception = list(source.timeline(since, until, kinds))
        except Exception as error:  # one line on the screen, never a traceback
            answer = error
        with lock:
            answers[name] = answer

    threads = [
        threading.Thread(target=read, args=(name, source), name=f"timeline-{name}", daemon=True)
        for name, source in sources.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout_s
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    answered: dict[str, list[TimelineEntry]] = {}
    unanswered: dict[str, str] = {}
    with lock:
        for name in sources:
            answer = answers.get(name)
            if answer is None:
                unanswered[name] = f"no answer within {timeout_s:g} s"
            elif isinstance(answer, Exception):
                unanswered[name] = f"{type(answer).__name__}: {answer}"
            else:
                answered[name] = answer
    return TimelineAnswers(answered, unanswered)
