"""The console's incremental reading of the shared state gives exactly what a fresh read gives, tick by tick.

`EngineStateCache` against `dutyroom.views.snapshot.read_engine_state` on a real store, and `AlertViewCache` against
`dutyroom.views.alerts.alert_views` through a scripted evening: values moving, alerts firing and resolving, an ack
that expires, escalation coming due, a recurring silence window opening at 23:00, an operator silence, a
clock that jumps back. The caches' own periodic full rebuild is switched off so it cannot hide a miss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest

from dutyroom.actions_model import Ack, OperatorAction, Silence
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import Identity, State
from dutyroom.operators.state import OperatorState
from dutyroom.rules import state_codec
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction
from dutyroom.views.alerts import AlertView, alert_views
from dutyroom.views.snapshot import read_engine_state
from dutyroom.views.source_cache import AlertViewCache, DecodedState, EngineStateCache

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALICE = Identity("alice")
CONFIG = """
[site]
name = "room"
timezone = "Asia/Shanghai"
[defaults]
escalate_after = "10m"
[[target]]
id = "ups-a"
group = "power"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[target]]
id = "sw1"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[target]]
id = "sw2"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
[[rule]]
id = "port-down"
metric = "if.oper_status"
warning = "!= 1"
[[silence]]
id = "night-work"
match = { group = "links" }
comment = "link work every night"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
from = "23:00"
to = "01:00"
"""


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


START = at("2026-11-23T22:40:00")


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return load_config(path)


def check(rule: str, target: str, phase: AlertPhase, since: float, value: float, **changes: object) -> Check:
    firing = phase is AlertPhase.FIRING
    item = Check(
        fingerprint=f"{rule}@{target}",
        rule=rule,
        target=target,
        state=State.CRITICAL if rule == "on-battery" and firing else State.WARNING if firing else State.OK,
        phase=phase,
        severity="critical" if rule == "on-battery" else "warning",
        active_since=since if phase is not AlertPhase.INACTIVE else 0.0,
        fired_at=since if phase is not AlertPhase.INACTIVE else 0.0,
        value=value,
        value_at=since,
    )
    return msgspec.structs.replace(item, **changes)


def blob(item: Check | TargetHealth) -> str:
    return state_codec.encode(item)[1]


@dataclass
class Room:
    """The store's blobs and the operator actions, changed step by step."""

    blobs: dict[str, str] = field(default_factory=dict)
    actions: list[StoredAction] = field(default_factory=list)

    def put(self, item: Check | TargetHealth) -> None:
        key, text = state_codec.encode(item)
        self.blobs[key] = text

    def act(self, action: OperatorAction, when: float, alert: str = "") -> None:
        self.actions.append(StoredAction(len(self.actions) + 1, action, ALICE, when, alert))


def fresh_views(config: LoadedConfig, room: Room, now: float) -> list[AlertView]:
    """What a console without caches shows: every blob decoded, every view built, ties by fingerprint."""
    checks = state_codec.decode_all(room.blobs).checks.values()  # undecodable ones skipped, as read_engine_state does
    operator = OperatorState()
    operator.apply_all(room.actions)
    views = alert_views(config, checks, operator, now)
    return sorted(views, key=lambda view: (*view.sort_key(), view.fingerprint))


Change = Callable[[Room], None]


def put(item: Check | TargetHealth) -> Change:
    return lambda room: room.put(item)


def act(action: OperatorAction, when: float, alert: str = "") -> Change:
    return lambda room: room.act(action, when, alert)


def forget(key: str) -> Change:
    def change(room: Room) -> None:
        room.blobs.pop(key, None)

    return change


def garble(key: str) -> Change:
    return lambda room: room.blobs.update({key: "{not json"})


EVENING: list[tuple[float, list[Change]]] = [
    (
        START + 1,
        [
            put(check("on-battery", "ups-a", AlertPhase.FIRING, START, 1.0)),
            put(check("port-down", "sw1", AlertPhase.FIRING, START, 2.0)),
            put(check("port-down", "sw2", AlertPhase.INACTIVE, START, 1.0)),
            put(TargetHealth(target="ups-a", last_result_at=START, last_ok_at=START)),
        ],
    ),
    (START + 2, []),
    (
        START + 10,
        [
            put(check("port-down", "sw1", AlertPhase.FIRING, START, 2.0, value_at=START + 10)),
            put(check("port-down", "sw2", AlertPhase.INACTIVE, START + 10, 1.0)),
        ],
    ),
    (START + 11, []),
    (
        START + 13,
        [
            put(check("port-down", "sw2", AlertPhase.FIRING, START, 2.0)),  # ties with sw1: same since
            act(Ack(comment="vendor called", expires_at=START + 120), START + 13, "on-battery@ups-a"),
        ],
    ),
    *[(START + offset, []) for offset in (60, 119, 120, 121)],  # the ack lapses at +120
    *[(START + offset, []) for offset in (599, 600, 601)],  # escalation comes due at +600
    (START + 700, [put(check("port-down", "sw1", AlertPhase.RESOLVED, START, 1.0, resolved_at=START + 700))]),
    *[(at(moment), []) for moment in ("2026-11-23T22:59:59", "2026-11-23T23:00:00", "2026-11-23T23:00:01")],
    (
        at("2026-11-23T23:01:00"),
        [
            act(
                Silence(rule="", target="ups-a", group="", comment="", start=START, end=at("2026-11-23T23:30:00")),
                at("2026-11-23T23:01:00"),
            )
        ],
    ),
    *[(at(moment), []) for moment in ("2026-11-23T23:29:59", "2026-11-23T23:30:00")],
    (at("2026-11-23T22:30:00"), []),  # the clock jumps back an hour
    (at("2026-11-23T23:40:00"), []),
    (
        at("2026-11-24T00:59:59"),
        [
            garble("port-down@sw9"),
            forget("port-down@sw2"),
            put(check("port-down", "sw1", AlertPhase.FIRING, START + 2400, 3.0)),
        ],
    ),
    (at("2026-11-24T01:00:00"), []),
]


