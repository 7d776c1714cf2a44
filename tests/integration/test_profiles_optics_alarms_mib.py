"""Transceiver alarm flags and per-lane optics (issue 19) on walks written from the MIB text
(tests/fixtures/snmprec-mib/), served by snmpsim: JUNIPER-DOM-MIB's alarm/warning BITS and its lane table (a
100G optic's four lanes, each with a `lane` label), HH3C-TRANSCEIVER-INFO-MIB's hh3cTransceiverErrors and
CISCO-ENTITY-SENSOR-MIB's sensor thresholds. Every decoded value is worked out here from the raw OIDs by the
MIB's rules (BITS: bit 0 is the first octet's high bit; words in the MIB's order), on top of what the switch
walks already check; a dark lane stays "no value"; discover's stanza with the new suggestions passes `check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from device_walks import ShippedRoom, assert_decodes, column, discover_walk, raw_text, rule_ids, serve_walks
from device_walks import decoded as decoded_with
from switch_mib_readings import (
    SIX_DECIMALS,
    Expected,
    cisco_expected,
    h3c_expected,
    junos_expected,
    vrp_expected,
    without_ports,
)

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

PROFILES = {
    "junos-dom-lanes": "juniper",
    "h3c-transceiver-errors": "h3c-comware",
    "cisco-dom-thresholds": "cisco-envmon",
    "huawei-vrp-alarms": "huawei-vrp",
}
SUGGESTED = {"junos-dom-lanes": "optic-alarm", "h3c-transceiver-errors": "optic-alarm",
             "cisco-dom-thresholds": "optic-threshold-crossed",
             "huawei-vrp-alarms": "optic-no-light"}  # fmt: skip
"""A rule the stanza proposes (none on Huawei's alarm light: see the profile's header)."""

JNX_DOM_ALARM = ["rx-loss-of-signal", "rx-cdr-loss-of-lock", "rx-not-ready", "rx-power-high", "rx-power-low",
                 "tx-bias-high", "tx-bias-low", "tx-power-high", "tx-power-low", "tx-data-not-ready", "tx-not-ready",
                 "tx-laser-fault", "tx-cdr-loss-of-lock", "temperature-high", "temperature-low", "module-not-ready",
                 "module-power-down", "link-down", "module-removed", "voltage-high", "voltage-low"]  # fmt: skip
"""JnxDomAlarmId, bits 0-20."""
JNX_DOM_WARNING = ["rx-power-high", "rx-power-low", "tx-bias-high", "tx-bias-low", "tx-power-high", "tx-power-low",
                   "temperature-high", "temperature-low", "voltage-high", "voltage-low"]  # fmt: skip
"""JnxDomWarningId, bits 0-9; JnxDomLaneAlarmId and JnxDomLaneWarningId are its first 8."""
HH3C_ERRORS = ["io-error", "checksum-error", "type-and-port-mismatch", "type-not-supported", "wis-local-fault",
               "rx-power-fault", "pma-pmd-rx-local-fault", "pcs-rx-local-fault", "phy-xs-rx-local-fault",
               "bias-current-fault", "laser-temperature-fault", "tx-power-fault", "tx-fault",
               "pma-pmd-tx-local-fault", "pcs-tx-local-fault", "phy-xs-tx-local-fault",
               "rx-loss-of-signal"]  # fmt: skip
"""hh3cTransceiverErrors, bits 0-16 (17-31 unused)."""
HW_ALARM_STATUS = ["not-supported", "under-repair", "critical", "major", "minor", "alarm-outstanding", "warning",
                   "indeterminate"]  # fmt: skip
"""HUAWEI-ENTITY-EXTENT-MIB HwAlarmStatus, bits 0-7."""


def words(hex_text: str, names: list[str]) -> str:
    """RFC 2578 BITS: octet i's high bit is bit 8i; the set bits' names in bit order, or "none"."""
    data = bytes.fromhex(hex_text)
    bits = [8 * i + bit for i, octet in enumerate(data) for bit in range(8) if octet & (0x80 >> bit)]
    return ",".join(names[bit] if bit < len(names) else f"bit-{bit}" for bit in bits) or "none"


def junos_lanes_expected(values: dict[str, str]) -> Expected:
    """The switch walk's rules, the module's alarm/warning words and each lane (0.01 dBm, 0.001 mA, C;
    -4000 = a dark lane: no Rx value, no light; a lane's 0 is a real 0.00 dBm)."""
    expected = junos_expected(values)
    dom = "1.3.6.1.4.1.2636.3.60.1.1.1.1"
    names = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, alarms in column(values, f"{dom}.1").items():
        port = (("port", names[index]),)
        expected[("optic.alarms", port)] = words(alarms, JNX_DOM_ALARM)
        expected[("optic.warnings", port)] = words(values[f"{dom}.4.{index}"], JNX_DOM_WARNING)
    lane = "1.3.6.1.4.1.2636.3.60.1.2.1.1"
    for index, number in column(values, f"{lane}.1").items():
        labels = (("lane", number), ("port", names[index.split(".")[0]]))
        rx, tx = int(values[f"{lane}.6.{index}"]), int(values[f"{lane}.8.{index}"])
        expected[("optic.alarms", labels)] = words(values[f"{lane}.2.{index}"], JNX_DOM_WARNING[:8])
        expected[("optic.warnings", labels)] = words(values[f"{lane}.5.{index}"], JNX_DOM_WARNING[:8])
        expected[("optic.no_light", labels)] = 1.0 if rx == -4000 else 0.0
        if rx != -4000:
            expected[("optic.rx_dbm", labels)] = rx / 100
        if tx != -4000:
            expected[("optic.tx_dbm", labels)] = tx / 100
        expected[("optic.bias_ma", labels)] = int(values[f"{lane}.7.{index}"]) / 1000
        expected[("optic.temperature_c", labels)] = float(values[f"{lane}.9.{index}"])
    return expected


def h3c_errors_expected(values: dict[str, str]) -> Expected:
    expected = h3c_expected(values)
    names = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, errors in column(values, "1.3.6.1.4.1.25506.2.70.1.1.1.38").items():
        expected[("optic.alarms", (("port", names[index]),))] = words(errors, HH3C_ERRORS)
    return expected


def cisco_thresholds_expected(values: dict[str, str]) -> Expected:
    """SensorThresholdSeverity and SensorThresholdRelation as labels, TruthValue evaluation as crossed/clear,
    for the optic power and bias sensors only."""
    expected = cisco_expected(values)
    severity = {1: "other", 10: "minor", 20: "major", 30: "critical"}
    bound = {1: "below", 2: "at-or-below", 3: "above", 4: "at-or-above", 5: "equal", 6: "not-equal"}
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    threshold = "1.3.6.1.4.1.9.9.91.1.2.1.1"
    for index, evaluation in column(values, f"{threshold}.5").items():
        name = names[index.split(".")[0]]
        if not any(part in name for part in ("Transmit Power", "Receive Power", "Rx Power", "Tx Power", "Bias")):
            continue
        labels = (
            ("bound", bound[int(values[f"{threshold}.3.{index}"])]),
            ("sensor", name),
            ("severity", severity[int(values[f"{threshold}.2.{index}"])]),
        )
        expected[("optic.threshold", labels)] = {"1": "crossed", "2": "clear"}[evaluation]
    return expected


def vrp_alarms_expected(values: dict[str, str]) -> Expected:
    """The switch walk's rules, and hwEntityAlarmLight of each port with a module (mode 2-4) as words."""
    expected = vrp_expected(values)
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    modes = column(values, "1.3.6.1.4.1.2011.5.25.31.1.1.3.1.1")
    for index, light in column(values, "1.3.6.1.4.1.2011.5.25.31.1.1.1.1.4").items():
        if modes.get(index) in ("2", "3", "4"):
            expected[("optic.alarms", (("port", names[index]),))] = words(light, HW_ALARM_STATUS)
    return expected


EXPECTED = {
    "junos-dom-lanes": junos_lanes_expected,
    "h3c-transceiver-errors": h3c_errors_expected,
    "cisco-dom-thresholds": cisco_thresholds_expected,
    "huawei-vrp-alarms": vrp_alarms_expected,
}


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    yield from serve_walks(tmp_path_factory, PROFILES)


async def decoded(agent: SnmpsimAgent, name: str) -> Expected:
    return without_ports(await decoded_with(agent, name, PROFILES[name]))


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_discover_picks_the_vendor_profile(agent: SnmpsimAgent, name: str) -> None:
    result = await discover_walk(agent, name)
    assert result.profiles[0] == PROFILES[name]


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_every_decoded_value_is_what_the_raw_oids_say(agent: SnmpsimAgent, name: str) -> None:
    assert_decodes(await decoded(agent, name), EXPECTED[name](raw_text(name)), abs_tolerance=SIX_DECIMALS)


async def test_junos_flags_in_words_and_lanes_by_number(agent: SnmpsimAgent) -> None:
    ours = await decoded(agent, "junos-dom-lanes")
    dark, lit = (("port", "xe-0/0/1"),), (("port", "xe-0/0/0"),)
    lane = {n: (("lane", str(n)), ("port", "et-0/0/48")) for n in range(4)}
    assert ours[("optic.alarms", dark)] == "rx-loss-of-signal,rx-power-low,link-down"
    assert ours[("optic.alarms", lit)] == "none"
    assert ours[("optic.warnings", lit)] == "rx-power-low"
    assert ours[("optic.rx_dbm", lane[0])] == pytest.approx(-2.15)
    assert ours[("optic.no_light", lane[1])] == 1.0
    assert ("optic.rx_dbm", lane[1]) not in ours  # a dark lane: no value
    assert ours[("optic.alarms", lane[1])] == "rx-power-low"
    assert ours[("optic.tx_dbm", lane[2])] == 0.0  # a lane's 0.00 dBm is a reading
    assert ours[("optic.warnings", lane[3])] == "tx-bias-high"
    assert ("optic.rx_dbm", (("port", "et-0/0/48"),)) not in ours  # the module row of a per-lane optic


async def test_h3c_errors_huawei_alarm_light_and_cisco_thresholds_in_words(agent: SnmpsimAgent) -> None:
    h3c = await decoded(agent, "h3c-transceiver-errors")
    assert h3c[("optic.alarms", (("port", "HundredGigE1/0/51"),))] == "rx-power-fault,rx-loss-of-signal"
    assert h3c[("optic.alarms", (("port", "HundredGigE1/0/50"),))] == "checksum-error,type-not-supported"
    vrp = await decoded(agent, "huawei-vrp-alarms")
    assert vrp[("optic.alarms", (("port", "XGigabitEthernet0/0/3"),))] == "critical,alarm-outstanding"
    assert vrp[("optic.alarms", (("port", "XGigabitEthernet0/0/1"),))] == "none"
    cisco = await decoded(agent, "cisco-dom-thresholds")
    crossed = {labels for (metric, labels), value in cisco.items() if (metric, value) == ("optic.threshold", "crossed")}
    assert crossed == {
        (("bound", "at-or-below"), ("sensor", "Te1/0/1 Receive Power Sensor"), ("severity", "minor")),
        (("bound", "below"), ("sensor", "Te1/0/2 Receive Power Sensor"), ("severity", "critical")),
    }


@pytest.mark.parametrize("name", sorted(PROFILES))
async def test_the_stanza_passes_check_in_the_shipped_room(agent: SnmpsimAgent, tmp_path: Path, name: str) -> None:
    room = ShippedRoom(tmp_path)
    stanza = await room.discovered_stanza(agent, name)
    assert f"found-{name}-{SUGGESTED[name]}" in rule_ids(stanza)
    room.assert_accepts(stanza)
