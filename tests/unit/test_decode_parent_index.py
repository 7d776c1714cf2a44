"""A table whose rows are indexed deeper than its names (Raritan PDU2-MIB: outletName by pduId.outletId,
readings by pduId.outletId.sensorType): a reading's row takes the columns of the row whose index is a
prefix of its own, so a reading is labelled by its outlet's name, not by a number."""

from __future__ import annotations

from pathlib import Path

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue

PROFILE = """
name = "test-parent-index"
[[table]]
name = "outlet"
labels = { outlet = ["name", "index"] }
[table.columns]
name = "1.3.6.1.4.1.99999.1.1"
value = "1.3.6.1.4.1.99999.2.1"
[[table.metric]]
name = "test.outlet_value"
value = "value"
"""


def test_a_reading_takes_the_name_of_its_parent_row(tmp_path: Path) -> None:
    (tmp_path / "test-parent-index.toml").write_text(PROFILE)
    profile = load_profile("test-parent-index", [tmp_path])
    rows = {
        (1, 3): {"name": SnmpValue(Kind.OCTETS, b"web-01")},
        (1, 3, 1): {"value": SnmpValue(Kind.INTEGER, 5)},
        (1, 3, 5): {"value": SnmpValue(Kind.INTEGER, 6)},
        (1, 4, 1): {"value": SnmpValue(Kind.INTEGER, 7)},
    }
    result = decode(profile, Fetched({}, {"outlet": rows}), target="t", at=0.0)
    ours = sorted((sample.labels, sample.value) for sample in result.samples)
    assert ours == [
        ((("outlet", "1.4.1"),), 7.0),  # no row names outlet 4: its index
        ((("outlet", "web-01"),), 5.0),
        ((("outlet", "web-01#1.3.5"),), 6.0),  # two readings of one outlet: told apart as two rows always are
    ]


def test_a_row_keeps_its_own_columns_and_a_parent_is_no_row_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "test-parent-index.toml").write_text(PROFILE)
    profile = load_profile("test-parent-index", [tmp_path])
    rows = {
        (1,): {"name": SnmpValue(Kind.OCTETS, b"pdu")},
        (1, 3): {"name": SnmpValue(Kind.OCTETS, b"web-01"), "value": SnmpValue(Kind.INTEGER, 1)},
        (1, 3, 1): {"name": SnmpValue(Kind.OCTETS, b"own"), "value": SnmpValue(Kind.INTEGER, 5)},
    }
    result = decode(profile, Fetched({}, {"outlet": rows}), target="t", at=0.0)
    assert [(sample.labels, sample.value) for sample in result.samples] == [((("outlet", "own"),), 5.0)]
