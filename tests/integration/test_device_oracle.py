"""Every device recording against its raw OIDs and LibreNMS's expected results (issue 19's harness).

For each recording in ../shared/fixtures/snmprec: `discover` must pick the profile named here, and a poll
with it must decode what the raw OIDs imply. Where `librenms-json/NAME.json` exists, every sensor LibreNMS
finds is either mapped to a dutyroom sample (its value = raw x multiplier / divisor, checked against the
recording itself, and the same for dutyroom; a state's code and both words) or listed in `explained` with
the reason the profile gives (a disagreement, or a reading that is no alarm). Ports: the interfaces if-mib
reports carry the names LibreNMS lists (NUL padding cleaned). A recording with no profile yet is an
expected failure naming what is missing (test_discover_stanza.py still checks what discover proposes for it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from device_walks import discover_walk, poll_once, raw_text
from snmp_agents import SNMPREC_DIR

from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

ORACLE_DIR = SNMPREC_DIR / "librenms-json"
Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reading:
    """A LibreNMS sensor (by its numeric OID) and the dutyroom sample that reports the same reading."""

    metric: str
    labels: Labels = ()
    word: str = ""
    """For a state sensor: dutyroom's word for the code (LibreNMS's own word is checked beside it)."""
    librenms_word: str = ""
    factor: float = 1.0
    """dutyroom's value x factor = LibreNMS's (1000 where LibreNMS shows kVA as VA)."""
    profile: str = ""
    """The profile that reads it when not the device's first (one `also` names)."""


@dataclass(frozen=True)
class Device:
    profile: str
    """What `discover` proposes (its first profile); "" = no profile applies yet."""
    readings: dict[str, Reading] = field(default_factory=dict)
    explained: dict[str, str] = field(default_factory=dict)
    """LibreNMS sensors dutyroom does not report as LibreNMS does, and why (the profile's comments say more)."""
    ports: bool = False
    """Compare the IF-MIB ports with LibreNMS's list."""
    todo: str = ""
    """Why this recording is not covered yet (a strict xfail)."""
    also: tuple[str, ...] = ()
    """Profiles discover must propose beside the first (which read what `explained` leaves to them)."""


def r(
    metric: str,
    *labels: tuple[str, str],
    word: str = "",
    librenms: str = "",
    factor: float = 1.0,
    profile: str = "",
) -> Reading:
    return Reading(metric, tuple(labels), word, librenms, factor, profile)


HWG = ".1.3.6.1.4.1.21796.4.9"
ITA2 = ".1.3.6.1.4.1.13400.2.54.2"
SMU = ".1.3.6.1.4.1.2011.6.164.1"
SOCOMEC = ".1.3.6.1.4.1.4555.2.30.2"
APC = ".1.3.6.1.4.1.318.1.1.1"
ATS = ".1.3.6.1.4.1.318.1.1.8"
UPS = ".1.3.6.1.2.1.33.1"
CMC = ".1.3.6.1.4.1.2606.7.4.2.2.1.11"
LGP = ".1.3.6.1.4.1.476.1.42.3.5.2"
MGE = ".1.3.6.1.4.1.705.1"
XUPS = ".1.3.6.1.4.1.534.1"
XATS = ".1.3.6.1.4.1.318.1.1.17"
COOL = ".1.3.6.1.4.1.318.1.1.27.1"
AFM = ".1.3.6.1.4.1.318.1.1.13.1"
LENV = ".1.3.6.1.4.1.476.1.42.3.4"
LINES_1_3 = [f"{point}.{line}" for point in "13" for line in "123"]
LINES_ALL = [f"{point}.{line}" for point in "123" for line in "123"]


def smu(rectifiers_sleep: str, sleep_word: str, monitor: str, monitor_word: str, string: str) -> dict[str, Reading]:
    return {
        f"{SMU}.4.4.2.1.3.{string}": r("dc.battery_capacity_pct", ("string", string)),
        f"{SMU}.5.1.4.0": r("dc.ac_inputs"),
        f"{SMU}.4.1.3.0": r("dc.batteries"),
        f"{SMU}.6.1.6.0": r("dc.dc_units"),
        f"{SMU}.3.1.4.0": r("dc.rectifiers"),
        f"{SMU}.4.2.1.0": r("dc.battery_current_a"),
        f"{SMU}.6.2.1.1.5.1": r("dc.output_current_a", ("output", "1")),
        f"{SMU}.6.1.4.0": r("dc.load_current_a"),
        f"{SMU}.3.1.3.0": r("dc.rectifier_current_a"),
        f"{SMU}.4.2.3.0": r("dc.battery_state", word="float", librenms="floatCharge"),
        f"{SMU}.4.2.4.0": r("dc.battery_current_limit", word="unlimited", librenms="unlimit"),
        f"{SMU}.3.1.8.0": r("dc.rectifiers_state", word="on", librenms="on"),
        f"{SMU}.2.2.1.1.99.1": r("dc.monitor_status", ("unit", "1"), word=monitor, librenms=monitor_word),
        f"{SMU}.2.2.1.1.11.1": r("dc.control_mode", ("unit", "1"), word="auto", librenms="autoMode"),
        f"{SMU}.3.1.7.0": r("dc.rectifier_sleep", word=rectifiers_sleep, librenms=sleep_word),
        f"{SMU}.5.2.1.1.4.1": r("dc.ac_input_voltage_v", ("line", "1")),
        f"{SMU}.3.1.6.0": r("dc.rectifier_output_voltage_v"),
        f"{SMU}.6.2.1.1.4.1": r("dc.output_voltage_v", ("output", "1")),
        f"{SMU}.6.1.3.0": r("dc.bus_voltage_v"),
        f"{SMU}.3.1.5.0": r("dc.rectifier_rated_voltage_v"),
    }


DCS_UPS = ".1.3.6.1.4.1.13400.3.4.491.1.1"
DCS_PDU = ".1.3.6.1.4.1.13400.3.2.225.1.1"
DCS_AC = ".1.3.6.1.4.1.13400.3.3.3031.1.1"
DCS_ENV = ".1.3.6.1.4.1.13400.3.5.541.1.1"
DCS_NOT_AVAILABLE = {
    **{f"{DCS_UPS}.{n}.1": "UPS phase B/C" for n in (3, 4, 6, 7, 9, 10, 17, 18, 24, 25, 46, 47)},
    **{f"{DCS_PDU}.7.{pdu}": "PDU branch 3" for pdu in "12"},
    **{f"{DCS_AC}.{n}.1": "outside/exhaust air probe" for n in (58, 59)},
}


