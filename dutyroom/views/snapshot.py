"""Read the shared state (engine checks, target health, operator actions) into frozen views.

The CLI and attached consoles use this; the process that polls builds the same views from its live engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from dutyroom.config.load import LoadedConfig
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import Check, TargetHealth
from dutyroom.store.database import Store
from dutyroom.views.alerts import AlertView, alert_views

_CHECK = msgspec.json.Decoder(Check)
_HEALTH = msgspec.json.Decoder(TargetHealth)


@dataclass(frozen=True)
class StoredState:
    checks: dict[str, Check]
    health: dict[str, TargetHealth]


def read_engine_state(store: Store) -> StoredState:
    """The checks and target health the poller last saved (entries that do not decode are skipped)."""
    checks: dict[str, Check] = {}
    health: dict[str, TargetHealth] = {}
    for key, blob in store.load_alert_states().items():
        try:
            if key.startswith("target:"):
                item = _HEALTH.decode(blob)
                health[item.target] = item
            else:
                checks[key] = _CHECK.decode(blob)
        except msgspec.DecodeError:
            continue
    return StoredState(checks, health)


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
