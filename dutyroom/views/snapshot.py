"""Read the shared state (engine checks, target health, operator actions) into frozen views.

The CLI and attached consoles use this; the process that polls builds the same views from its live engine.
"""

from __future__ import annotations

from dutyroom.config.load import LoadedConfig
from dutyroom.operators.state import OperatorState
from dutyroom.rules.state_codec import StoredState, decode_all
from dutyroom.store.database import Store
from dutyroom.views.alerts import AlertView, alert_views

__all__ = ["StoredState", "read_alerts", "read_engine_state", "read_operator_state"]


def read_engine_state(store: Store) -> StoredState:
    """The checks and target health the poller last saved (entries that do not decode are skipped)."""
    return decode_all(store.load_alert_states())


def read_operator_state(store: Store, state: OperatorState | None = None) -> OperatorState:
    """Fold new actions from the store into `state` (or a fresh one)."""
    state = state or OperatorState()
    while True:
        batch = store.actions_after(state.last_action_id)
        if not batch:
            return state
        state.apply_all(batch)


def read_alerts(store: Store, config: LoadedConfig, now: float) -> list[AlertView]:
    """The active alerts as the shared state has them now."""
    engine_state = read_engine_state(store)
    return alert_views(config, engine_state.checks.values(), read_operator_state(store), now)