def dcs_readings() -> dict[str, Reading]:
    """The DCS's UPS, PDUs, cooling unit and sensors as LibreNMS reads them (those it has a value for)."""
    ups = ("ups", "1")
    readings = {
        f"{DCS_UPS}.2.1": r("ups.input_voltage_v", ("phase", "A"), ups),
        f"{DCS_UPS}.5.1": r("ups.output_voltage_v", ("phase", "A"), ups),
        f"{DCS_UPS}.8.1": r("ups.output_current_a", ("phase", "A"), ups),
        f"{DCS_UPS}.16.1": r("ups.input_current_a", ("phase", "A"), ups),
        f"{DCS_UPS}.23.1": r("ups.bypass_voltage_v", ("phase", "A"), ups),
        f"{DCS_UPS}.45.1": r("ups.load_pct", ("phase", "A"), ups),
        f"{DCS_UPS}.11.1": r("ups.output_frequency_hz", ups),
        f"{DCS_UPS}.19.1": r("ups.input_frequency_hz", ups),
        f"{DCS_UPS}.29.1": r("ups.bypass_frequency_hz", ups),
        f"{DCS_UPS}.30.1": r("ups.bus_voltage_positive_v", ups),
        f"{DCS_UPS}.31.1": r("ups.bus_voltage_negative_v", ups),
        f"{DCS_UPS}.59.1": r("ups.battery_voltage_v", ups),
        f"{DCS_UPS}.65.1": r("ups.runtime_min", ups),
        f"{DCS_UPS}.67.1": r("env.ambient_temperature_c", ups),
        f"{DCS_UPS}.68.1": r("ups.charge_pct", ups),
        f"{DCS_UPS}.75.1": r("ups.output_source", ups, word="normal", librenms="utilityonline"),
        f"{DCS_UPS}.76.1": r("ups.input_power", ups, word="utility", librenms="utilityonline"),
        f"{DCS_UPS}.77.1": r("ups.battery_state", ups, word="full", librenms="full"),
        f"{DCS_UPS}.79.1": r("ups.charger", ups, word="on", librenms="chargeron"),
        f"{DCS_AC}.56.1": r("cooling.supply_temp_c", ("unit", "1")),
        f"{DCS_AC}.57.1": r("cooling.return_temp_c", ("unit", "1")),
        f"{DCS_AC}.64.1": r("cooling.voltage_v", ("unit", "1")),
        f"{DCS_AC}.76.1": r("cooling.compressor_load_pct", ("unit", "1")),
        f"{DCS_AC}.77.1": r("cooling.fan_speed_pct", ("unit", "1")),
        f"{DCS_AC}.78.1": r("cooling.valve_opening_pct", ("unit", "1")),
        f"{DCS_ENV}.2.1": r("env.temperature_c", ("sensor", "front"), ("unit", "1")),
        f"{DCS_ENV}.3.1": r("env.temperature_c", ("sensor", "rear"), ("unit", "1")),
        f"{DCS_ENV}.19.1": r("env.temperature_c", ("sensor", "outside cabinet"), ("unit", "1")),
        f"{DCS_ENV}.20.1": r("env.humidity_pct", ("sensor", "outside cabinet"), ("unit", "1")),
        f"{DCS_ENV}.4.1": r("env.door", ("sensor", "front door"), ("unit", "1"), word="closed", librenms="close"),
        f"{DCS_ENV}.5.1": r("env.door", ("sensor", "rear door"), ("unit", "1"), word="closed", librenms="close"),
        f"{DCS_ENV}.6.1": r("env.water_leak", ("unit", "1"), word="0", librenms="normal"),
        # LibreNMS reads column 2 twice, as the alarm and as the DI comm status: both "normal" at 0
        ".1.3.6.1.4.1.13400.3.5.559.1.1.2.1": r("env.fire_alarm", ("unit", "1"), word="0", librenms="normal"),
    }
    for pdu in "12":
        at = ("pdu", pdu)
        readings |= {
            f"{DCS_PDU}.3.{pdu}": r("pdu.voltage_v", at),
            f"{DCS_PDU}.4.{pdu}": r("pdu.current_a", at),
            f"{DCS_PDU}.5.{pdu}": r("pdu.branch_current_a", ("branch", "1"), at),
            f"{DCS_PDU}.6.{pdu}": r("pdu.branch_current_a", ("branch", "2"), at),
            f"{DCS_PDU}.8.{pdu}": r("pdu.power_kw", at),
            f"{DCS_PDU}.11.{pdu}": r("pdu.frequency_hz", at),
            f"{DCS_PDU}.12.{pdu}": r("pdu.load_pct", at),
            f"{DCS_PDU}.13.{pdu}": r("pdu.energy_kwh", at),
            f"{DCS_PDU}.51.{pdu}": r("pdu.communication", at, word="normal", librenms="normal"),
        }
        for outlet in range(1, 17):
            where = f"{DCS_PDU}.{51 + outlet}.{pdu}"
            readings[where] = r("pdu.outlet_state", ("outlet", f"{outlet:02d}"), at, word="on", librenms="poweron")
    return readings


def dcs_not_available() -> dict[str, str]:
    explained = {oid: f"{what}: 9999, the unit's 'not available' (ignored)" for oid, what in DCS_NOT_AVAILABLE.items()}
    return explained | {f"{DCS_PDU}.2.{pdu}": "the PDU's product type: a model, not a state" for pdu in "12"}


