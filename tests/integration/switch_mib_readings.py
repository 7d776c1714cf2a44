"""What each switch walk written from its MIB (tests/fixtures/snmprec-mib/) must decode to, worked out from the
raw OIDs by each MIB's own rules, independently of the profiles' expressions. Read by test_profiles_switch_mib.py
and, for the alarm walks built on the same MIBs, test_profiles_optics_alarms_mib.py."""

from __future__ import annotations

import math
import re

from device_walks import Key, column

UNDERFLOW, OVERFLOW = -1000000000, 1000000000
"""ENTITY-SENSOR-MIB's EntitySensorValue out of range: no reading."""
Expected = dict[Key, float | str]
SIX_DECIMALS = 1e-6
"""A sample keeps 6 decimals: the tolerance of a value near zero (dBm, margins), where a relative one says nothing."""


def without_ports(samples: dict[Key, float | str]) -> Expected:
    """A poll's samples but the IF-MIB ports (test_snmp_* cover them)."""
    return {key: value for key, value in samples.items() if not key[0].startswith("if.")}


def arista_expected(values: dict[str, str]) -> Expected:
    """RFC 3433: value x 10^(3 x (scale - 9) - precision) in the unit of its type; DOM power in W -> dBm."""
    sensor = "1.3.6.1.2.1.99.1.1.1"
    kinds, scales, precisions, readings, statuses = (column(values, f"{sensor}.{n}") for n in range(1, 6))
    descrs, classes = column(values, "1.3.6.1.2.1.47.1.1.1.1.2"), column(values, "1.3.6.1.2.1.47.1.1.1.1.5")
    names, opers = column(values, "1.3.6.1.2.1.47.1.1.1.1.7"), column(values, "1.3.6.1.2.1.131.1.1.1.3")
    low_critical = column(values, "1.3.6.1.4.1.30065.3.12.1.1.1.2")
    high_warning = column(values, "1.3.6.1.4.1.30065.3.12.1.1.1.3")
    expected: Expected = {}
    for index, kind_text in kinds.items():
        kind, value, status = int(kind_text), int(readings[index]), int(statuses[index])
        descr = descrs[index]
        labels = (("sensor", names.get(index) or descr),)
        expected[("sensor.status", labels)] = {1: "ok", 2: "unavailable", 3: "nonoperational"}[status]
        if descr.startswith("DOM RX Power"):
            expected[("optic.no_light", labels)] = 1.0 if value == UNDERFLOW else 0.0
        if status != 1 or value in (UNDERFLOW, OVERFLOW):
            continue
        factor = 10 ** (3 * (int(scales[index]) - 9) - int(precisions[index]))
        reading = value * factor
        if descr.startswith("DOM "):
            part = descr.split(" Sensor")[0].removeprefix("DOM ")
            metric, shown = {
                "RX Power": ("optic.rx_dbm", 10 * math.log10(reading * 1000)),
                "TX Power": ("optic.tx_dbm", 10 * math.log10(reading * 1000)),
                "TX Bias": ("optic.bias_ma", reading * 1000),
                "Temperature": ("optic.temperature_c", reading),
                "Voltage": ("optic.voltage_v", reading),
            }[part]
            expected[(metric, labels)] = shown
            if part == "RX Power" and int(low_critical[index]) not in (UNDERFLOW, OVERFLOW):
                expected[("optic.rx_margin_db", labels)] = 10 * math.log10(value / int(low_critical[index]))
            continue
        metric = {8: "sensor.temperature_c", 3: "sensor.voltage_v", 4: "sensor.voltage_v", 5: "sensor.current_a",
                  6: "sensor.power_w", 10: "sensor.fan_rpm"}[kind]  # fmt: skip
        expected[(metric, labels)] = reading
        if kind == 8 and int(high_warning[index]) not in (UNDERFLOW, OVERFLOW):
            expected[("sensor.temperature_headroom_c", labels)] = (int(high_warning[index]) - value) * factor
    words = {1: "unknown", 2: "disabled", 3: "enabled", 4: "testing"}  # ENTITY-STATE-TC-MIB EntityOperState
    for index, oper in opers.items():
        part = {"6": "psu", "7": "fan"}[classes[index]]
        labels = ((part, names[index]),)
        expected[(f"switch.{part}_status", labels)] = words[int(oper)]
        expected[(f"switch.{part}_fault", labels)] = 1.0 if oper == "2" else 0.0
    return expected


