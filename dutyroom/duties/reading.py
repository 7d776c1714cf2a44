"""Duties as the shared state has them: the run book and acks from the action log, the engine's saved state.

For a reader (a command, an attached console, the report); the poller builds the same from its live engine.
Actions recorded after `at` are left out, so `dutyroom duties --at` reads the log as it stood then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dutyroom.config.load import LoadedConfig
from dutyroom.duties.live import LiveState, acknowledged_alerts
from dutyroom.duties.status import DutyStatus, PlaybookLookup, day_status
from dutyroom.operators.state import OperatorState
from dutyroom.playbooks.runs import RunBook
from dutyroom.rules.state_codec import decode_all
from dutyroom.store.database import Store

BATCH = 1000


@dataclass(frozen=True)
class SharedState:
    """What the action log and the saved engine state say at one instant."""

    runs: RunBook
    live: LiveState


def read_shared_state(store: Store | None, at: float) -> SharedState:
    """The runs and live state at `at`; with no store (no state directory yet) nothing has happened."""
    if store is None:
        return SharedState(RunBook(), LiveState.of(at, [], {}))
    book, operators, cursor = RunBook(), OperatorState(), 0
    while batch := store.actions_after(cursor, BATCH):
        cursor = batch[-1].id
        before = [action for action in batch if action.at <= at]
        book = book.after(before)
        operators.apply_all(before)
    engine = decode_all(store.load_alert_states())
    checks = tuple(engine.checks.values())
    live = LiveState.of(at, checks, engine.health, acknowledged_alerts(operators, checks, at))
    return SharedState(book, live)


def read_day_status(
    config: LoadedConfig, store: Store | None, at: datetime, find_playbook: PlaybookLookup
) -> tuple[DutyStatus, ...]:
    """Every duty of `at`'s day as it stands at `at`; none without a calendar."""
    if config.calendar is None or not config.duties:
        return ()
    shared = read_shared_state(store, at.timestamp())
    return day_status(config, config.calendar, shared.runs.runs, shared.live, at, find_playbook)
