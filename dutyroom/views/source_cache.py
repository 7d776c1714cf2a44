"""The console's reading of the shared state, kept between UI ticks so that a tick costs what changed.

Every tick the store hands back every check and target-health blob (thousands in a large room). Decoding them
all, building a view of every active alert and sorting them again cost more than the rest of the console
together. Here a blob that did not change is not decoded again (nor is an inactive check's: nothing on screen
uses it, and `dutyroom.rules.state_codec.decode_skipping_inactive` tells one without decoding it), an alert
whose check did not change keeps its very same `AlertView` object (the alert table then skips its row by
identity), and `standing` tells when the site overview can have changed at all.

An alert's view also depends on the time, through three things, and is rebuilt when one of them can have
moved: an acknowledgement (it may start or stop applying), the escalation of an unhandled critical alert
(once it is due), and the set of silences active now (any change rebuilds every view). Operator actions and
a config reload rebuild every view too, as does a clock that went backwards. Views are built by
`dutyroom.views.alerts.alert_views` itself, and every view is rebuilt at least once every FULL_REBUILD_S.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress
from operator import ne

from dutyroom.config.load import LoadedConfig
from dutyroom.operators.state import OperatorState
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth
from dutyroom.rules.state_codec import decode_skipping_inactive
from dutyroom.views.alerts import AlertView, alert_views, all_silences

FULL_REBUILD_S = 60.0


@dataclass(frozen=True)
class DecodedState:
    """Active checks by key and target health by target, as `dutyroom.views.snapshot.read_engine_state` reads them
    (less inactive checks: no alert shows them and no target's state counts them)."""

    checks: dict[str, Check]
    health: dict[str, TargetHealth]
    changed: frozenset[str]
    """Store keys whose blob changed, appeared or went away since the previous read."""
    standing_changed: bool
    """Whether any target's worst state can have changed (see `standing`)."""


def standing(item: Check | TargetHealth | None) -> tuple[object, ...]:
    """What `dutyroom.views.alerts.target_states` reads of a check or of a target's health: while none of these
    changed, the site overview stays as it was, however often values and poll times move."""
    if isinstance(item, Check):
        return (item.target, item.phase is AlertPhase.FIRING, item.state)
    if isinstance(item, TargetHealth):
        return (item.target, bool(item.hard_failure_since), item.failure)
    return ()


class EngineStateCache:
    """Decodes only the blobs that changed since the previous read; unchanged ones keep their objects."""

    def __init__(self) -> None:
        self._blobs: dict[str, str] = {}
        self._items: dict[str, Check | TargetHealth | None] = {}
        self._state = DecodedState({}, {}, frozenset(), True)

    def read(self, blobs: dict[str, str]) -> DecodedState:
        previous = self._blobs
        keys = list(blobs)
        changed = list(compress(keys, map(ne, blobs.values(), map(previous.get, keys))))  # C speed, no hashing
        removed = previous.keys() - blobs.keys()
        if not changed and not removed:
            return DecodedState(self._state.checks, self._state.health, frozenset(), False)
        checks, health = dict(self._state.checks), dict(self._state.health)
        replaced: dict[str, Check | TargetHealth | None] = {}
        for key in (*removed, *changed):
            old = replaced[key] = self._items.pop(key, None)
            if isinstance(old, TargetHealth) and health.get(old.target) is old:
                del health[old.target]
            checks.pop(key, None)
        for key in changed:
            item = self._items[key] = decode_skipping_inactive(key, blobs[key])
            if isinstance(item, TargetHealth):
                health[item.target] = item
            elif isinstance(item, Check):
                checks[key] = item
        moved = bool(removed) or any(standing(replaced[key]) != standing(self._items[key]) for key in changed)
        self._blobs = blobs
        self._state = DecodedState(checks, health, frozenset(changed) | removed, moved)
        return self._state


@dataclass(frozen=True, slots=True)
class _Entry:
    check: Check
    view: AlertView | None
    """None for an inactive check (not shown)."""
    order: tuple[object, ...]


class AlertViewCache:
    """`alert_views(config, checks, operator, now)` rebuilt only for the checks whose view can have changed.

    Returns the same tuple, with the same view objects, while nothing shown changed. Equal sort keys are
    ordered by fingerprint, so alerts that tie keep their places from tick to tick.
    """

    def __init__(self, full_rebuild_s: float = FULL_REBUILD_S) -> None:
        self._entries: dict[str, _Entry] = {}
        self._watch: set[str] = set()
        """Keys of checks whose view can change with time alone."""
        self._basis: tuple[object, ...] = ()
        self._last_now = -math.inf
        self._last_full = -math.inf
        self._full_rebuild_s = full_rebuild_s
        self._ordered: tuple[AlertView, ...] = ()
        self.rebuilt = 0
        """Views rebuilt by the last call (a measure of what a tick cost)."""

    def views(
        self,
        config: LoadedConfig,
        state: DecodedState,
        operator: OperatorState,
        operator_version: int,
        now: float,
    ) -> tuple[AlertView, ...]:
        silenced_now = tuple(
            sorted(window.id for window in all_silences(config, operator) if window.active_at(now, config.timezone))
        )
        basis = (id(config), operator_version, silenced_now)
        full = basis != self._basis or now < self._last_now or now - self._last_full >= self._full_rebuild_s
        self._last_now = now
        if full:
            self._basis, self._last_full = basis, now
            self._entries, self._watch = {}, set()
            keys: Iterable[str] = state.checks.keys()
        else:
            keys = state.changed | self._watch
        entries, moved = self._entries, False
        stale: dict[str, Check] = {}
        for key in keys:
            check = state.checks.get(key)
            entry = entries.get(key)
            if check is None:
                if entries.pop(key, None) is not None:
                    moved = True
                self._watch.discard(key)
            elif entry is None or entry.check is not check or _may_have_moved(entry, config, operator, now):
                stale[key] = check
        self.rebuilt = len(stale)
        for key, check in list(stale.items()):
            if not check.active:  # alert_views skips it too
                del stale[key]
                old = entries.get(key)
                moved = moved or (old is not None and old.view is not None)
                entries[key] = _Entry(check, None, ())
                self._watch.discard(key)
        if stale:
            fresh = {view.fingerprint: view for view in alert_views(config, stale.values(), operator, now)}
            for key, check in stale.items():
                old = entries.get(key)
                view = fresh.get(check.fingerprint)
                if old is not None and old.view is not None and view is not None and old.view == view:
                    view = old.view  # same view: keep the object, so nothing downstream redraws
                moved = moved or (old.view if old is not None else None) is not view
                entries[key] = _Entry(check, view, (*view.sort_key(), view.fingerprint) if view is not None else ())
                if _may_move_later(view, check, operator):
                    self._watch.add(key)
                else:
                    self._watch.discard(key)
        if moved or full:
            shown = sorted((entry for entry in entries.values() if entry.view is not None), key=_order)
            self._ordered = tuple(entry.view for entry in shown if entry.view is not None)
        return self._ordered


def _order(entry: _Entry) -> tuple[object, ...]:
    return entry.order


def _may_move_later(view: AlertView | None, check: Check, operator: OperatorState) -> bool:
    """Whether time alone can change this view until the operator acts or the active silences change."""
    if check.fingerprint in operator.acks:
        return True
    if view is None or view.escalated or view.ack is not None or view.silenced_by:
        return False
    return check.phase is AlertPhase.FIRING and check.severity == "critical"


def _may_have_moved(entry: _Entry, config: LoadedConfig, operator: OperatorState, now: float) -> bool:
    """Whether the view of an unchanged check can differ now from when it was built (see the module doc)."""
    check = entry.check
    if check.fingerprint in operator.acks:
        return True
    if not _may_move_later(entry.view, check, operator):
        return False
    return now >= check.fired_at + config.escalate_after_s
