"""R4: counter rates never negative nor above line speed; wraps, resets, restarts and discontinuities."""

from __future__ import annotations

import pytest

from collectors.snmp.counters import (
    TIMETICKS_WRAP,
    AgentClock,
    CounterTracker,
    RateStatus,
    Reading,
    agent_restart,
    counter_rate,
)
from collectors.snmp.decode import decode
from collectors.snmp.decode_common import Fetched
from collectors.snmp.profiles import load_profile
from collectors.snmp.values import Kind, SnmpValue


def test_first_reading_gives_no_rate() -> None:
    assert counter_rate(None, Reading(100, 64, 10.0)).status == RateStatus.FIRST


def test_plain_rate() -> None:
    rate = counter_rate(Reading(1_000, 64, 10.0), Reading(3_000, 64, 12.0))
    assert (rate.status, rate.per_second) == (RateStatus.OK, 1_000.0)


def test_counter32_wraps_once() -> None:
    rate = counter_rate(Reading(2**32 - 100, 32, 0.0), Reading(400, 32, 10.0))
    assert (rate.status, rate.per_second) == (RateStatus.WRAPPED, 50.0)


def test_counter64_decrease_is_a_reset_not_a_negative_rate() -> None:
    assert counter_rate(Reading(5_000, 64, 0.0), Reading(10, 64, 10.0)).status == RateStatus.RESET


def test_discontinuity_change_rebaselines() -> None:
    before = Reading(1_000, 64, 0.0, discontinuity=4598.0)
    after = Reading(2_000, 64, 10.0, discontinuity=4700.0)
    assert counter_rate(before, after).status == RateStatus.DISCONTINUITY


def test_no_time_elapsed_gives_no_rate() -> None:
    assert counter_rate(Reading(1, 64, 5.0), Reading(2, 64, 5.0)).status == RateStatus.NO_TIME


def test_tracker_keys_and_forgets() -> None:
    tracker = CounterTracker()
    assert tracker.update("a", Reading(0, 64, 0.0)).status == RateStatus.FIRST
    assert tracker.update("a", Reading(10, 64, 1.0)).per_second == 10.0
    tracker.update("b", Reading(0, 64, 1.0))
    tracker.forget_missing({"b"})
    assert len(tracker) == 1
    tracker.rebaseline()
    assert tracker.update("b", Reading(5, 64, 2.0)).status == RateStatus.FIRST


@pytest.mark.parametrize(
    ("previous", "current", "restarted"),
    [
        (AgentClock(0.0, uptime_ticks=50_000), AgentClock(10.0, uptime_ticks=51_000), False),
        (AgentClock(0.0, uptime_ticks=50_000), AgentClock(10.0, uptime_ticks=300), True),
        (AgentClock(0.0, uptime_ticks=TIMETICKS_WRAP - 500), AgentClock(10.0, uptime_ticks=500), False),
        (AgentClock(0.0, uptime_ticks=TIMETICKS_WRAP - 500), AgentClock(10.0, uptime_ticks=90_000_000), True),
        (AgentClock(0.0, engine_boots=3, engine_time=100), AgentClock(10.0, engine_boots=4, engine_time=2), True),
        (AgentClock(0.0, engine_time=5_000), AgentClock(10.0, engine_time=12), True),  # no sysUpTime
        (AgentClock(0.0, engine_time=5_000), AgentClock(10.0, engine_time=5_010), False),
        (AgentClock(0.0), AgentClock(10.0), False),  # Liebert, ASR920: nothing to tell by
        (AgentClock(0.0, uptime_ticks=7), AgentClock(10.0, uptime_ticks=7), False),  # a recording: static
    ],
)
def test_agent_restart(previous: AgentClock, current: AgentClock, restarted: bool) -> None:
    assert bool(agent_restart(previous, current)) is restarted


class FakeRates:
    """The collector's RateSource, with a tracker and a clock the test moves."""

    def __init__(self) -> None:
        self.tracker = CounterTracker()
        self.now = 0.0

    def rate(self, key: object, value: SnmpValue, discontinuity: float | None) -> float | None:
        assert isinstance(value.payload, int)
        bits = 32 if value.kind == Kind.COUNTER32 else 64
        rate = self.tracker.update(key, Reading(value.payload, bits, self.now, discontinuity))
        return rate.per_second if rate.status in (RateStatus.OK, RateStatus.WRAPPED) else None


def interface_row(name: str, octets: int, *, kind: Kind = Kind.COUNTER64, speed: int = 1000) -> dict[str, SnmpValue]:
    column = "hc_in_octets" if kind == Kind.COUNTER64 else "in_octets"
    return {
        "name": SnmpValue(Kind.OCTETS, name.encode()),
        "oper_status": SnmpValue(Kind.INTEGER, 1),
        "high_speed": SnmpValue(Kind.GAUGE32, speed),
        column: SnmpValue(kind, octets),
        "discontinuity": SnmpValue(Kind.TIMETICKS, 0),
    }


def interface_rates(rates: FakeRates, rows: dict[tuple[int, ...], dict[str, SnmpValue]]) -> dict[str, float]:
    decoded = decode(load_profile("if-mib"), Fetched({}, {"interfaces": rows}), target="sw", at=0.0, rates=rates)
    return {
        f"{sample.metric}:{dict(sample.labels)['ifname']}": float(sample.value)
        for sample in decoded.samples
        if sample.metric in ("if.in_bps", "if.util_in_pct")
    }


def test_interface_rates_need_two_polls_and_follow_the_name_not_the_index() -> None:
    rates = FakeRates()
    assert interface_rates(rates, {(1,): interface_row("XGE1/0/1", 0)}) == {}
    rates.now = 10.0
    # after a reboot the same interface comes back with another ifIndex: its counter state follows the name
    result = interface_rates(rates, {(7,): interface_row("XGE1/0/1", 125_000_000)})
    assert result == {"if.in_bps:XGE1/0/1": 100_000_000.0, "if.util_in_pct:XGE1/0/1": 10.0}


def test_rates_above_line_speed_are_rejected() -> None:
    rates = FakeRates()
    interface_rates(rates, {(1,): interface_row("Gi0/1", 0, speed=100)})
    rates.now = 1.0
    assert interface_rates(rates, {(1,): interface_row("Gi0/1", 125_000_000, speed=100)}) == {}  # 1 Gbit/s on 100M
    rates.now = 2.0
    result = interface_rates(rates, {(1,): interface_row("Gi0/1", 125_000_000 + 12_500_000, speed=100)})
    assert result == {"if.in_bps:Gi0/1": 100_000_000.0, "if.util_in_pct:Gi0/1": 100.0}


def test_counter32_wrap_and_counter64_reset_through_the_decoder() -> None:
    rates = FakeRates()
    interface_rates(rates, {(1,): interface_row("e0", 2**32 - 1_000, kind=Kind.COUNTER32)})
    rates.now = 1.0
    assert interface_rates(rates, {(1,): interface_row("e0", 9_000, kind=Kind.COUNTER32)}) == {
        "if.in_bps:e0": 80_000.0,
        "if.util_in_pct:e0": 0.008,
    }
    rates.now = 2.0
    interface_rates(rates, {(2,): interface_row("e1", 10**12)})
    rates.now = 3.0
    assert interface_rates(rates, {(2,): interface_row("e1", 10)}) == {}  # Counter64 went down: reset
    rates.now = 4.0
    assert interface_rates(rates, {(2,): interface_row("e1", 1_010)}) == {
        "if.in_bps:e1": 8_000.0,
        "if.util_in_pct:e1": 0.0008,
    }
