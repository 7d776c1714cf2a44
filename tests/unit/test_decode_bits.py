"""BITS columns (JUNIPER-DOM-MIB jnxDomCurrentAlarms, HH3C-TRANSCEIVER-INFO-MIB hh3cTransceiverErrors) decode
to the words of the bits that are set, in SNMP's bit order (bit 0 is the first octet's high bit), or "none";
an optic's alarm is then a word a rule can compare, not a byte string nobody reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profile_parts import ProfileError
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue

PROFILE = """
name = "test-bits"
[[table]]
name = "optics"
labels = { port = "index" }
[table.columns]
alarms = "1.3.6.1.4.1.99999.1.1"
[[table.metric]]
name = "test.alarms"
kind = "bits"
value = "alarms"
enum = { 0 = "rx-loss-of-signal", 4 = "rx-power-low", 9 = "tx-data-not-ready", 16 = "module-power-down" }
"""


def _decoded(tmp_path: Path, value: SnmpValue) -> list[object]:
    (tmp_path / "test-bits.toml").write_text(PROFILE)
    profile = load_profile("test-bits", [tmp_path])
    result = decode(profile, Fetched({}, {"optics": {(7,): {"alarms": value}}}), target="t", at=0.0)
    return [sample.value for sample in result.samples]


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"\x00\x00\x00", "none"),
        (b"", "none"),
        (b"\x08\x00\x00", "rx-power-low"),
        (b"\x88\x00\x00", "rx-loss-of-signal,rx-power-low"),
        (b"\x00\x40\x80", "tx-data-not-ready,module-power-down"),
        (b"\x00\x00\x40", "bit-17"),
    ],
)
def test_set_bits_become_their_words_in_bit_order(tmp_path: Path, payload: bytes, words: str) -> None:
    assert _decoded(tmp_path, SnmpValue(Kind.OCTETS, payload)) == [words]


@pytest.mark.parametrize(
    "value",
    [SnmpValue(Kind.INTEGER, 3), SnmpValue(Kind.NO_SUCH_INSTANCE), SnmpValue(Kind.OCTETS, b"\xff" * 4096)],
)
def test_a_value_that_is_not_bits_gives_no_word(tmp_path: Path, value: SnmpValue) -> None:
    assert _decoded(tmp_path, value) == []


def test_bits_need_their_words_and_a_table(tmp_path: Path) -> None:
    (tmp_path / "test-bits.toml").write_text(PROFILE.replace('enum = { 0 = "rx-loss-of-signal"', "enum = {} #"))
    with pytest.raises(ProfileError, match="needs `enum`"):
        load_profile("test-bits", [tmp_path])
    scalar = 'name = "test-bits"\n[scalars]\na = "1.3.6.1.4.1.99999.1.0"\n'
    scalar += '[[metric]]\nname = "test.alarms"\nkind = "bits"\nvalue = "a"\nenum = { 0 = "x" }\n'
    (tmp_path / "test-bits.toml").write_text(scalar)
    with pytest.raises(ProfileError, match="table columns"):
        load_profile("test-bits", [tmp_path])
