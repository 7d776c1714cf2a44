"""One console on several sites (issue 17): a ConsoleSource merging each site's service, and a desk routing to it.

Each site's snapshots are read by a thread of its own (`SiteFeed`), never on the UI loop: an SSH link that broke
may take seconds to leave, and a lost site must not freeze the others. The console reads whatever each feed last
got. Alerts, targets, runs and groups are named `SITE:key` in the merged view, so two rooms with the same
devices (the same fingerprints) stay apart and an action goes back to the site it came from (`SiteDesk`).

The status line says how many sites are shown and counts the collectors of all the live ones; its trading phase
is the first live site's (the rooms of one brokerage follow the same exchanges' calendar). Each site's own
phase, collectors and poller are in `site_statuses`, one line each in the console's site strip.

A playbook beside a site's alert is that site's own (`Site.playbooks`, read off the UI loop): the merged alerts and
runs name it `SITE:id`, so one site's text is never drawn against another site's run, nor the seat's copy.

A lost site is not shown as current: its rows leave the list and its status says since when it is lost
(`SH-DR ⊘ UNREACHABLE since 10:02`) until its feed reads again (with backoff, off the UI loop).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dutyroom.model import Transition
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.desk import ActionDesk
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.store.liveness import PollerLiveness, PollerState
from dutyroom.store.records import StoredAction
from dutyroom.textclean import clean_text
from dutyroom.views.alerts import AlertView, CollectorHealth, GroupCount
from dutyroom.views.console_source import ConsoleSnapshot, ConsoleSource, TargetDetail, TimelineEntry
from tui.i18n import Translator, language_of
from tui.service_client import ServiceRefused, ServiceUnreachable
from tui.site_playbook_shelf import PlaybookShelf, ShelvedPlaybook
from tui.site_timeline import SitesTimeline, read_timelines

SEPARATOR = ":"
"""Between a site's name and a key of that site; a site's name has none (tui.site_links.SITE_NAME)."""
READ_EVERY_S = 2.0
"""How often a feed reads its site while the site answers."""
TIMELINE_WAIT_S = 2.0
"""How long the timeline waits for the sites (each site's own reads time out at 1 s)."""
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
"""Waits before reading a lost site again, one per failed read in a row (the last repeats)."""


class SitePollerDown(ServiceUnreachable):
    """The site's serve answers but its poller is down: nothing there is watched, so its alerts are not current."""


def site_key(site: str, key: str) -> str:
    return f"{site}{SEPARATOR}{key}"


def split_key(key: str) -> tuple[str, str]:
    """`SITE:key` as (SITE, key); ('', key) for a key no site names."""
    site, separator, rest = key.partition(SEPARATOR)
    return (site, rest) if separator else ("", key)


class SiteFeed:
    """One site's latest snapshot, read by its own thread; what it read since the console last took it."""

    def __init__(
        self, name: str, read: Callable[[], ConsoleSnapshot], *, clock: Callable[[], float] = time.time
    ) -> None:
        self.name = name
        self._read = read
        self._clock = clock
        self._lock = threading.Lock()
        self._latest: ConsoleSnapshot | None = None
        self._transitions: list[Transition] = []
        self._failures = 0
        self.lost_since: float | None = None
        """When a read first failed, of the failures in a row now; None while the site answers."""
        self.why = ""
        self.poller_down = False
        """Whether the site answers but says its poller is down (else, while lost, it does not answer)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"site-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def read_once(self) -> float:
        """Read the site once; the wait before the next read (longer while the site stays lost)."""
        try:
            snapshot = self._read()
        except (ServiceUnreachable, ServiceRefused) as error:
            with self._lock:
                self._failures += 1
                self.lost_since = self.lost_since or self._clock()
                self.why = str(error)
                self.poller_down = isinstance(error, SitePollerDown)
                return BACKOFF_S[min(self._failures, len(BACKOFF_S)) - 1]
        with self._lock:
            self._latest = snapshot
            self._transitions.extend(snapshot.transitions)
            self._failures = 0
            self.lost_since = None
            self.why = ""
            self.poller_down = False
        return READ_EVERY_S

    def take(self) -> tuple[ConsoleSnapshot | None, tuple[Transition, ...], float | None]:
        """The latest snapshot (None until one was read), the transitions read since the last take, and since
        when the site is lost (None while it answers)."""
        with self._lock:
            transitions, self._transitions = tuple(self._transitions), []
            return self._latest, transitions, self.lost_since

    def peek(self) -> tuple[ConsoleSnapshot | None, float | None, bool]:
        """The latest snapshot, since when the site is lost and whether its poller is down, read together and
        leaving the transitions for `take`."""
        with self._lock:
            return self._latest, self.lost_since, self.poller_down

    def _run(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.read_once())


class SiteCondition(StrEnum):
    """How a site's link stands: answering, lost, answering with its poller down, or not read yet."""

    LIVE = "live"
    LOST = "lost"
    POLLER_DOWN = "poller-down"
    CONNECTING = "connecting"


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """One site's line in the site strip: a live site's phase and collectors, or since when it is lost.

    A lost site has no phase and no health: its last values are not current, so they are not carried."""

    name: str
    condition: SiteCondition
    shown: bool = True
    """False while the console is narrowed to another site."""
    since: float | None = None
    phase: str = ""
    health: CollectorHealth | None = None


@dataclass(frozen=True)
class Site:
    """A site as the merged console sees it: its feed (snapshots), its source (details, timeline) and its own
    playbooks (never the seat's copy: two rooms may keep different texts under one id)."""

    name: str
    feed: SiteFeed
    source: ConsoleSource
    playbooks: PlaybookShelf


class MultiSiteSource:
    """A ConsoleSource over several sites; `narrow` shows one of them, `narrow(None)` all again."""

    def __init__(self, sites: Sequence[Site], language: str = "en") -> None:
        self.sites = {site.name: site for site in sites}
        self.translate = Translator(language_of(language))
        self.only: str | None = None
        self._was_lost: set[str] = set()

    def narrow(self, name: str | None) -> None:
        if name is not None and name not in self.sites:
            raise KeyError(name)
        self.only = name

    def snapshot(self, now: float) -> ConsoleSnapshot:
        taken = {name: site.feed.take() for name, site in self.sites.items()}
        self._expire_playbooks_of_returning_sites({name for name, (_, _, since) in taken.items() if since is not None})
        shown = [name for name in self.sites if self.only in (None, name)]
        live = [(name, taken[name][0]) for name in shown if taken[name][0] is not None and taken[name][2] is None]
        if not live:
            why = "; ".join(f"{name}: {self.sites[name].feed.why or 'not read yet'}" for name in shown)
            raise ServiceUnreachable(f"no site answers ({why})")
        first = live[0][1]
        assert first is not None
        alerts: list[AlertView] = []
        overview: list[GroupCount] = []
        runs = {}
        transitions: list[Transition] = []
        for name, snapshot in live:
            assert snapshot is not None
            alerts.extend(_tagged_alert(name, alert) for alert in snapshot.alerts)
            overview.extend(_tagged_group(name, group) for group in snapshot.overview)
            runs.update({site_key(name, key): _tagged_run(name, run) for key, run in snapshot.runs.items()})
            transitions.extend(
                replace(each, fingerprint=site_key(name, each.fingerprint), target=site_key(name, each.target))
                for each in taken[name][1]
            )
        healths = [snapshot.status.health for _, snapshot in live if snapshot is not None]
        health = CollectorHealth(*(sum(numbers) for numbers in zip(*(astuple(each) for each in healths), strict=True)))
        site = self._sites_text(shown)
        status = replace(first.status, now=now, site=site, health=health)
        return replace(
            first,
            status=status,
            alerts=tuple(alerts),
            overview=tuple(overview),
            runs=runs,
            transitions=tuple(sorted(transitions, key=lambda each: each.at)),
        )

    def _expire_playbooks_of_returning_sites(self, lost: set[str]) -> None:
        """A site that answers again after it was lost may have restarted with other playbooks: read them again."""
        for name in self._was_lost - lost:
            self.sites[name].playbooks.expire()
        self._was_lost = lost

    def _sites_text(self, shown: list[str]) -> str:
        """`3 sites`, or the one site shown: the site strip above has each site's own line."""
        return shown[0] if self.only is not None else self.translate("site.count", count=len(shown))

    def lost_text(self, name: str, since: float, timezone: str) -> str:
        """`SITE SH-DR UNREACHABLE since 10:02`, or `... POLLER DOWN since 10:02` when its serve says so."""
        key = "site.poller_down" if self.sites[name].feed.poller_down else "site.lost"
        return self.translate(key, site=name, since=clock_time(since, timezone))

    def site_statuses(self) -> tuple[SiteStatus, ...]:
        """Each site's status as its feed last read it, in the order the sites were given."""
        statuses = []
        for name, site in self.sites.items():
            latest, lost_since, poller_down = site.feed.peek()
            shown = self.only in (None, name)
            if lost_since is not None:
                condition = SiteCondition.POLLER_DOWN if poller_down else SiteCondition.LOST
                statuses.append(SiteStatus(name, condition, shown, lost_since))
            elif latest is None:
                statuses.append(SiteStatus(name, SiteCondition.CONNECTING, shown))
            else:
                phase = latest.status.phase_text or latest.status.phase_kind
                statuses.append(SiteStatus(name, SiteCondition.LIVE, shown, None, phase, latest.status.health))
        return tuple(statuses)

    def lost(self) -> dict[str, float]:
        """The sites that do not answer, with since when."""
        return {name: site.feed.lost_since for name, site in self.sites.items() if site.feed.lost_since is not None}

    def poller_liveness(self, now: float) -> PollerLiveness:
        """Down (the console's banner and bell) when no shown site answers: nothing is watched from here then.
        One lost site among others is in the status line, and its rows are gone from the list."""
        shown = [name for name in self.sites if self.only in (None, name)]
        lost = self.lost()
        if shown and all(name in lost for name in shown):
            since = min(lost[name] for name in shown)
            return PollerLiveness(PollerState.DOWN, "no site answers", since, None, None)
        return PollerLiveness(PollerState.ALIVE, "a site answers", 0.0, None, None)

    def playbook(self, playbook_id: str, language: str) -> Playbook | None:
        """The playbook `SITE:id` as that site gave it, from its shelf (never read here: this runs on the UI loop);
        None while it is being read or when the site gives none (`playbook_origin` says which)."""
        site, shelved = self._shelved(playbook_id, language)
        return shelved.playbook if site is not None and shelved is not None else None

    def playbook_origin(self, playbook_id: str, language: str, *, shown: bool) -> str:
        """Whose playbook the pane shows (`SH-DR: ` before its title, when `shown`), else that it is being read or
        why that site gives none; "" for no playbook id."""
        name, bare = split_key(playbook_id)
        if not bare:
            return ""
        if shown:
            return self.translate("site.playbook.from", site=name)
        site, shelved = self._shelved(playbook_id, language)
        bare = clean_text(bare, 80)
        if site is None:
            return self.translate("site.playbook.unavailable", id=bare, site=name, why="no such site")
        if shelved is None:
            return self.translate("site.playbook.reading", id=bare, site=name)
        if shelved.playbook is None:
            return self.translate("site.playbook.unavailable", id=bare, site=name, why=shelved.why)
        return self.translate("site.playbook.reading", id=bare, site=name)  # read since the pane asked: shown next

    def _shelved(self, playbook_id: str, language: str) -> tuple[Site | None, ShelvedPlaybook | None]:
        name, bare = split_key(playbook_id)
        site = self.sites.get(name)
        if site is None or not bare:
            return None, None
        return site, site.playbooks.lookup(bare, "zh" if language == "zh" else "en")

    def detail(self, target_id: str, now: float) -> TargetDetail | None:
        """The target's detail as its site reads it now (this waits for the site: call it off the UI loop)."""
        name, target = split_key(target_id)
        site = self.sites.get(name)
        if site is None:
            return None
        if site.feed.lost_since is not None:
            raise ServiceUnreachable(self.translate("site.unreachable", site=name))
        detail = site.source.detail(target, now)
        return replace(detail, target=target_id, name=f"{name} {detail.name}") if detail is not None else None

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        return list(self.timeline_of_sites(since, until, kinds).entries)

    def timeline_of_sites(
        self, since: float, until: float, kinds: Sequence[str] = (), *, timeout_s: float = TIMELINE_WAIT_S
    ) -> SitesTimeline:
        """The shown sites' entries, every site asked at once (this waits up to `timeout_s`: call it off the UI
        loop), and the sites that did not answer; a site known lost is not asked."""
        shown = [name for name in self.sites if self.only in (None, name)]
        lost = {name: self.translate("site.unreachable", site=name) for name in shown if name in self.lost()}
        asked = {name: self.sites[name].source for name in shown if name not in lost}
        read = read_timelines(asked, since, until, kinds, timeout_s=timeout_s)
        entries = [
            replace(entry, target=site_key(name, entry.target))
            for name, found in read.answered.items()
            for entry in found
        ]
        unanswered = {name: clean_text(why, 200) for name, why in {**lost, **read.unanswered}.items()}
        return SitesTimeline(tuple(sorted(entries, key=lambda entry: entry.at)), unanswered)


def _tagged_alert(site: str, alert: AlertView) -> AlertView:
    """The alert under its site's name: its keys namespaced, its target shown as `SITE target`."""
    shown = alert.target_name or alert.target
    return replace(
        alert,
        fingerprint=site_key(site, alert.fingerprint),
        target=site_key(site, alert.target),
        target_name=f"{site} {shown}",
        playbook=site_key(site, alert.playbook) if alert.playbook else alert.playbook,
    )


def _tagged_run(site: str, run: PlaybookRun) -> PlaybookRun:
    """The run with its playbook named `SITE:id` (the pane asks for that site's text, never another's) and its
    alerts' keys as the merged alerts have them (so the alert that started it is not taken for one that joined)."""
    alerts = tuple(replace(each, incident_key=_tagged_key(site, each.incident_key)) for each in run.alerts)
    return replace(
        run,
        playbook_id=site_key(site, run.playbook_id),
        incident_key=_tagged_key(site, run.incident_key),
        alerts=alerts,
    )


def _tagged_key(site: str, key: str) -> str:
    """`SITE:key`, or "" for none (a run started by hand has no starting alert)."""
    return site_key(site, key) if key else ""


def site_and_target(alert: AlertView) -> tuple[str, str]:
    """A merged alert's site and its target's name as its site names it (without the `SITE ` `_tagged_alert` put
    before it: dialogs and notices name the site with the target; the alert list has a Site column)."""
    site, _ = split_key(alert.fingerprint)
    return site, alert.target_name.removeprefix(f"{site} ")


def _tagged_group(site: str, group: GroupCount) -> GroupCount:
    return replace(
        group, group=site_key(site, group.group), label=f"{site} {group.label}", label_zh=f"{site} {group.label_zh}"
    )


def clock_time(at: float, timezone: str) -> str:
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (KeyError, ValueError):
        zone = None
    return datetime.fromtimestamp(at, zone).strftime("%H:%M")


class SiteDesk:
    """An ActionDesk that sends each action to the desk of the alert's site, with the site's own key."""

    def __init__(self, desks: Mapping[str, ActionDesk]) -> None:
        self.desks = dict(desks)

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        name, key = split_key(alert)
        desk = self.desks.get(name)
        if desk is None:
            raise ActionRefused(f"{alert!r} belongs to no site of this console")
        if isinstance(intent, StartDrill):  # the merged alert names its playbook `SITE:id`; the site knows it as id
            intent = replace(intent, playbook=split_key(intent.playbook)[1])
        stored = desk.submit(intent, key, now)
        return replace(stored, alert=alert)
