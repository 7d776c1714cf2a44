"""Switch health and optics (issue 19) on recordings written from the MIB text (tests/fixtures/snmprec-mib/),
served by snmpsim: `discover` picks the vendor's profile, a poll with it decodes every value the raw OIDs
imply (value x scale, enum words, sentinels -> no value, never a made-up reading), and the stanza discover
writes passes `dutyroom check` pasted into the shipped room.

The expected values are worked out here from the raw recording by each MIB's own rules, independently of
the profile's expressions; a decoded sample the MIB does not imply, or a missing one, fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import ShippedRoom, assert_decodes, discover_walk, poll_once, raw_text, rule_ids, serve_walks
from device_walks import decoded as decoded_with
from switch_mib_readings import (
    SIX_DECIMALS,
    Expected,
    arista_expected,
    cisco_expected,
    h3c_expected,
    junos_expected,
    vrp_expected,
    without_ports,
)

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

PROFILES = {
    "arista-eos": "arista",
    "cisco-dom": "cisco-envmon",
    "h3c-comware-ext": "h3c-comware",
    "huawei-vrp-optics": "huawei-vrp",
    "junos-dom": "juniper",
}


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, PROFILES)


async def decoded(agent: SnmpsimAgent, name: str) -> Expected:
    """What a poll with the profile discover proposes reports, without the IF-MIB ports."""
    return without_ports(await decoded_with(agent, name, PROFILES[name]))


EXPECTED = {
    "arista-eos": arista_expected,
    "cisco-dom": cisco_expected,
    "h3c-comware-ext": h3c_expected,
    "huawei-vrp-optics": vrp_expected,
    "junos-dom": junos_expected,
}


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_discover_picks_the_vendor_profile_and_the_ports(agent: SnmpsimAgent, name: str) -> None:
    result = await discover_walk(agent, name)
    assert result.profiles[0] == PROFILES[name]
    assert result.interfaces_up  # the ports too: the profile extends if-mib


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_every_decoded_value_is_what_the_raw_oids_say(agent: SnmpsimAgent, name: str) -> None:
    assert_decodes(await decoded(agent, name), EXPECTED[name](raw_text(name)), abs_tolerance=SIX_DECIMALS)


async def test_arista_optics_in_dbm_and_no_light_is_no_value(agent: SnmpsimAgent) -> None:
    """The issue's -100 W: an optic without light reads the underflow; it is no light, never a number."""
    ours = await decoded(agent, "arista-eos")
    lit, dark, faint = ((("sensor", f"DOM RX Power Sensor for Ethernet{n}"),) for n in (1, 2, 3))
    assert ours[("optic.rx_dbm", lit)] == pytest.approx(-5.9500, abs=1e-4)  # 0.2541 mW
    assert ours[("optic.tx_dbm", (("sensor", "DOM TX Power Sensor for Ethernet1"),))] == pytest.approx(-3.0, abs=1e-3)
    assert ours[("optic.no_light", dark)] == 1.0
    assert ("optic.rx_dbm", dark) not in ours
    assert ours[("optic.rx_dbm", faint)] == pytest.approx(-40.0)  # 0.1 uW is a reading, below its alarm
    assert ours[("optic.rx_margin_db", faint)] < 0 < ours[("optic.rx_margin_db", lit)]
    assert not [value for (metric, _), value in ours.items() if metric == "sensor.power_w" and value < 0]
    assert ours[("switch.psu_status", (("psu", "PowerSupply2"),))] == "disabled"
    assert ours[("sensor.temperature_headroom_c", (("sensor", "Cpu temp sensor"),))] == pytest.approx(44.8)


async def test_cisco_optics_only_what_the_sensor_measured(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "cisco-dom")
    optics = {labels[0][1]: value for (metric, labels), value in ours.items() if metric.startswith("optic.")}
    assert optics == {
        "Te1/0/1 Transmit Power Sensor": pytest.approx(-2.3),
        "Te1/0/1 Receive Power Sensor": pytest.approx(-5.1),
        "subslot 0/0 transceiver 1 Rx Power Sensor": pytest.approx(-7.6),  # typed other(1) by IOS-XE 15.5(2)S
    }  # Te1/0/2: Tx underflow and an unavailable Rx give nothing; the PSU's watts and the module's C are no optic


async def test_h3c_boards_and_transceivers(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "h3c-comware-ext")
    hot, lit, unread = (("entity", "Board 2"),), (("port", "HundredGigE1/0/49"),), (("port", "HundredGigE1/0/51"),)
    assert ours[("sensor.temperature_headroom_c", hot)] == -3  # 83 C against its own 80 C threshold
    assert ours[("switch.cpu_pct", hot)] == 96
    assert ("switch.cpu_pct", (("entity", "Slot 1"),)) not in ours  # threshold 0: not a CPU
    assert ours[("optic.rx_dbm", lit)] == pytest.approx(-10.05)
    assert ours[("optic.bias_ma", lit)] == pytest.approx(9.99)
    assert ("optic.rx_dbm", unread) not in ours  # 2147483647: not available
    assert ours[("optic.tx_dbm", unread)] == pytest.approx(-5.6)
    assert not [labels for _, labels in ours if labels == (("port", "HundredGigE1/0/50"),)]  # no diagnostics


async def test_vrp_microwatts_and_dark_optics(agent: SnmpsimAgent) -> None:
    """Older VRP firmware reports microwatts (positive), newer hundredths of dBm; neither gives a made-up value."""
    ours = await decoded(agent, "huawei-vrp-optics")
    port = {n: (("port", f"XGigabitEthernet0/0/{n}"),) for n in range(1, 6)}
    assert ours[("optic.rx_dbm", port[1])] == pytest.approx(-5.12)
    assert ours[("optic.rx_dbm", port[2])] == pytest.approx(-5.003, abs=1e-3)  # 316 uW
    assert ours[("optic.tx_dbm", port[2])] == pytest.approx(-3.002, abs=1e-3)  # 501 uW
    assert ours[("optic.no_light", port[3])] == 1.0
    assert ("optic.rx_dbm", port[3]) not in ours
    assert ("optic.rx_dbm", port[4]) not in ours  # 0: 0 dBm or no light, the agent does not say
    assert not [labels for _, labels in ours if labels == port[5]]  # an empty cage


async def test_the_generic_entity_sensor_profile_no_longer_reads_minus_100_w(agent: SnmpsimAgent) -> None:
    result = await poll_once(agent, "arista-eos", "entity-sensor")
    assert result.failure is None, result.reason
    dark = (("sensor", "DOM RX Power Sensor for Ethernet2"), ("type", "watts"))
    assert not [s for s in result.samples if s.labels == dark and s.metric != "sensor.status"]
    assert all(s.value != -100 for s in result.samples)


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_stanza_passes_check_in_the_shipped_room(agent: SnmpsimAgent, tmp_path: Path, name: str) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(agent, name)
    proposed = rule_ids(stanza)
    assert {f"found-{name}-optic-no-light", f"found-{name}-switch-cpu-high"} & proposed  # the profile's own rules
    room.assert_accepts(stanza)