def h3c_expected(values: dict[str, str]) -> Expected:
    """HH3C-LswDEVM fan/PSU states; HH3C-ENTITY-EXT usage in %, temperature in C (0/65535: no sensor);
    HH3C-TRANSCEIVER-INFO levels in hundredths (dBm, V, mA)."""
    expected: Expected = {}
    words = {1: "active", 2: "inactive", 3: "absent", 4: "unsupported"}  # active, deactive, not-install, unsupport
    for part, table in (("fan", "1.1"), ("psu", "2.1")):
        for index, state in column(values, f"1.3.6.1.4.1.25506.8.35.9.1.{table}.2").items():
            expected[(f"switch.{part}_status", ((part, index),))] = words[int(state)]
            expected[(f"switch.{part}_fault", ((part, index),))] = 1.0 if state == "2" else 0.0
    ext = "1.3.6.1.4.1.25506.2.6.1.1.1.1"
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    cpu, cpu_limit, memory, memory_limit, temperature, temperature_limit = (
        column(values, f"{ext}.{n}") for n in (6, 7, 8, 9, 12, 13)
    )
    for index, name in names.items():
        labels = (("entity", name),)
        if int(cpu_limit[index]):
            expected[("switch.cpu_pct", labels)] = float(cpu[index])
        if int(memory_limit[index]):
            expected[("switch.memory_pct", labels)] = float(memory[index])
        if temperature[index] not in ("0", "65535"):
            expected[("sensor.temperature_c", labels)] = float(temperature[index])
            if temperature_limit[index] not in ("0", "65535"):
                headroom = int(temperature_limit[index]) - int(temperature[index])
                expected[("sensor.temperature_headroom_c", labels)] = float(headroom)
    transceiver = "1.3.6.1.4.1.25506.2.70.1.1.1"  # HH3C-TRANSCEIVER-INFO-MIB; 2147483647 = not available
    ports = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, diagnostic in column(values, f"{transceiver}.8").items():
        if diagnostic != "1":  # truthValue false: no diagnostics
            continue
        for metric, number, divisor in (("optic.tx_dbm", 9, 100), ("optic.rx_dbm", 12, 100),
                                        ("optic.temperature_c", 15, 1), ("optic.voltage_v", 16, 100),
                                        ("optic.bias_ma", 17, 100)):  # fmt: skip
            if (raw_value := int(values[f"{transceiver}.{number}.{index}"])) != 2147483647:
                expected[(metric, (("port", ports[index]),))] = raw_value / divisor
    return expected


def junos_expected(values: dict[str, str]) -> Expected:
    """jnxOperatingTable (words, C, %) and JUNIPER-DOM-MIB (0.01 dBm, 0.001 mA; -40.00 dBm = no light, 0 = per lane)."""
    expected: Expected = {}
    operating = "1.3.6.1.4.1.2636.3.1.13.1"
    states = {1: "unknown", 2: "running", 3: "ready", 4: "reset", 5: "full-speed", 6: "down", 7: "standby"}
    descrs = column(values, f"{operating}.5")
    for index, state in column(values, f"{operating}.6").items():
        labels = (("component", descrs[index]),)
        expected[("switch.component_state", labels)] = states[int(state)]
        expected[("switch.component_down", labels)] = 1.0 if state == "6" else 0.0
        if (temperature := int(values[f"{operating}.7.{index}"])) != 0:
            expected[("sensor.temperature_c", labels)] = float(temperature)
        if re.search("(?i)routing engine|fpc", descrs[index]):
            expected[("switch.cpu_pct", labels)] = float(values[f"{operating}.8.{index}"])
            expected[("switch.memory_pct", labels)] = float(values[f"{operating}.11.{index}"])
    dom = "1.3.6.1.4.1.2636.3.60.1.1.1.1"
    names = column(values, "1.3.6.1.2.1.31.1.1.1.1")
    for index, rx_text in column(values, f"{dom}.5").items():
        labels = (("port", names[index]),)
        rx, tx = int(rx_text), int(values[f"{dom}.7.{index}"])
        if rx != 0:  # 0: the module reports per lane (QSFP), not here
            expected[("optic.no_light", labels)] = 1.0 if rx == -4000 else 0.0
        if rx not in (-4000, 0):
            expected[("optic.rx_dbm", labels)] = rx / 100
            expected[("optic.rx_margin_db", labels)] = (rx - int(values[f"{dom}.10.{index}"])) / 100
        if tx not in (-4000, 0):
            expected[("optic.tx_dbm", labels)] = tx / 100
        expected[("optic.bias_ma", labels)] = int(values[f"{dom}.6.{index}"]) / 1000
        expected[("optic.temperature_c", labels)] = float(values[f"{dom}.8.{index}"])
    return expected