DEVICES: dict[str, Device] = {
    # First batch: no LibreNMS JSON; their decoded values are checked against the raw OIDs in
    # test_snmp_recordings.py, and the profile discover picks here.
    "akcp_serverprobe8": Device("akcp-sensorprobe"),
    "apc_ap8959eu3": Device("apc-rpdu2"),
    "apc_inrow-dx": Device("apc-cooling"),
    "apc_smt750x-nmc2": Device("apc-ups"),
    "eaton-mgeups_93ps": Device("eaton-mge"),
    "iosxe_asr920": Device("if-mib"),
    "liebert_apm": Device("ups-mib"),
    "linux_powermon": Device("ucd"),
    "netvision-rfc": Device("ups-mib"),
    "vrp_ar169sfp": Device("huawei-vrp"),  # LibreNMS data not in the fixtures: test_vrp_health_as_librenms
    # Second batch, against LibreNMS.
    "hwg-ste2": Device(
        "hwg-ste2",
        {
            f"{HWG}.1.1.4.1": r("env.contact", ("sensor", "Input 1"), word="normal", librenms="normal"),
            f"{HWG}.1.1.4.2": r("env.contact", ("sensor", "Input 2"), word="normal", librenms="normal"),
            f"{HWG}.3.1.3.1": r("env.contact", ("sensor", "Flood"), word="normal", librenms="normal"),
            f"{HWG}.3.1.5.2": r("env.temperature_c", ("sensor", "Datorrum 2")),
        },
    ),
    "vertiv-ita2": Device(
        "vertiv-ita2",
        {
            f"{ITA2}.5.10.0": r("ups.charge_pct"),
            f"{ITA2}.5.11.0": r("ups.battery_discharges"),
            f"{ITA2}.2.5.0": r("ups.input_current_a"),
            f"{ITA2}.3.4.0": r("ups.output_current_a"),
            f"{ITA2}.5.3.0": r("ups.battery_charging_a"),
            f"{ITA2}.5.4.0": r("ups.battery_discharging_a"),
            f"{ITA2}.4.4.0": r("ups.bypass_frequency_hz"),
            f"{ITA2}.2.4.0": r("ups.input_frequency_hz"),
            f"{ITA2}.3.7.0": r("ups.output_frequency_hz"),
            f"{ITA2}.3.14.0": r("ups.load_pct"),
            f"{ITA2}.3.8.0": r("ups.output_power_kw"),
            f"{ITA2}.5.7.0": r("ups.runtime_min"),
            f"{ITA2}.1.1.0": r("ups.system_status", word="normal", librenms="Normal"),
            f"{ITA2}.1.2.0": r("ups.output_source", word="normal", librenms="On Main"),
            f"{ITA2}.2.1.0": r("ups.input_voltage_v"),
            f"{ITA2}.3.1.0": r("ups.output_voltage_v"),
            f"{ITA2}.5.1.0": r("ups.battery_voltage_v"),
        },
        explained={
            f"{ITA2}.5.5.0": "negative battery string: a single-string unit reads 0 (profile comment)",
            f"{ITA2}.5.6.0": "negative battery string: a single-string unit reads 0 (profile comment)",
        },
        ports=True,
    ),
    "huawei-smu": Device(
        "huawei-smu",
        smu("disabled", "disable", "other", "other", "1")
        | {
            f"{SMU}.1.1.9.0": r("dc.site_status", word="working", librenms="working"),
            f"{SMU}.7.2.1.1.5.1": r("dc.lvd_voltage_v", ("lvd", "Lvd1")),
            f"{SMU}.7.2.1.1.5.2": r("dc.lvd_voltage_v", ("lvd", "Lvd2")),
        },
    ),
    "huawei-smu_smu02b": Device(
        "huawei-smu",
        smu("enabled", "enable", "normal", "normal", "5")
        | {
            f"{SMU}.7.2.1.1.5.1": r("dc.lvd_voltage_v", ("lvd", "Lvd Unit")),
            f"{SMU}.7.2.1.1.5.2": r("dc.lvd_voltage_v", ("lvd", "Lvd Unit#2")),  # same name: the index is added
            f"{SMU}.7.2.1.1.5.3": r("dc.lvd_voltage_v", ("lvd", "Lvd Unit#3")),
        },
    ),
    "socomec": Device(
        "socomec-pdu",
        {
            f"{SOCOMEC}.1.0": r("pdu.frequency_hz"),
            f"{SOCOMEC}.2.0": r("pdu.line1_voltage_v"),
            f"{SOCOMEC}.3.0": r("pdu.line1_current_a"),
            f"{SOCOMEC}.4.0": r("pdu.line2_voltage_v"),
            f"{SOCOMEC}.5.0": r("pdu.line2_current_a"),
            f"{SOCOMEC}.6.0": r("pdu.line3_voltage_v"),
            f"{SOCOMEC}.7.0": r("pdu.line3_current_a"),
        },
        ports=True,
    ),
    "apc_smart1500": Device(
        "apc-ups",
        {
            f"{APC}.2.3.1.0": r("ups.charge_pct"),
            f"{APC}.4.3.4.0": r("ups.output_current_a"),
            f"{APC}.3.3.4.0": r("ups.input_frequency_hz"),
            f"{APC}.4.3.2.0": r("ups.output_frequency_hz"),
            f"{APC}.4.3.3.0": r("ups.load_pct"),
            f"{APC}.2.2.3.0": r("ups.runtime_min"),
            f"{APC}.2.2.4.0": r("ups.battery_replace", word="0", librenms="noBatteryNeedsReplacing"),
            f"{APC}.4.1.1.0": r("ups.apc_output_status", word="online", librenms="onLine"),
            f"{APC}.2.3.2.0": r("ups.battery_temp_c"),
            f"{APC}.2.3.4.0": r("ups.battery_voltage_v"),
            f"{APC}.3.3.1.0": r("ups.input_voltage_v"),
            f"{APC}.4.3.1.0": r("ups.output_voltage_v"),
        },
        explained={
            f"{APC}.4.2.8.0": "upsAdvOutputActivePower: not read (load_pct is what the rules use)",
            f"{APC}.2.2.21.0": "a replacement date LibreNMS files as a runtime; battery_replace is the alarm",
            f"{APC}.2.1.3.0": "the last replacement date; no alarm in it",
            f"{APC}.3.2.5.0": "the last transfer's cause: history, not a state",
            f"{APC}.7.2.3.0": "the last self-test's result: not read yet",
            ".1.3.6.1.4.1.318.1.1.1.12.3.2.1.3.1": "an outlet group's last control command, not a state",
            ".1.3.6.1.4.1.318.1.1.1.12.3.2.1.3.2": "an outlet group's last control command, not a state",
            ".1.3.6.1.4.1.318.1.1.25.1.2.1.6.1.1": "the UPS's external probes (uioSensor): not read yet",
            ".1.3.6.1.4.1.318.1.1.25.1.2.1.6.2.1": "the UPS's external probes (uioSensor): not read yet",
        },
    ),
    "apc_airfm": Device(
        "apc-airfm",
        {
            f"{AFM}.6.3.0": r("cooling.active_alarms"),
            f"{AFM}.5.5.2.1.3.1": r("cooling.humidifier_current_a", ("module", "1")),
            f"{AFM}.5.5.2.1.4.1": r("cooling.humidifier_output_pct", ("module", "1")),
            f"{AFM}.5.2.2.1.2.1": r("cooling.supply_temp_c", ("module", "1")),
            f"{AFM}.5.2.2.1.5.1": r("cooling.return_temp_c", ("module", "1")),
            f"{AFM}.5.2.2.1.4.1": r("cooling.supply_humidity_pct", ("module", "1")),
            f"{AFM}.5.2.2.1.7.1": r("cooling.return_humidity_pct", ("module", "1")),
            f"{AFM}.5.2.2.1.8.1": r("cooling.filter_dp_kpa", ("module", "1")),
            f"{AFM}.5.2.2.1.10.1": r("cooling.coil_dp_kpa", ("module", "1")),
            f"{AFM}.5.4.2.1.4.1": r("cooling.suction_pressure_kpa", ("module", "1")),
            f"{AFM}.5.4.2.1.6.1": r("cooling.discharge_pressure_kpa", ("module", "1")),
            f"{AFM}.5.4.2.1.2.1": r("cooling.compressor1", ("module", "1"), word="off", librenms="Off"),
            f"{AFM}.5.4.2.1.3.1": r("cooling.compressor2", ("module", "1"), word="on", librenms="On"),
            f"{AFM}.4.2.1.0": r("cooling.cooling_demand_pct"),
            f"{AFM}.4.2.2.0": r("cooling.dehumidify_demand_pct"),
            f"{AFM}.4.2.3.0": r("cooling.cooling_output_pct"),
            f"{AFM}.4.2.7.0": r("cooling.heating_demand_pct"),
            f"{AFM}.4.2.8.0": r("cooling.heating_output_pct"),
            f"{AFM}.4.2.11.0": r("cooling.humidify_demand_pct"),
            f"{AFM}.4.5.10.0": r("cooling.cooling_setpoint_c"),
            f"{AFM}.4.8.3.0": r("cooling.heating_setpoint_c"),
            f"{AFM}.4.6.3.0": r("cooling.humidify_setpoint_pct"),
            f"{AFM}.4.7.3.0": r("cooling.dehumidify_setpoint_pct"),
            f"{AFM}.4.5.8.0": r("cooling.cooling_function", word="enabled", librenms="Enabled"),
            f"{AFM}.4.6.1.0": r("cooling.humidify_function", word="enabled", librenms="Enabled"),
            f"{AFM}.4.7.1.0": r("cooling.dehumidify_function", word="enabled", librenms="Enabled"),
            f"{AFM}.4.8.1.0": r("cooling.heating_function", word="enabled", librenms="Enabled"),
            **{
                f"{AFM}.5.{table}.2.1.{column}.1": r(f"cooling.blower{blower}_{metric}", ("module", "1"))
                for table, blower in ((6, 1), (7, 2))
                for column, metric in (
                    (3, "requested_hz"),
                    (4, "frequency_hz"),
                    (8, "torque_pct"),
                    (9, "current_pct"),
                    (10, "voltage_v"),
                    (14, "capacitor_life_pct"),
                )
            },
        },
    ),
    "apc_ats": Device(
        "apc-ats",
        {
            f"{ATS}.5.1.14.0": r("ats.phase_sync", word="in-sync", librenms="In Sync"),
            f"{ATS}.5.1.3.0": r("ats.redundancy", word="redundant", librenms="Fully Redundant"),
            f"{ATS}.5.1.2.0": r("ats.selected_source", word="a", librenms="Source A"),
            f"{ATS}.5.1.12.0": r("ats.source_a_status", word="ok", librenms="OK"),
            f"{ATS}.5.1.13.0": r("ats.source_b_status", word="ok", librenms="OK"),
            f"{ATS}.5.1.10.0": r("ats.switch_status", word="ok", librenms="OK"),
            f"{XATS}.4.1.2.0": r("ats.source1_position", word="closed", librenms="closed"),
            f"{XATS}.4.1.4.0": r("ats.source1_quality", word="good", librenms="sourceGood"),
            f"{XATS}.4.2.2.0": r("ats.source2_position", word="open", librenms="open"),
            f"{XATS}.4.2.4.0": r("ats.source2_quality", word="low-voltage", librenms="lowVoltage"),
            f"{XATS}.3.1.4.0": r("ats.engine_start_signal", word="stop", librenms="stop"),
            f"{XATS}.3.1.2.0": r("ats.operational_mode", word="automatic", librenms="automatic"),
            f"{XATS}.3.1.1.0": r("ats.transfer_source", word="source1", librenms="source1"),
            f"{XATS}.5.2.2.0": r("ats.last_test_result", word="start-test-passed", librenms="startTestPassed"),
            f"{XATS}.5.1.2.0": r("ats.test_status", word="no-test", librenms="noTestInProcess"),
            ".1.3.6.1.4.1.318.1.1.18.1.3.1.0": r("ats.generator_battery_v"),
            **{f"{XATS}.4.1.7.1.2.{phase}": r("ats.source1_voltage_v", ("phase", phase)) for phase in "123"},
            **{f"{XATS}.4.2.7.1.2.{phase}": r("ats.source2_voltage_v", ("phase", phase)) for phase in "123"},
            **{f"{XATS}.4.3.12.1.2.{phase}": r("ats.output_voltage_v", ("phase", phase)) for phase in "123"},
        },
        explained={
            ".1.3.6.1.4.1.318.1.1.18.1.3.5.0": "LibreNMS reads it as both coolant and oil level: not read (profile)",
            ".1.3.6.1.4.1.318.1.1.18.1.2.2.0": "LibreNMS reads it as both mode switch and state: not read (profile)",
        },
        ports=True,
    ),
    "apc_uniflair-sp": Device(
        "apc-cooling",
        {
            f"{COOL}.4.1.2.1.3.1.5": r("cooling.value", ("sensor", "Commanded Evap. Fan Speed"), ("unit", "%")),
            f"{COOL}.4.1.2.1.3.1.6": r("cooling.value", ("sensor", "Commanded Cond. Fan Speed"), ("unit", "%")),
        },
        explained={
            **{
                f"{COOL}.4.1.2.1.3.1.{n}": "LibreNMS's data shows the raw tenths as degrees (214 for 21.4 C); "
                "dutyroom divides by the row's scale (test_uniflair_reads_the_units_own_words)"
                for n in (4, 8, 12, 18)
            },
            **{
                f"{COOL}.{table}.2.2.1.4.1.{n}": "LibreNMS files every word of the unit's 'No(0),Yes(1)' list "
                "at code 0; the MIB's words are checked in test_uniflair_reads_the_units_own_words"
                for table, rows in (("6", range(1, 9)), ("4", range(1, 5)))
                for n in rows
            },
        },
    ),
    "eaton-mgeups_5px": Device(
        "eaton-mge",
        {
            f"{UPS}.2.4.0": r("ups.charge_pct"),
            f"{UPS}.4.4.1.3.1": r("ups.output_current_a", ("line", "1")),
            f"{MGE}.5.1.0": r("ups.mge_remaining_s"),
            f"{UPS}.3.3.1.2.1": r("ups.input_frequency_hz", ("line", "1")),
            f"{UPS}.4.2.0": r("ups.output_frequency_hz"),
            f"{XUPS}.6.6.0": r("env.remote_humidity_pct"),
            f"{UPS}.4.4.1.5.1": r("ups.load_pct", ("line", "1")),
            f"{UPS}.4.4.1.4.1": r("ups.output_power_w", ("line", "1")),
            f"{UPS}.2.3.0": r("ups.runtime_min"),
            f"{UPS}.2.1.0": r("ups.battery_status", word="normal", librenms="Normal"),
            f"{MGE}.5.15.0": r("ups.charger_fault", word="0", librenms="OK"),
            f"{MGE}.5.9.0": r("ups.battery_fault", word="0", librenms="OK"),
            f"{MGE}.5.14.0": r("ups.low_battery", word="0", librenms="OK"),
            f"{MGE}.5.16.0": r("ups.low_condition", word="0", librenms="OK"),
            f"{MGE}.5.11.0": r("ups.battery_replace", word="0", librenms="OK"),
            f"{MGE}.6.3.0": r("ups.input_bad", word="0", librenms="OK"),
            f"{MGE}.6.4.0": r("ups.input_fail_cause", word="none", librenms="No Failure"),
            f"{MGE}.7.9.0": r("ups.inverter", word="off", librenms="Inverter Off"),  # line-interactive, on mains
            f"{MGE}.7.3.0": r("ups.mge_on_battery", word="0", librenms="On Input Power"),
            f"{MGE}.7.4.0": r("ups.mge_on_bypass", word="0", librenms="Not Active"),
            f"{MGE}.7.10.0": r("ups.overload", word="0", librenms="No"),
            f"{MGE}.7.11.0": r("ups.over_temperature", word="0", librenms="OK"),
            f"{MGE}.7.7.0": r("ups.output_utility_off", word="0", librenms="Output OK"),
            f"{UPS}.4.1.0": r("ups.output_source", word="normal", librenms="Normal"),
            f"{XUPS}.6.1.0": r("env.ambient_temperature_c"),
            f"{XUPS}.6.5.0": r("env.remote_temperature_c"),
            f"{UPS}.2.7.0": r("ups.battery_temp_c"),
            f"{UPS}.4.4.1.2.1": r("ups.output_voltage_v", ("line", "1")),
            f"{UPS}.2.5.0": r("ups.battery_voltage_v"),
            f"{UPS}.3.3.1.3.1": r("ups.input_voltage_v", ("line", "1")),
        },
        explained={
            f"{UPS}.3.3.1.4.1": "input current: not read (profile comment)",
            f"{UPS}.3.3.1.5.1": "input power: not read (profile comment)",
            f"{UPS}.2.6.0": "battery current: not read (profile comment)",
            f"{UPS}.5.1.0": "bypass frequency: not read (profile comment)",
            f"{UPS}.2.2.0": "time on battery: LibreNMS shows minutes, ups.seconds_on_battery seconds",
        },
        ports=True,
    ),
    "liebert_web485": Device(
        "liebert-power",
        {
            **{f"{LGP}.3.1.13.2.{n}": r("power.line_crest_factor", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.12.2.{n}": r("power.line_k_factor", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.6.2.{n}": r("power.line_current_a", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.7.2.{n}": r("power.line_load_pct", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.11.2.{n}": r("power.line_thd_current_pct", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.10.2.{n}": r("power.line_thd_voltage_pct", ("line", f"2.{n}")) for n in "123"},
            **{f"{LGP}.3.1.4.{p}.{n}": r("power.line_voltage_ll_v", ("line", f"{p}.{n}")) for p in "12" for n in "123"},
            **{f"{LGP}.3.1.5.2.{n}": r("power.line_voltage_ln_v", ("line", f"2.{n}")) for n in "123"},
            f"{LGP}.2.1.13.2": r("power.ground_current_a", ("point", "2")),
            f"{LGP}.2.1.12.2": r("power.neutral_current_a", ("point", "2")),
            f"{LGP}.2.1.6.2": r("power.frequency_hz", ("point", "2")),
            f"{LGP}.2.1.7.2": r("power.apparent_kva", ("point", "2"), factor=1000),
            f"{LGP}.2.1.8.2": r("power.true_kw", ("point", "2"), factor=1000),
            f"{LGP}.2.1.9.2": r("power.power_factor", ("point", "2")),
        },
        explained={f"{LGP}.2.1.10.2": "watt-hours: the unit cannot be told from the recording (profile comment)"},
    ),
    "liebert_weblbds": Device(
        "liebert-env",
        {
            **{f"{LENV}.4.32.1.5.{n}": r("cooling.component_run_hours", ("component", str(n))) for n in range(1, 7)},
            **{f"{LGP}.3.1.13.1.{n}": r("power.line_crest_factor", ("line", f"1.{n}")) for n in "123"},
            **{f"{LGP}.3.1.6.{p}.{n}": r("power.line_current_a", ("line", f"{p}.{n}")) for p in "13" for n in "123"},
            **{f"{LGP}.3.1.7.1.{n}": r("power.line_load_pct", ("line", f"1.{n}")) for n in "123"},
            **{f"{LGP}.3.1.14.{line}": r("power.line_power_factor", ("line", line)) for line in LINES_1_3},
            **{f"{LGP}.3.1.4.{line}": r("power.line_voltage_ll_v", ("line", line)) for line in LINES_1_3},
            **{f"{LGP}.3.1.5.{line}": r("power.line_voltage_ln_v", ("line", line)) for line in LINES_ALL},
            f"{LENV}.2.2.3.1.3.1": r("cooling.control_humidity_pct"),
            f"{LENV}.2.2.3.1.3.2": r("cooling.return_humidity_pct"),
            f"{LENV}.2.2.3.1.6.2": r("cooling.return_humidity_setpoint_pct"),
            f"{LENV}.1.3.3.1.3.1": r("cooling.control_temp_c"),
            f"{LENV}.1.3.3.1.3.2": r("cooling.supply_temp_c"),
            f"{LENV}.1.3.3.1.3.3": r("cooling.return_temp_c"),
            f"{LENV}.1.3.3.1.6.2": r("cooling.supply_setpoint_c"),
            f"{LENV}.1.3.3.1.6.3": r("cooling.return_setpoint_c"),
            f"{LENV}.3.9.0": r("cooling.cooling_usage_pct"),
            f"{LENV}.3.16.0": r("cooling.fan_usage_pct"),
            f"{LENV}.3.17.0": r("cooling.free_cooling_usage_pct"),
            f"{LENV}.3.18.0": r("cooling.dehumidifying_usage_pct"),
            f"{LENV}.3.19.0": r("cooling.humidifying_usage_pct"),
            f"{LENV}.3.1.0": r("cooling.system_state", word="on", librenms="on"),
            f"{LENV}.3.2.0": r("cooling.cooling_state", word="on", librenms="on"),
            f"{LENV}.3.4.0": r("cooling.humidifying_state", word="off", librenms="off"),
            f"{LENV}.3.5.0": r("cooling.dehumidifying_state", word="off", librenms="off"),
            f"{LENV}.3.7.0": r("cooling.fan_state", word="on", librenms="on"),
            f"{LENV}.3.8.0": r("cooling.general_alarm", word="0", librenms="off"),
            f"{LENV}.3.11.0": r("cooling.audible_alarm", word="0", librenms="off"),
            f"{LENV}.3.21.0": r("cooling.electric_heater_state", word="off", librenms="off"),
            f"{LENV}.3.22.0": r("cooling.hot_water_state", word="off", librenms="off"),
            f"{LENV}.3.15.0": r("cooling.operating_mode", word="auto", librenms="auto"),
            f"{LENV}.3.14.0": r("cooling.operating_reason", word="none", librenms="none"),
            # the card's UPS-MIB view, read by ups-mib (discover proposes it beside liebert-env)
            **{f"{UPS}.3.3.1.3.{n}": r("ups.input_voltage_v", ("line", n), profile="ups-mib") for n in "123"},
            **{f"{UPS}.4.4.1.2.{n}": r("ups.output_voltage_v", ("line", n), profile="ups-mib") for n in "123"},
            **{f"{UPS}.4.4.1.3.{n}": r("ups.output_current_a", ("line", n), profile="ups-mib") for n in "123"},
            f"{UPS}.4.2.0": r("ups.output_frequency_hz", profile="ups-mib"),
            f"{UPS}.2.3.0": r("ups.runtime_min", profile="ups-mib"),
            f"{UPS}.2.1.0": r("ups.battery_status", word="normal", librenms="Normal", profile="ups-mib"),
            f"{UPS}.4.1.0": r("ups.output_source", word="normal", librenms="Normal", profile="ups-mib"),
        },
        explained={
            **dict.fromkeys((f"{UPS}.3.3.1.4.{n}" for n in "123"), "input current: not read (ups-mib, as eaton-mge)"),
            **dict.fromkeys((f"{UPS}.5.3.1.2.{n}" for n in "123"), "bypass voltage: not read (ups-mib)"),
            f"{UPS}.5.1.0": "bypass frequency: not read (ups-mib, as eaton-mge)",
        },
        also=("ups-mib",),
    ),
    "raritan-pdu_px2-temp": Device("raritan-pdu2"),  # no LibreNMS data: test_raritan_reads_the_raw_oids
    "rittal-cmc-iii-pu": Device(
        "rittal-cmc3",
        {
            f"{CMC}.2.10": r("env.current_a", ("sensor", "PSM_P1_1.Unit.Value")),
            f"{CMC}.2.60": r("env.current_a", ("sensor", "PSM_P1_2.Unit.Value")),
            f"{CMC}.1.40": r("env.current_a", ("sensor", "System.CAN1 Current.Value")),
            f"{CMC}.1.47": r("env.current_a", ("sensor", "System.CAN2 Current.Value")),
            f"{CMC}.1.12": r("env.door", ("sensor", "Access.Value"), word="closed", librenms="Closed"),
            f"{CMC}.5.2": r("env.door", ("sensor", "Access.Value#5.2"), word="closed", librenms="Closed"),
            ".1.3.6.1.4.1.2606.7.2.1.0": r("env.unit_status", word="ok", librenms="OK"),
            f"{CMC}.3.2": r("env.fire_alarm", ("sensor", "Smoke.Value"), word="0", librenms="OK"),
            f"{CMC}.6.2": r("env.fire_alarm", ("sensor", "Smoke.Value#6.2"), word="0", librenms="OK"),
            f"{CMC}.1.54": r("env.controller_temperature_c", ("sensor", "System.Temperature.Value")),
            f"{CMC}.1.2": r("env.temperature_c", ("sensor", "Temperature.Value")),
            f"{CMC}.4.2": r("env.temperature_c", ("sensor", "Temperature.Value#4.2")),
            f"{CMC}.1.64": r("env.voltage_v", ("sensor", "System.Supply 24V.Value")),
            f"{CMC}.1.82": r("env.voltage_v", ("sensor", "System.Supply 3V3.Value")),
            f"{CMC}.1.73": r("env.voltage_v", ("sensor", "System.Supply 5V0.Value")),
        },
        explained={
            f"{CMC}.1.18": "an input's alarm level is set on the unit: its Status row is read (profile comment)",
            f"{CMC}.1.24": "an input's alarm level is set on the unit: its Status row is read (profile comment)",
        },
        ports=True,
    ),
    # LibreNMS found no sensors on it (nor does the walk hold any health MIB): the health part of the
    # profile is checked on a hand-made walk in tests/unit/test_switch_health_profiles.py.
    "ruijie": Device("ruijie", ports=True),
    "vertiv-dcs": Device("vertiv-dcs", dcs_readings(), explained=dcs_not_available()),
}


def test_every_recording_is_listed() -> None:
    recordings = {path.stem for path in SNMPREC_DIR.glob("*.snmprec")}
    assert recordings == set(DEVICES)
    assert {path.stem for path in ORACLE_DIR.glob("*.json")} <= recordings


def raw_values(recording: str) -> dict[str, str]:
    """The recording's raw values by OID as LibreNMS writes it (a leading dot)."""
    return {f".{oid}": value for oid, value in raw_text(recording, SNMPREC_DIR).items()}


def oracle(recording: str) -> tuple[list[dict[str, Any]], dict[tuple[str, int], str]]:
    document = json.loads((ORACLE_DIR / f"{recording}.json").read_text())
    found = document.get("sensors", {}).get("discovery", {})  # none found: no "sensors" at all (Ruijie)
    states = found.get("state_indexes", [])
    # state names compared case-blind: the 5PX data names upsmgOutputOnBypass's states upsmgOutputOnByPass
    words = {(state["state_name"].lower(), state["state_value"]): state["state_descr"] for state in states}
    return found.get("sensors", []), words


def covered(recording: str) -> Device:
    device = DEVICES[recording]
    if device.todo:
        pytest.xfail(device.todo)
    return device


@pytest.mark.parametrize("recording", sorted(DEVICES))
async def test_discover_picks_the_profile(snmpsim_agent: SnmpsimAgent, recording: str) -> None:
    device = covered(recording)
    result = await discover_walk(snmpsim_agent, recording)
    assert result.profiles[:1] == (device.profile,)
    assert set(device.also) <= set(result.profiles), result.profiles


ORACLES = sorted(path.stem for path in ORACLE_DIR.glob("*.json"))


@pytest.mark.parametrize("recording", ORACLES)
async def test_values_agree_with_raw_oids_and_librenms(snmpsim_agent: SnmpsimAgent, recording: str) -> None:
    device = covered(recording)
    sensors, words = oracle(recording)
    raw = raw_values(recording)
    ours: dict[tuple[str, str, Labels], object] = {}
    for profile in (device.profile, *device.also):
        result = await poll_once(snmpsim_agent, recording, profile)
        assert result.ok, result.reason
        ours |= {(profile, sample.metric, sample.labels): sample.value for sample in result.samples}
    unaccounted = {sensor["sensor_oid"] for sensor in sensors} - set(device.readings) - set(device.explained)
    assert not unaccounted, f"LibreNMS sensors neither mapped nor explained: {sorted(unaccounted)}"
    for sensor in sensors:
        reading = device.readings.get(sensor["sensor_oid"])
        if reading is None:
            continue
        where = f"{sensor['sensor_oid']} ({sensor['sensor_descr']})"
        implied = float(raw[sensor["sensor_oid"]]) * sensor["sensor_multiplier"] / sensor["sensor_divisor"]
        assert sensor["sensor_current"] == pytest.approx(implied), f"LibreNMS vs the recording: {where}"
        key = (reading.profile or device.profile, reading.metric, reading.labels)
        assert key in ours, f"{where}: no {reading.metric} {reading.labels} in {sorted(ours)}"
        if sensor["sensor_class"] == "state":
            assert words[(sensor["state_name"].lower(), sensor["sensor_current"])] == reading.librenms_word, where
            expected: object = float(reading.word) if reading.word.isdigit() else reading.word
            assert ours[key] == expected, where
        else:
            value = ours[key]
            assert isinstance(value, float), where
            assert value * reading.factor == pytest.approx(sensor["sensor_current"]), where


@pytest.mark.parametrize("recording", [name for name in ORACLES if DEVICES[name].ports])
async def test_port_names_agree_with_librenms(snmpsim_agent: SnmpsimAgent, recording: str) -> None:
    document = json.loads((ORACLE_DIR / f"{recording}.json").read_text())
    ports = document["ports"]["discovery"]["ports"]
    result = await poll_once(snmpsim_agent, recording, "if-mib")
    assert result.ok, result.reason
    names = [dict(sample.labels)["ifname"] for sample in result.samples if sample.metric == "if.oper_status"]
    # LibreNMS shows ifDescr's NUL padding as dots ("lo.............." on the Socomec); the bytes are NULs.
    # A name two ports share (the Rittal's two sit0) carries its ifIndex the second time: sit0, sit0#6.
    assert sorted(re.sub(r"#\d+$", "", name) for name in names) == sorted(port["ifName"].rstrip(".") for port in ports)


async def test_rittal_status_words_are_the_units_own(snmpsim_agent: SnmpsimAgent) -> None:
    """Each status row's word against the unit's own status text (cmcIIIVarValueStr) in the recording."""
    raw = raw_values("rittal-cmc-iii-pu")
    result = await poll_once(snmpsim_agent, "rittal-cmc-iii-pu", "rittal-cmc3")
    assert result.ok, result.reason
    statuses = {dict(s.labels)["sensor"]: s.value for s in result.samples if s.metric == "env.status"}
    own_words = {"OK": "ok", "n.a.": "n/a", "On": "on", "Closed": "closed", "Off": "off", "Open": "open"}
    checked = 0
    for oid, name in raw.items():
        if oid.startswith(".1.3.6.1.4.1.2606.7.4.2.2.1.3.") and name.endswith(".Status"):
            index = oid.removeprefix(".1.3.6.1.4.1.2606.7.4.2.2.1.3.")
            text = raw[f".1.3.6.1.4.1.2606.7.4.2.2.1.10.{index}"]
            word = statuses.get(f"{name}#{index}", statuses.get(name))  # a repeated name carries its index
            assert word == own_words[text], f"{name} ({index}): {word} vs the unit's {text!r}"
            checked += 1
    assert checked >= 30


async def test_uniflair_reads_the_units_own_words(snmpsim_agent: SnmpsimAgent) -> None:
    """Each discrete input and state against the word the unit itself shows beside the code, and the tenths."""
    raw = raw_values("apc_uniflair-sp")
    result = await poll_once(snmpsim_agent, "apc_uniflair-sp", "apc-cooling")
    assert result.ok, result.reason
    ours = {(s.metric, dict(s.labels).get("sensor", "")): s.value for s in result.samples}
    discrete = f"{COOL}.6.2.2.1"
    inputs = [oid.removeprefix(f"{discrete}.2.") for oid in raw if oid.startswith(f"{discrete}.2.")]
    assert len(inputs) == 8
    for index in inputs:
        name = raw[f"{discrete}.2.{index}"]
        assert ours[("cooling.input", name)] == raw[f"{discrete}.3.{index}"].lower(), name
    assert ours[("cooling.airflow_lost", "")] == 0.0  # Airflow Good: Yes
    assert ours[("cooling.smoke", "")] == 0.0
    states = f"{COOL}.4.2.2.1"
    own = {raw[f"{states}.2.1.{n}"]: raw[f"{states}.3.1.{n}"] for n in range(1, 5)}
    assert ours[("cooling.unit_state", "")] == own["Unit State"].lower().replace(" ", "-")
    assert ours[("cooling.group_role", "")] == own["Group State"].lower()
    assert ours[("cooling.compressor", "")] == own["Compressor"].lower()
    assert ours[("cooling.system_state", "")] == own["Unit"].lower()
    assert ours[("cooling.supply_temp_c", "")] == pytest.approx(24.8)  # 248 tenths


async def test_dcs_not_available_is_no_value(snmpsim_agent: SnmpsimAgent) -> None:
    """9999 on the DCS (phases B/C of a single-phase UPS, an unwired branch, an absent probe) is no sample:
    LibreNMS shows 999.9 A and 99.99 C, which a threshold would read as real."""
    raw = raw_values("vertiv-dcs")
    assert {raw[oid] for oid in DCS_NOT_AVAILABLE} == {"9999"}
    result = await poll_once(snmpsim_agent, "vertiv-dcs", "vertiv-dcs")
    assert result.ok, result.reason
    phases = {dict(s.labels).get("phase") for s in result.samples if s.metric == "ups.input_voltage_v"}
    assert phases == {"A"}
    assert not [s for s in result.samples if isinstance(s.value, float) and s.value in (999.9, 99.99, 9999.0)]


async def test_raritan_reads_the_raw_oids(snmpsim_agent: SnmpsimAgent) -> None:
    """PDU2-MIB values over 10 ** their decimal digits, each read beside its digits in the recording."""
    raw = raw_values("raritan-pdu_px2-temp")
    base = ".1.3.6.1.4.1.13742.6"

    def inlet(sensor_type: int) -> float:
        return int(raw[f"{base}.5.2.3.1.4.1.1.{sensor_type}"]) / 10 ** int(raw[f"{base}.3.3.4.1.7.1.1.{sensor_type}"])

    def external(row: int) -> float:
        return int(raw[f"{base}.5.5.3.1.4.1.{row}"]) / 10 ** int(raw[f"{base}.3.6.3.1.17.1.{row}"])

    result = await poll_once(snmpsim_agent, "raritan-pdu_px2-temp", "raritan-pdu2")
    assert result.ok, result.reason
    ours = {(s.metric, dict(s.labels).get("sensor", "")): s.value for s in result.samples}
    assert ours[("pdu.current_a", "")] == pytest.approx(inlet(1)) == pytest.approx(3.497)
    assert ours[("pdu.voltage_v", "")] == inlet(4) == 209
    assert ours[("pdu.power_kw", "")] == pytest.approx(inlet(5) / 1000) == pytest.approx(0.673)
    assert ours[("pdu.frequency_hz", "")] == pytest.approx(inlet(23)) == pytest.approx(60.0)
    assert ours[("env.temperature_c", "Temperature 1")] == pytest.approx(external(1)) == pytest.approx(22.9)
    assert ours[("env.temperature_c", "Temperature 3")] == pytest.approx(external(4))
    assert ours[("env.humidity_pct", "Relative Humidity 1")] == external(2) == 15
    assert ours[("env.absolute_humidity_gm3", "Absolute Humidity 1")] == pytest.approx(external(7))
    assert ours[("env.sensor_state", "Relative Humidity 1")] == "below-lower-warning"
    assert ours[("env.sensor_state", "On/Off 1")] == "unavailable"  # listed, not connected: no value
    assert ("env.temperature_c", "On/Off 1") not in ours
    assert sum(1 for metric, _ in ours if metric == "env.temperature_c") == 3


async def test_vrp_health_as_librenms(snmpsim_agent: SnmpsimAgent) -> None:
    """The AR169F's board and SFP readings as LibreNMS's test data for this walk has them
    (librenms/librenms tests/data/vrp_ar169sfp.json: processors, mempools, sensors)."""
    result = await poll_once(snmpsim_agent, "vrp_ar169sfp", "huawei-vrp")
    assert result.ok, result.reason
    ours = {(s.metric, s.labels): s.value for s in result.samples}
    board = (("entity", "SRU Board 0"),)
    sfp = (("port", "GigabitEthernet0/0/4"),)
    assert ours[("switch.cpu_pct", board)] == 24
    assert ours[("switch.memory_pct", board)] == 58
    assert ours[("sensor.temperature_c", board)] == 44
    assert ours[("optic.temperature_c", sfp)] == 51
    assert ours[("optic.voltage_v", sfp)] == pytest.approx(3.208)
    assert ours[("optic.bias_ma", sfp)] == pytest.approx(2.195)
    assert ours[("optic.rx_dbm", sfp)] == pytest.approx(-8.49)
    assert ours[("optic.tx_dbm", sfp)] == pytest.approx(-5.75)
    assert ours[("optic.no_light", sfp)] == 0.0
    # one board and one module: the chassis, slot and empty ports give nothing LibreNMS does not
    assert [labels for metric, labels in ours if metric == "switch.cpu_pct"] == [board]
    assert [labels for metric, labels in ours if metric == "optic.rx_dbm"] == [sfp]
    assert ("if.oper_status", (("ifname", "GigabitEthernet0/0/4"),)) in ours
