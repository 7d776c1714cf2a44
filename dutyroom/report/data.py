"""What a period report says, read from the store once (`build_report`); rendering is elsewhere.

Availability per target and group (time in each state, from alert transitions), every incident with its
timeline (first alert, acknowledgements, notes, playbook steps, resolution) and whether it hit trading,
playbook deadlines, capacity peaks against capacity, operator actions; drills are flagged on every item they
touch. A tick of a two-person step is "awaiting confirmation" until the second operator confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dutyroom.documents.capacity import CapacityRow, capacity_rows
from dutyroom.documents.history import ENGINE_USER, History, load_history
from dutyroom.documents.scrub import Scrubber, configured_secrets
from dutyroom.documents.timeline import Incident
from dutyroom.documents.trading_hours import TradingImpact, incident_impact
from dutyroom.documents.wording import Wording
from dutyroom.playbooks.progress import DeadlineStatus, summary
from dutyroom.playbooks.run_state import PlaybookRun
from dutyroom.playbooks.runs import RUN_ACTION_KINDS
from dutyroom.report.availability import TimeInState, group_times, target_times
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction
from dutyroom.views.snapshot import read_engine_state

TIMELINE_KINDS = frozenset({"ack", "unack", "note"})


class ReportError(ValueError):
    """The report cannot be made as asked (e.g. the period ends before it starts)."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: float
    kind: str
    """pending, firing, resolved, ack, unack, note, run-start, step, step-confirm, step-skip, ..."""
    who: str = ""
    text: str = ""
    value: str = ""
    severity: str = ""
    run: str = ""
    step: int = 0
    step_text: str = ""
    """The playbook's text of `step` (step actions only), whole: the renderer wraps it."""
    two_person: bool = False
    """`step` needs a second operator: a tick of it is awaiting confirmation, not done."""


@dataclass(frozen=True)
class IncidentReport:
    incident: Incident
    group: str
    timeline: tuple[TimelineEntry, ...]
    acknowledged_at: float | None
    impact: TradingImpact | None = None
    """Whether it fell in a trading session and for how long trading was affected, within the period."""

    @property
    def time_to_ack(self) -> float | None:
        fired = self.incident.fired_at
        return None if self.acknowledged_at is None or fired is None else max(0.0, self.acknowledged_at - fired)


@dataclass(frozen=True)
class DeadlineRow:
    run: PlaybookRun
    title: str
    status: DeadlineStatus


@dataclass(frozen=True)
class PeriodReport:
    room: Room
    since: float
    until: float
    now: float
    words: Wording
    scrub: Scrubber
    history: History
    targets: list[TimeInState]
    groups: list[TimeInState]
    incidents: list[IncidentReport]
    deadlines: list[DeadlineRow]
    capacity: list[CapacityRow]
    actions: list[StoredAction] = field(default_factory=list)
    """Operator actions in the period (not the engine's), oldest first."""
    alert_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    """(target, rule) by alert fingerprint, for actions that name an alert."""

    def alert_name(self, fingerprint: str) -> tuple[str, str]:
        return self.alert_names.get(fingerprint, (fingerprint, ""))

    @property
    def length_s(self) -> float:
        return self.until - self.since


def build_report(
    room: Room, store: Store, since: float, until: float, now: float, lang: str | None = None
) -> PeriodReport:
    if until <= since:
        raise ReportError("the period must end after it starts (--until after --since)")
    config = room.config
    words = Wording(lang or config.parsed.site.language, config.timezone)
    scrub = Scrubber(configured_secrets(config))
    history = load_history(store, since, until)
    groups = {target.id: target.group for target in config.parsed.target}
    targets = target_times(history.incidents, groups, since, until)
    group_specs = config.parsed.groups
    group_order = sorted(group_specs, key=lambda name: (group_specs[name].order, name))
    index = _ActionIndex.of(history)
    step_texts = {
        run.run_id: tuple(scrub(step.text, 2000) for step in playbook.steps)
        for run in history.runs.runs.values()
        if (playbook := room.playbooks.get(run.playbook_id, words.lang)) is not None
    }
    incidents = [
        _incident_report(
            index,
            history,
            incident,
            groups.get(incident.target, ""),
            scrub,
            step_texts,
            incident_impact(config.calendar, incident, until, since=since),
        )
        for incident in history.incidents
    ]
    deadlines: list[DeadlineRow] = []
    for run in history.runs_touched():
        playbook = room.playbooks.get(run.playbook_id, words.lang)
        if playbook is not None:
            title = scrub(playbook.title, 80)
            deadlines.extend(DeadlineRow(run, title, status) for status in summary(run, playbook, until).deadlines)
    checks = read_engine_state(store).checks
    capacity = capacity_rows(config, checks.values(), store, period=(since, until))
    names = {check.fingerprint: (check.target, check.rule) for check in checks.values()}
    names.update((record.fingerprint, (record.target, record.rule)) for record in history.transitions)
    actions = [action for action in history.period_actions if action.actor.user != ENGINE_USER]
    return PeriodReport(
        room,
        since,
        until,
        now,
        words,
        scrub,
        history,
        targets,
        group_times(targets, group_order),
        incidents,
        deadlines,
        capacity,
        actions,
        names,
    )