def cisco_expected(values: dict[str, str]) -> Expected:
    """CISCO-ENVMON states as words, CISCO-PROCESS CPU, CISCO-ENTITY-SENSOR optic Rx/Tx in dBm (ok sensors only)."""
    expected: Expected = {}
    words = {1: "normal", 2: "warning", 3: "critical", 4: "shutdown", 5: "absent", 6: "not-functioning"}
    envmon = "1.3.6.1.4.1.9.9.13.1"
    for index, descr in column(values, f"{envmon}.3.1.2").items():
        labels, state = (("sensor", descr),), int(values[f"{envmon}.3.1.6.{index}"])
        expected[("switch.temperature_state", labels)] = words[state]
        if state in (1, 2, 3, 4):
            expected[("sensor.temperature_c", labels)] = float(values[f"{envmon}.3.1.3.{index}"])
    for index, descr in column(values, f"{envmon}.4.1.2").items():
        state = int(values[f"{envmon}.4.1.3.{index}"])
        expected[("switch.fan_status", (("fan", descr),))] = words[state]
        expected[("switch.fan_fault", (("fan", descr),))] = 1.0 if state in (3, 4, 6) else 0.0
    for index, load in column(values, "1.3.6.1.4.1.9.9.109.1.1.1.1.8").items():
        expected[("switch.cpu_pct", (("cpu", index),))] = float(load)
    sensor = "1.3.6.1.4.1.9.9.91.1.1.1.1"
    for index, name in column(values, "1.3.6.1.2.1.47.1.1.1.1.7").items():
        kind, scale, precision, value, status = (int(values[f"{sensor}.{n}.{index}"]) for n in range(1, 6))
        if status != 1 or kind not in (1, 14) or value in (UNDERFLOW, OVERFLOW):
            continue
        for metric, pattern in (
            ("optic.rx_dbm", "(?i)(receive|rx) power"),
            ("optic.tx_dbm", "(?i)(transmit|tx) power"),
        ):
            if re.search(pattern, name):
                expected[(metric, (("sensor", name),))] = value * 10 ** (3 * (scale - 9) - precision)
    return expected


def vrp_expected(values: dict[str, str]) -> Expected:
    """HUAWEI-ENTITY-EXTENT-MIB: boards (enabled, with a threshold) in % and C; transceivers with a module
    (mode 2-4): Rx/Tx in 0.01 dBm when 0 or below (-4000 = no light, 0 = ambiguous), in uW when above."""
    expected: Expected = {}
    names = column(values, "1.3.6.1.2.1.47.1.1.1.1.7")
    board = "1.3.6.1.4.1.2011.5.25.31.1.1.1.1"
    for index, oper in column(values, f"{board}.2").items():
        labels = (("entity", names[index]),)
        for metric, number, limit in (("switch.cpu_pct", 5, 6), ("switch.memory_pct", 7, 8)):
            if oper == "3" and int(values[f"{board}.{limit}.{index}"]) > 0:
                expected[(metric, labels)] = float(values[f"{board}.{number}.{index}"])
        if (temperature := int(values[f"{board}.11.{index}"])) != 0:
            expected[("sensor.temperature_c", labels)] = float(temperature)
    optic = "1.3.6.1.4.1.2011.5.25.31.1.1.3.1"
    for index, mode in column(values, f"{optic}.1").items():
        if mode not in ("2", "3", "4"):
            continue
        labels = (("port", names[index]),)
        rx = int(values[f"{optic}.8.{index}"])
        expected[("optic.no_light", labels)] = 1.0 if rx == -4000 else 0.0
        for metric, number in (("optic.rx_dbm", 8), ("optic.tx_dbm", 9)):
            power = int(values[f"{optic}.{number}.{index}"])
            if power > 0:
                expected[(metric, labels)] = 10 * math.log10(power / 1000)
            elif power not in (0, -4000):
                expected[(metric, labels)] = power / 100
        expected[("optic.temperature_c", labels)] = float(values[f"{optic}.5.{index}"])
        expected[("optic.voltage_v", labels)] = int(values[f"{optic}.6.{index}"]) / 1000
        expected[("optic.bias_ma", labels)] = int(values[f"{optic}.7.{index}"]) / 1000
    return expected
