"""The console's real data source: the shared state directory, read once per UI tick.

Each tick re-reads the engine state, but decodes only the blobs that changed and rebuilds only the alert views
that can have changed (dutyroom.views.source_cache), so a tick in a room of thousands of checks costs what changed.
The alert transitions recorded since the last tick are tailed by id, for the bell.

Owner and viewer read the same store; the owner also runs the Poller in its event loop (see tui.launch).
This source only reads: the console records actions through a desk (`dutyroom.operators.desk`), the same door
the command line uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from dutyroom.config.calendar_coverage import coverage_notice
from dutyroom.config.load import LoadedConfig
from dutyroom.duties.live import LiveState, acknowledged_alerts
from dutyroom.duties.status import DutyStatus, day_status, headline
from dutyroom.model import Identity, State, Transition
from dutyroom.operators.roles import role_of
from dutyroom.operators.state import OperatorState
from dutyroom.playbooks.model import Playbook
from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.playbooks.runs import RunBook
from dutyroom.room import Room
from dutyroom.rules.state_codec import decode_all
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction
from dutyroom.store.timeline import ActionSubject
from dutyroom.views.alerts import AlertView, GroupCount, collector_health, group_overview, target_states
from dutyroom.views.console_source import (
    ConsoleSnapshot,
    MetricLine,
    Mode,
    StatusLine,
    TargetDetail,
    TimelineEntry,
)
from dutyroom.views.published_room import PublishedRoomFollower
from dutyroom.views.snapshot import read_engine_state
from dutyroom.views.source_cache import AlertViewCache, EngineStateCache

HOUR_S = 3600.0
DUTY_EVERY_S = 5.0
"""How often the readiness verdict is judged again while the runs do not change."""


class StoreSource:
    """A ConsoleSource over a state directory."""

    def __init__(self, room: Room, store: Store, identity: Identity, mode: Mode, *, language: str = "") -> None:
        self.room = room
        self.store = store
        self.identity = identity
        self.mode = mode
        self.language = language or room.config.parsed.site.language
        self.role = role_of(identity, room.config.parsed.roles)
        self._operator = OperatorState()
        self._runs = RunBook()
        self._cursor = 0
        self._transition_cursor: int | None = None
        """The id of the last transition handed out; None until the first snapshot finds where the table ends."""
        self._state = EngineStateCache()
        self._views = AlertViewCache()
        self._overview_config: LoadedConfig | None = None
        self._overview: tuple[GroupCount, ...] = ()
        self._runs_of_book: RunBook | None = None
        self._run_of_alert: dict[str, PlaybookRun | None] = {}
        self._published = PublishedRoomFollower(store.db_path.parent)
        self._duty: DutyStatus | None = None
        self._duty_judged: tuple[float, RunBook | None] = (0.0, None)

    # ----- reading
    def _catch_up(self) -> None:
        while batch := self.store.actions_after(self._cursor):
            self._operator.apply_all(batch)
            self._runs = self._runs.after(batch)
            self._cursor = batch[-1].id

    def _transitions_since_last_read(self) -> tuple[tuple[Transition, ...], int]:
        """New transitions and the id to read on from. Read before the alert states: the poller saves a batch's
        states before its transitions, so the views are never older than the transitions."""
        if self._transition_cursor is None:
            return (), self.store.last_transition_id()
        cursor, found = self._transition_cursor, list[Transition]()
        while batch := self.store.transitions_after(cursor):
            found.extend(transition for _, transition in batch)
            cursor = batch[-1][0]
        return tuple(found), cursor

    def snapshot(self, now: float) -> ConsoleSnapshot:
        self._follow_published()
        self._catch_up()
        transitions, transition_cursor = self._transitions_since_last_read()
        config = self.room.config
        blobs = self.store.load_alert_states()
        state = self._state.read(blobs)
        alerts = self._views.views(config, state, self._operator, self._cursor, now)
        runs = self._runs_for(alerts)
        if state.standing_changed or self._overview_config is not config:
            self._overview_config = config
            self._overview = tuple(group_overview(config, target_states(config, state.checks.values(), state.health)))
        phase_kind, phase_text, mark, warning = self._phase(now)
        duty = self._headline_duty(blobs, now)
        status = StatusLine(
            site=config.parsed.site.name,
            now=now,
            timezone=config.parsed.site.timezone,
            phase_kind=phase_kind,
            phase_text=phase_text,
            calendar_warning=warning,
            health=collector_health(config, state.health, now),
            reload_status=self.store.get_meta("reload_status") or "",
            mode=self.mode,
            identity=self.identity,
            role=self.role,
            calendar_mark=mark,
            readiness=duty.readiness if duty is not None else None,
            duty_state=str(duty.state) if duty is not None else "",
            duty_title=self._duty_title(duty),
        )
        snapshot = ConsoleSnapshot(
            status=status,
            alerts=alerts,
            overview=self._overview,
            runs=runs,
            language=self.language,
            bell=config.parsed.defaults.bell,
            transitions=transitions,
        )
        self._transition_cursor = transition_cursor  # only once the snapshot is built: a failed read loses none
        return snapshot

    def _headline_duty(self, blobs: Mapping[str, str], now: float) -> DutyStatus | None:
        """Today's duty whose verdict the status line shows; judged again every few seconds, or when the runs
        change. Its verifiers read resting checks too (a UPS's runtime while no rule fires), which the alert
        views leave out, so the state is decoded whole here, at that slower pace."""
        config = self.room.config
        if config.calendar is None or not config.duties:
            return None
        fresh = self._duty_judged[1] is self._runs and abs(now - self._duty_judged[0]) < DUTY_EVERY_S
        if fresh:
            return self._duty
        engine = decode_all(blobs)
        checks = tuple(engine.checks.values())
        live = LiveState.of(now, checks, engine.health, acknowledged_alerts(self._operator, checks, now))
        at = datetime.fromtimestamp(now, config.calendar.zone)
        self._duty = headline(day_status(config, config.calendar, self._runs.runs, live, at, self._checklist))
        self._duty_judged = (now, self._runs)
        return self._duty

    def _duty_title(self, duty: DutyStatus | None) -> str:
        if duty is None:
            return ""
        playbook = self._checklist(duty.occasion.duty.spec.playbook)
        return playbook.title if playbook is not None else duty.occasion.duty_id

    def _checklist(self, playbook_id: str) -> Playbook | None:
        return self.room.playbooks.get(playbook_id, self.language)

    def _follow_published(self) -> None:
        """After the poller's good reload, show the room it runs now (site, targets, rules, roles)."""
        room = self._published.newer_room()
        if room is not None:
            self.room = room
            self.role = role_of(self.identity, room.config.parsed.roles)

    def _runs_for(self, alerts: tuple[AlertView, ...]) -> dict[str, PlaybookRun]:
        """The run of each alert that has one (remembered until the run book changes)."""
        if self._runs_of_book is not self._runs:
            self._runs_of_book, self._run_of_alert = self._runs, {}
        if not self._runs.runs:
            return {}
        found = self._run_of_alert
        runs = {}
        for alert in alerts:
            fingerprint = alert.fingerprint
            if fingerprint not in found:
                found[fingerprint] = self._runs.run_for_alert(fingerprint)
            run = found[fingerprint]
            if run is not None:
                runs[fingerprint] = run
        return runs

    def _phase(self, now: float) -> tuple[str, str, str, str]:
        """Phase kind, its text, the calendar mark ('provisional calendar'...) and the calendar warning."""
        calendar = self.room.config.calendar
        if calendar is None:
            return "", "", "", ""
        at = datetime.fromtimestamp(now, self.room.config.timezone)
        phase = calendar.phase_at(at)
        lang: Literal["en", "zh"] = "zh" if self.language == "zh" else "en"
        notice = coverage_notice(calendar, at)
        return phase.kind, phase.describe(lang), phase.mark(lang), notice.text(lang) if notice else ""

    def playbook(self, playbook_id: str, language: str) -> Playbook | None:
        return self.room.playbooks.get(playbook_id, "zh" if language == "zh" else "en")

    def detail(self, target_id: str, now: float) -> TargetDetail | None:
        target = self.room.config.target(target_id)
        if target is None:
            return None
        state = read_engine_state(self.store)
        health = state.health.get(target_id)
        lines = []
        for metric, labels, unit in self.store.series_of(target_id):
            history = self.store.raw_series(target_id, metric, labels, now - HOUR_S)
            latest = self.store.latest_sample(target_id, metric, labels)
            value, at = latest if latest is not None else (None, 0.0)
            lines.append(MetricLine(metric, labels, value, unit, now - at if at else 0.0, tuple(v for _, v in history)))
        worst = target_states(self.room.config, state.checks.values(), state.health).get(target_id, State.OK)
        return TargetDetail(
            target=target_id,
            name=target.name or target.id,
            group=target.group,
            kind=target.kind,
            state=worst,
            last_error=health.reason if health else "",
            metrics=tuple(lines),
        )

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        entries: list[TimelineEntry] = []
        if not kinds or "event" in kinds:
            entries += [
                TimelineEntry(event.at, "event", event.target, event.message, what=event.kind)
                for event in self.store.events_between(since, until)
            ]
        if not kinds or "transition" in kinds:
            entries += [
                TimelineEntry(
                    item.at,
                    "transition",
                    item.target,
                    item.value,
                    drill=item.drill,
                    rule=item.rule,
                    what=item.after.value,
                    before=item.before.value,
                    severity=item.severity,
                )
                for item in self.store.transitions_between(since, until)
            ]
        if not kinds or "action" in kinds:
            actions = self.store.actions_between(since, until)
            subjects = self.store.action_subjects(actions)
            entries += [_action_entry(action, subjects.get(action.id)) for action in actions]
        return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _action_entry(action: StoredAction, subject: ActionSubject | None) -> TimelineEntry:
    payload = action.payload
    detail = payload.get("comment") or payload.get("text") or payload.get("reason") or payload.get("title") or ""
    step = payload.get("step")
    return TimelineEntry(
        action.at,
        "action",
        subject.target if subject else "",
        str(detail),
        action.actor.describe(),
        action.drill,
        rule=subject.rule if subject else "",
        what=action.kind,
        step=step if isinstance(step, int) and not isinstance(step, bool) else 0,
    )
