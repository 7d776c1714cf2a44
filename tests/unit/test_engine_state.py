"""The engine's state in the store: what it exports comes back on restore; what no longer decodes or applies
is forgotten (deleted by the next export), unless the engine writes that key again."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.model import PollResult, Sample
from dutyroom.rules import state_codec
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth, fingerprint
from dutyroom.rules.engine import Engine

CONFIG = """
[site]
name = "state"
[defaults]
interval = "10s"
[[target]]
id = "t"
group = "g"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[rule]]
id = "r"
metric = "m"
critical = "> 10"
for = "30s"
"""


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG)
    return Engine(load_config(path))


def poll(engine: Engine, at: float, value: float) -> None:
    engine.evaluate([PollResult("t", at, (Sample("t", "m", value, at),))], at)


def test_a_restored_engine_exports_nothing_until_something_changes(engine: Engine) -> None:
    poll(engine, 1000.0, 50)
    fresh = Engine(engine.config)
    fresh.restore(engine.export_all())
    assert fresh.checks == engine.checks
    assert fresh.health == engine.health
    assert fresh.export_changes() == ({}, [])
    poll(fresh, 1030.0, 50)
    upserts, deletes = fresh.export_changes()
    assert set(upserts) == {fingerprint("r", "t", ()), "target:t"}
    assert not deletes
    assert fresh.checks[fingerprint("r", "t", ())].phase is AlertPhase.FIRING


def test_entries_that_do_not_decode_or_no_longer_apply_are_forgotten(engine: Engine) -> None:
    poll(engine, 1000.0, 50)
    stale_rule = Check(fingerprint=fingerprint("gone", "t", ()), rule="gone", target="t")
    stale_target = Check(fingerprint=fingerprint("r", "gone", ()), rule="r", target="gone")
    blobs = {
        **engine.export_all(),
        **state_codec.encode_all([stale_rule, stale_target], [TargetHealth(target="gone")]),
        "garbled": "{",
        "target:t": "[]",
    }
    fresh = Engine(engine.config)
    fresh.restore(blobs)
    assert set(fresh.checks) == {fingerprint("r", "t", ())}
    assert fresh.export_changes() == (
        {},
        sorted(["garbled", "target:t", "target:gone", stale_rule.fingerprint, stale_target.fingerprint]),
    )
    assert fresh.export_changes() == ({}, []), "forgotten once"


def test_a_forgotten_key_the_engine_writes_again_is_kept(engine: Engine) -> None:
    key = fingerprint("r", "t", ())
    engine.restore({key: "{", "target:t": "[]"})
    poll(engine, 1000.0, 50)
    upserts, deletes = engine.export_changes()
    assert set(upserts) == {key, "target:t"}
    assert deletes == []
    assert state_codec.decode(key, upserts[key]) == engine.checks[key]