def test_cached_views_are_fresh_views_at_every_step(config: LoadedConfig) -> None:
    room = Room()
    cached_state, cached_views = EngineStateCache(), AlertViewCache(full_rebuild_s=1e12)
    rebuilt = []
    for step, (now, changes) in enumerate(EVENING):
        for change in changes:
            change(room)
        operator = OperatorState()
        operator.apply_all(room.actions)
        state = cached_state.read(dict(room.blobs))
        views = cached_views.views(config, state, operator, len(room.actions), now)
        assert list(views) == fresh_views(config, room, now), f"step {step} at {now}"
        rebuilt.append(cached_views.rebuilt)
    assert 0 in rebuilt, "a step where nothing can have changed rebuilds no view"


def test_time_alone_changes_views_only_where_it_can(config: LoadedConfig) -> None:
    room = Room()
    room.put(check("on-battery", "ups-a", AlertPhase.FIRING, START, 1.0))
    room.put(check("port-down", "sw1", AlertPhase.FIRING, START, 2.0))
    cache, views_cache = EngineStateCache(), AlertViewCache(full_rebuild_s=1e12)
    state = cache.read(dict(room.blobs))
    first = views_cache.views(config, state, OperatorState(), 0, START + 1)
    same = views_cache.views(config, cache.read(dict(room.blobs)), OperatorState(), 0, START + 2)
    assert same is first, "nothing changed: the very same tuple"
    assert views_cache.rebuilt == 0
    later = views_cache.views(config, cache.read(dict(room.blobs)), OperatorState(), 0, START + 600)
    assert views_cache.rebuilt == 1, "only the critical alert, its escalation due, is built again"
    assert [view.escalated for view in later] == [True, False]
    assert later[1] is first[1], "the warning's view is the same object"


def test_the_engine_state_cache_reads_what_read_engine_state_reads(tmp_path: Path) -> None:
    health = TargetHealth(target="ups-a", last_result_at=START, last_ok_at=START)
    active = check("on-battery", "ups-a", AlertPhase.FIRING, START, 1.0)
    quiet = check("port-down", "sw1", AlertPhase.INACTIVE, START, 1.0)
    cache = EngineStateCache()
    with Store.open(tmp_path / "state") as store:
        store.save_alert_states({"target:ups-a": blob(health), active.fingerprint: blob(active), "bad": "{"})
        store.save_alert_states({quiet.fingerprint: blob(quiet)})
        first = read_and_compare(store, cache)
        assert first.changed == {"target:ups-a", active.fingerprint, quiet.fingerprint, "bad"}
        assert first.standing_changed
        again = read_and_compare(store, cache)
        assert (again.changed, again.standing_changed) == (frozenset(), False)
        assert again.checks[active.fingerprint] is first.checks[active.fingerprint], "not decoded again"
        moved_value = msgspec.structs.replace(active, value=2.0, value_at=START + 10)
        polled = msgspec.structs.replace(health, last_result_at=START + 10)
        store.save_alert_states({active.fingerprint: blob(moved_value), "target:ups-a": blob(polled)})
        moved = read_and_compare(store, cache)
        assert moved.changed == {active.fingerprint, "target:ups-a"}
        assert not moved.standing_changed, "values and poll times do not change any target's state"
        resolved = msgspec.structs.replace(moved_value, phase=AlertPhase.RESOLVED, resolved_at=START + 20)
        store.save_alert_states({active.fingerprint: blob(resolved)}, deletes=["bad"])
        gone = read_and_compare(store, cache)
        assert gone.standing_changed, "a firing check that resolved changes its target's state"


def read_and_compare(store: Store, cache: EngineStateCache) -> DecodedState:
    state = cache.read(store.load_alert_states())
    reference = read_engine_state(store)
    assert state.checks == {key: item for key, item in reference.checks.items() if item.active}
    assert state.health == reference.health
    return state
