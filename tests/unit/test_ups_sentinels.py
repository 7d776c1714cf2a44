"""UPS-MIB's "runtime unknown" sentinels: skipped quietly, never shown as 71 million minutes."""

from __future__ import annotations

import pytest

from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (Kind.GAUGE32, 4294967295),  # a Huawei UPS2000 on mains: -1 sent unsigned
        (Kind.INTEGER, -1),
        (Kind.INTEGER, 65535),  # NetVision / Socomec cards
    ],
)
def test_runtime_sentinels_give_no_runtime(kind: Kind, raw: int) -> None:
    scalars = {"output_source": SnmpValue(Kind.INTEGER, 3), "minutes_remaining": SnmpValue(kind, raw)}
    result = decode(load_profile("ups-mib"), Fetched(scalars, {}), target="t", at=0.0)
    assert not result.problem, result.problem
    assert not [sample for sample in result.samples if sample.metric == "ups.runtime_min"]


def test_a_real_runtime_is_kept() -> None:
    scalars = {"output_source": SnmpValue(Kind.INTEGER, 3), "minutes_remaining": SnmpValue(Kind.INTEGER, 42)}
    result = decode(load_profile("ups-mib"), Fetched(scalars, {}), target="t", at=0.0)
    assert [sample.value for sample in result.samples if sample.metric == "ups.runtime_min"] == [42.0]
