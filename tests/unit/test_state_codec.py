"""The state codec: every check and target health comes back from the store as it went in, and the console's
cheap inactive test agrees with decoding.

Cases are generated from the structs' own field types (`msgspec.inspect`), so a field added later is covered
without touching this file; strings are drawn from a pool of hostile ones (text that looks like the inactive
marker, quotes, backslashes, control bytes, wide characters, a target key) as in tests/unit/test_snmp_ber.py.
"""

from __future__ import annotations

import json
import random
from typing import TypeVar

import msgspec
import msgspec.inspect as types
import pytest

from dutyroom.rules import state_codec
from dutyroom.rules.alert import AlertPhase, Check, TargetHealth, fingerprint

CASES = 600
StructT = TypeVar("StructT", bound=msgspec.Struct)
LOOKALIKE = json.dumps({"phase": "inactive"}, separators=(",", ":"))[1:-1]
"""Text spelling an inactive check's phase field as compact JSON writes it."""
HOSTILE_STRINGS = [
    "",
    "phase",
    "inactive",
    LOOKALIKE,
    "{" + LOOKALIKE + "}",
    json.dumps(LOOKALIKE)[1:-1],
    'say "hi"',
    "ends in a backslash \\",
    "\\",
    "target:ups-a",
    "上行口 XGE1/0/1",
    "\x1b]8;;http://evil\x07\x00",
    "[bold red]CRITICAL[/]",
]


def random_value(kind: types.Type, rng: random.Random) -> object:
    """A random value of a msgspec field type, leaning on the hostile strings."""
    match kind:
        case types.StrType():
            return rng.choice(HOSTILE_STRINGS) if rng.random() < 0.8 else "".join(rng.choices('ab"\\:{}, é上', k=8))
        case types.FloatType():
            return rng.choice([0.0, -0.0, 1.5, 1e300, -2.5e-300, 1_800_000_000.25, rng.uniform(-1e9, 1e9)])
        case types.IntType():
            return rng.choice([0, 1, 3, 2**53, rng.randint(-(2**63), 2**63 - 1)])
        case types.BoolType():
            return rng.random() < 0.5
        case types.EnumType(cls=members):
            return rng.choice(list(members))
        case types.NoneType():
            return None
        case types.UnionType(types=alternatives):
            return random_value(rng.choice(alternatives), rng)
        case types.ListType(item_type=item):
            return [random_value(item, rng) for _ in range(rng.randint(0, 4))]
        case types.VarTupleType(item_type=item):
            return tuple(random_value(item, rng) for _ in range(rng.randint(0, 3)))
        case types.TupleType(item_types=items):
            return tuple(random_value(item, rng) for item in items)
        case types.DictType(key_type=key, value_type=value):
            return {random_value(key, rng): random_value(value, rng) for _ in range(rng.randint(0, 3))}
    raise AssertionError(f"no generator for {kind}: teach random_value this type")


def random_struct(cls: type[StructT], rng: random.Random) -> StructT:
    info = types.type_info(cls)
    assert isinstance(info, types.StructType)
    return cls(**{field.name: random_value(field.type, rng) for field in info.fields})


def random_check(rng: random.Random) -> Check:
    """A random check, its fingerprint made the way the engine makes it (a fingerprint is an id, not text)."""
    check = random_struct(Check, rng)
    return msgspec.structs.replace(check, fingerprint=fingerprint(check.rule, check.target, check.labels))


@pytest.fixture(scope="module")
def checks() -> list[Check]:
    rng = random.Random(20261123)
    return [random_check(rng) for _ in range(CASES)]


@pytest.fixture(scope="module")
def healths() -> list[TargetHealth]:
    rng = random.Random(20261124)
    return [random_struct(TargetHealth, rng) for _ in range(CASES)]


def test_the_generated_cases_cover_every_phase_and_the_hostile_strings(checks: list[Check]) -> None:
    assert {check.phase for check in checks} == set(AlertPhase)
    assert sum(check.reason == LOOKALIKE and check.active for check in checks) >= 5


def test_every_check_and_target_health_comes_back_as_it_went_in(
    checks: list[Check], healths: list[TargetHealth]
) -> None:
    for item in [*checks, *healths]:
        key, blob = state_codec.encode(item)
        assert state_codec.decode(key, blob) == item


def test_a_whole_state_comes_back_keyed_as_the_engine_keys_it(checks: list[Check], healths: list[TargetHealth]) -> None:
    blobs = state_codec.encode_all(checks, healths)
    decoded = state_codec.decode_all(blobs)
    assert decoded.checks == {check.fingerprint: check for check in checks}
    assert decoded.health == {health.target: health for health in healths}
    assert decoded.undecodable == frozenset()


def test_the_inactive_test_agrees_with_decoding(checks: list[Check], healths: list[TargetHealth]) -> None:
    for check in checks:
        key, blob = state_codec.encode(check)
        decoded = state_codec.decode(key, blob)
        assert isinstance(decoded, Check)
        assert state_codec.is_inactive(blob) is (decoded.phase is AlertPhase.INACTIVE), blob
        assert state_codec.decode_skipping_inactive(key, blob) == (check if check.active else None)
    for health in healths:
        assert state_codec.decode_skipping_inactive(*state_codec.encode(health)) == health


def test_text_that_spells_the_marker_does_not_make_an_active_check_look_inactive() -> None:
    marker = LOOKALIKE
    check = Check(
        fingerprint=fingerprint(marker, marker, ((marker, marker),)),
        rule=marker,
        target=marker,
        labels=((marker, marker),),
        reason=marker,
        value=marker,
        unit=marker,
        severity=marker,
        suppressed_by=marker,
        peaks={marker: 1.0, "phase": 2.0},
        phase=AlertPhase.FIRING,
    )
    key, blob = state_codec.encode(check)
    assert not state_codec.is_inactive(blob)
    assert state_codec.decode_skipping_inactive(key, blob) == check


def test_a_blob_another_encoder_wrote_is_judged_by_decoding_it() -> None:
    quiet = Check(fingerprint="f1", rule="r", target="t", phase=AlertPhase.INACTIVE)
    firing = Check(fingerprint="f2", rule="r", target="t", phase=AlertPhase.FIRING)
    spaced = {check.fingerprint: json.dumps(msgspec.to_builtins(check), indent=1) for check in (quiet, firing)}
    assert not state_codec.is_inactive(spaced["f1"]), "the shortcut only knows this encoder's bytes"
    assert state_codec.decode_skipping_inactive("f1", spaced["f1"]) is None, "decoding still tells"
    assert state_codec.decode_skipping_inactive("f2", spaced["f2"]) == firing


def test_entries_that_do_not_decode_are_named_not_raised() -> None:
    good = TargetHealth(target="ups-a")
    blobs = {"bad": "{", "target:sw1": "[]", "wrong-kind": state_codec.encode(good)[1]}
    blobs.update(state_codec.encode_all((), [good]))
    decoded = state_codec.decode_all(blobs)
    assert decoded.undecodable == {"bad", "target:sw1", "wrong-kind"}
    assert decoded.health == {"ups-a": good}
    assert state_codec.decode_skipping_inactive("bad", "{") is None
    with pytest.raises(msgspec.DecodeError):
        state_codec.decode("target:sw1", "[]")


def test_a_check_whose_fingerprint_reads_as_a_target_key_is_refused() -> None:
    with pytest.raises(ValueError, match="target:"):
        state_codec.encode(Check(fingerprint="target:ups-a", rule="r", target="ups-a"))