@dataclass(frozen=True)
class _ActionIndex:
    """Actions by the alert they name and by the run they belong to, and runs by the alerts in them."""

    by_alert: dict[str, list[StoredAction]]
    by_run: dict[str, list[StoredAction]]
    runs_by_alert: dict[str, list[PlaybookRun]]

    @classmethod
    def of(cls, history: History) -> _ActionIndex:
        by_alert: dict[str, list[StoredAction]] = {}
        by_run: dict[str, list[StoredAction]] = {}
        for action in history.actions:
            if action.kind in TIMELINE_KINDS and action.alert:
                by_alert.setdefault(action.alert, []).append(action)
            elif action.kind in RUN_ACTION_KINDS:
                by_run.setdefault(str(action.payload.get("run", "")), []).append(action)
        runs_by_alert: dict[str, list[PlaybookRun]] = {}
        for run in history.runs.runs.values():
            for key in run.incident_keys:
                runs_by_alert.setdefault(key, []).append(run)
        return cls(by_alert, by_run, runs_by_alert)


def _incident_report(
    index: _ActionIndex,
    history: History,
    incident: Incident,
    group: str,
    scrub: Scrubber,
    step_texts: dict[str, tuple[str, ...]],
    impact: TradingImpact | None,
) -> IncidentReport:
    end = incident.resolved_at if incident.resolved_at is not None else history.until
    entries = [TimelineEntry(incident.opened_at, "pending", value=scrub(incident.opened_value, 60))]
    for number, segment in enumerate(incident.segments):
        value = scrub(incident.fired_value, 60) if number == 0 else ""
        entries.append(TimelineEntry(segment.start, "firing", value=value, severity=segment.severity))
    acknowledged_at = None
    for action in index.by_alert.get(incident.fingerprint, []):
        if incident.opened_at <= action.at <= end:
            text = scrub(str(action.payload.get("comment") or action.payload.get("text") or ""), 300)
            entries.append(TimelineEntry(action.at, action.kind, scrub(action.actor.describe(), 60), text))
            if action.kind == "ack" and acknowledged_at is None:
                acknowledged_at = action.at
    for run in index.runs_by_alert.get(incident.fingerprint, []):
        joined = [alert.at for alert in run.alerts if alert.incident_key == incident.fingerprint]
        if not any(incident.opened_at <= at <= end for at in joined):
            continue
        for action in index.by_run.get(run.run_id, []):
            payload = action.payload
            text = scrub(str(payload.get("text") or payload.get("reason") or payload.get("playbook") or ""), 200)
            step = payload.get("step")
            number = step if isinstance(step, int) else 0
            texts = step_texts.get(run.run_id, ())
            state = run.step(number)
            entries.append(
                TimelineEntry(
                    action.at,
                    action.kind,
                    scrub(action.actor.describe(), 60),
                    text,
                    value=str(step) if step else "",
                    run=run.run_id,
                    step=number,
                    step_text=texts[number - 1] if 0 < number <= len(texts) else "",
                    two_person=state is not None and state.two_person,
                )
            )
    if incident.resolved_at is not None:
        entries.append(TimelineEntry(incident.resolved_at, "resolved", value=scrub(incident.resolved_value, 60)))
    entries.sort(key=lambda entry: entry.at)
    return IncidentReport(incident, group, tuple(entries), acknowledged_at, impact)
