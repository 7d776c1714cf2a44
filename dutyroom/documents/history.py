"""What a handover or a report reads from the store for one period, read once: transitions, incidents, actions.

Incidents that were already active when the period began get their start from up to `LOOKBACK_S` earlier;
playbook runs are replayed from every action up to the period's end, so a run started last week and still
open is known with all its steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutyroom.documents.timeline import ACTIVE, Incident, build_incidents, incident_window_transitions
from dutyroom.model import Identity, Transition
from dutyroom.playbooks.run_state import PlaybookRun, person_of
from dutyroom.playbooks.runs import RunBook
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction

LOOKBACK_S = 2 * 86400.0
ACTION_BATCH = 5000
ENGINE_USER = "dutyroom-engine"
"""The actor the poller records automatic actions under (playbook runs it starts)."""


@dataclass(frozen=True)
class History:
    since: float
    until: float
    transitions: list[Transition]
    """Transitions inside the period, oldest first."""
    incidents: list[Incident]
    """Every incident that was active at some point in the period."""
    actions: list[StoredAction]
    """Every action before the period's end, in commit order."""
    runs: RunBook

    @property
    def period_actions(self) -> list[StoredAction]:
        return [action for action in self.actions if self.since <= action.at < self.until]

    def runs_touched(self) -> list[PlaybookRun]:
        """Runs open during the period or with anything recorded in it, in the order started."""
        touched = []
        for run in self.runs.runs.values():
            if run.started_at >= self.until:
                continue
            if run.is_open or (run.closed_at is not None and run.closed_at >= self.since):
                touched.append(run)
        return touched

    def operators(self) -> list[Identity]:
        """People who recorded an action in the period (not the engine), first appearance first."""
        seen: dict[str, Identity] = {}
        for action in self.period_actions:
            if action.actor.user != ENGINE_USER:
                seen.setdefault(action.actor.describe(), action.actor)
        return list(seen.values())


def read_all_actions(store: Store, until: float | None = None) -> list[StoredAction]:
    """Every recorded action (before `until` when given), in commit order."""
    actions: list[StoredAction] = []
    after = 0
    while batch := store.actions_after(after, ACTION_BATCH):
        actions.extend(action for action in batch if until is None or action.at < until)
        after = batch[-1].id
    return actions


def load_history(store: Store, since: float, until: float) -> History:
    in_period = store.transitions_between(since, until)
    before = store.transitions_before(since)
    lookback: list[Transition] = []
    if any(record.after in ACTIVE for record in before):
        lookback = store.transitions_between(since - LOOKBACK_S, since)
    incidents = build_incidents(incident_window_transitions(lookback, before, in_period))
    incidents = [
        incident
        for incident in incidents
        if (incident.resolved_at is None or incident.resolved_at >= since) and incident.opened_at < until
    ]
    actions = read_all_actions(store, until)
    return History(since, until, in_period, incidents, actions, RunBook.replay(actions))


def people(identities: list[Identity]) -> str:
    """Names for a header line: each person once (a sudo'ing user counts as that user)."""
    names: dict[str, str] = {}
    for identity in identities:
        names.setdefault(person_of(identity), identity.describe())
    return ", ".join(names.values())
