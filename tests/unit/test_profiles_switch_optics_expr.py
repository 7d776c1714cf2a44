"""`log10` in profile expressions: optics that report milliwatts (Arista's DOM sensors) become dBm in the
profile, and a dark optic (0 mW, or the MIB's underflow) gives no value instead of a made-up number."""

from __future__ import annotations

import pytest

from collectors.snmp.expr import parse_expression


def test_milliwatts_become_dbm() -> None:
    dbm = parse_expression("10 * log10(mw)")
    assert dbm.evaluate({"mw": 1.0}) == 0.0
    assert dbm.evaluate({"mw": 0.5}) == pytest.approx(-3.0103, abs=1e-4)
    assert dbm.names == frozenset({"mw"})


@pytest.mark.parametrize("mw", [0.0, -100.0])
def test_no_light_is_no_value(mw: float) -> None:
    assert parse_expression("10 * log10(mw)").evaluate({"mw": mw}) is None


@pytest.mark.parametrize("text", ["log(x)", "log10(x, 2)", "log10()", "x.log10(1)", "log10(x=1)", "__import__(x)"])
def test_only_log10_of_one_argument(text: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        parse_expression(text)
