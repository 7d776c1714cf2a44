"""What each PDU recording written from its MIB (tests/fixtures/snmprec-mib/) must decode to: every sample
with the raw OID it comes from, the recorded raw value and dutyroom's value (None: a sentinel, no sample).
Read by test_profiles_pdu_mib.py; kept apart so the test module stays about the tests."""

from __future__ import annotations

from dataclasses import dataclass

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class From:
    """A sample and the raw OID it decodes: `raw` is the recorded value, `value` what dutyroom reports."""

    metric: str
    labels: Labels
    oid: str
    raw: int
    value: float | str | None
    """None: a sentinel, no sample."""


S3 = "1.3.6.1.4.1.1718.3"


def s3(metric: str, label: str, name: str, column: str, index: str, raw: int, value: float | str | None) -> From:
    """A Sentry3 sample from systemTables.TABLE.1.COLUMN.INDEX (`column` = "TABLE.COLUMN")."""
    table, number = column.split(".")
    labels = ((label, name),) if label else ()
    return From(metric, labels, f"{S3}.2.{table}.1.{number}.{index}", raw, value)


SENTRY3 = [
    From("pdu.device_power_kw", (), f"{S3}.1.6.0", 2130, 2.13),  # systemTotalPower, W
    # towerTable: tower 2 has no name (labelled by its index); -1 = not available
    s3("pdu.tower_status", "tower", "TowerA", "1.4", "1", 0, "normal"),
    s3("pdu.tower_status", "tower", "2", "1.4", "2", 2, "fan-fail"),
    s3("pdu.tower_load_pct", "tower", "TowerA", "1.10", "1", 284, 28.4),  # tenth percent
    s3("pdu.tower_load_pct", "tower", "2", "1.10", "2", -1, None),
    s3("pdu.tower_power_kw", "tower", "TowerA", "1.11", "1", 1250, 1.25),
    s3("pdu.tower_power_kw", "tower", "2", "1.11", "2", 880, 0.88),
    s3("pdu.energy_kwh", "tower", "TowerA", "1.14", "1", 5321, 5321),  # kWh
    s3("pdu.energy_kwh", "tower", "2", "1.14", "2", -1, None),
    s3("pdu.frequency_hz", "tower", "TowerA", "1.15", "1", 50, 50),
    s3("pdu.frequency_hz", "tower", "2", "1.15", "2", 50, 50),
    # infeedTable
    s3("pdu.infeed_status", "infeed", "Feed A", "2.5", "1.1", 1, "on"),
    s3("pdu.infeed_status", "infeed", "Feed B", "2.5", "2.1", 5, "on-error"),
    s3("pdu.load_state", "infeed", "Feed A", "2.6", "1.1", 0, "normal"),
    s3("pdu.load_state", "infeed", "Feed B", "2.6", "2.1", 4, "load-high"),
    s3("pdu.current_a", "infeed", "Feed A", "2.7", "1.1", 362, 3.62),  # hundredth Amps
    s3("pdu.current_a", "infeed", "Feed B", "2.7", "2.1", 1815, 18.15),
    s3("pdu.voltage_v", "infeed", "Feed A", "2.11", "1.1", 2301, 230.1),  # tenth Volts
    s3("pdu.voltage_v", "infeed", "Feed B", "2.11", "2.1", 2296, 229.6),
    s3("pdu.power_kw", "infeed", "Feed A", "2.12", "1.1", 780, 0.78),
    s3("pdu.power_kw", "infeed", "Feed B", "2.12", "2.1", -1, None),
    s3("pdu.apparent_power_kva", "infeed", "Feed A", "2.13", "1.1", 830, 0.83),
    s3("pdu.apparent_power_kva", "infeed", "Feed B", "2.13", "2.1", -1, None),
    s3("pdu.power_factor", "infeed", "Feed A", "2.14", "1.1", 94, 0.94),  # hundredths
    s3("pdu.power_factor", "infeed", "Feed B", "2.14", "2.1", -1, None),
    s3("pdu.infeed_energy_kwh", "infeed", "Feed A", "2.16", "1.1", 123456, 12345.6),  # tenth kWh
    s3("pdu.infeed_energy_kwh", "infeed", "Feed B", "2.16", "2.1", -1, None),
    s3("pdu.load_pct", "infeed", "Feed A", "2.20", "1.1", 121, 12.1),
    s3("pdu.load_pct", "infeed", "Feed B", "2.20", "2.1", 605, 60.5),
    # outletTable: AA2 has no name (labelled by its ID)
    s3("pdu.outlet_state", "outlet", "db-primary", "3.5", "1.1.1", 1, "on"),
    s3("pdu.outlet_state", "outlet", "AA2", "3.5", "1.1.2", 0, "off"),
    s3("pdu.outlet_state", "outlet", "md-feed-1", "3.5", "2.1.1", 9, "on-fuse"),
    s3("pdu.outlet_load_state", "outlet", "db-primary", "3.6", "1.1.1", 0, "normal"),
    s3("pdu.outlet_load_state", "outlet", "AA2", "3.6", "1.1.2", 1, "not-on"),
    s3("pdu.outlet_load_state", "outlet", "md-feed-1", "3.6", "2.1.1", 6, "read-error"),
    s3("pdu.outlet_current_a", "outlet", "db-primary", "3.7", "1.1.1", 112, 1.12),
    s3("pdu.outlet_current_a", "outlet", "AA2", "3.7", "1.1.2", 0, 0.0),
    s3("pdu.outlet_current_a", "outlet", "md-feed-1", "3.7", "2.1.1", -1, None),
    s3("pdu.outlet_power_kw", "outlet", "db-primary", "3.14", "1.1.1", 245, 0.245),
    s3("pdu.outlet_power_kw", "outlet", "AA2", "3.14", "1.1.2", 0, 0.0),
    s3("pdu.outlet_power_kw", "outlet", "md-feed-1", "3.14", "2.1.1", -1, None),
    # envMonTable water sensors
    s3("env.water_sensor", "sensor", "Floor leak", "4.6", "1", 0, "normal"),
    s3("env.water_sensor", "sensor", "2", "4.6", "2", 1, "alarm"),
    s3("env.water_leak", "sensor", "Floor leak", "4.6", "1", 0, 0.0),
    s3("env.water_leak", "sensor", "2", "4.6", "2", 1, 1.0),
    # tempHumidSensorTable (Celsius: tempHumidSensorTempScale 0)
    s3("env.sensor_status", "sensor", "Cold aisle 1", "5.4", "1.1", 0, "found"),
    s3("env.sensor_status", "sensor", "Hot aisle 1", "5.4", "1.2", 0, "found"),
    s3("env.sensor_status", "sensor", "Temp_Humid_Sensor_B1", "5.4", "2.1", 1, "not-found"),
    s3("env.temperature_status", "sensor", "Cold aisle 1", "5.5", "1.1", 0, "normal"),
    s3("env.temperature_status", "sensor", "Hot aisle 1", "5.5", "1.2", 4, "temp-high"),
    s3("env.temperature_status", "sensor", "Temp_Humid_Sensor_B1", "5.5", "2.1", 1, "not-found"),
    s3("env.temperature_c", "sensor", "Cold aisle 1", "5.6", "1.1", 231, 23.1),  # tenth degrees
    s3("env.temperature_c", "sensor", "Hot aisle 1", "5.6", "1.2", 412, 41.2),
    s3("env.temperature_c", "sensor", "Temp_Humid_Sensor_B1", "5.6", "2.1", -1, None),
    s3("env.humidity_status", "sensor", "Cold aisle 1", "5.9", "1.1", 0, "normal"),
    s3("env.humidity_status", "sensor", "Hot aisle 1", "5.9", "1.2", 4, "humid-high"),
    s3("env.humidity_status", "sensor", "Temp_Humid_Sensor_B1", "5.9", "2.1", 1, "not-found"),
    s3("env.humidity_pct", "sensor", "Cold aisle 1", "5.10", "1.1", 45, 45),
    s3("env.humidity_pct", "sensor", "Hot aisle 1", "5.10", "1.2", 81, 81),
    s3("env.humidity_pct", "sensor", "Temp_Humid_Sensor_B1", "5.10", "2.1", -1, None),
    # contactClosureTable: C2 has no name
    s3("env.contact", "sensor", "Rack door", "6.4", "1.1", 1, "alarm"),
    s3("env.contact", "sensor", "C2", "6.4", "1.2", 0, "normal"),
    s3("env.contact_alarm", "sensor", "Rack door", "6.4", "1.1", 1, 1.0),
    s3("env.contact_alarm", "sensor", "C2", "6.4", "1.2", 0, 0.0),
    # branchTable: BA1 has no name
    s3("pdu.branch_status", "branch", "Branch A1", "7.5", "1.1.1", 1, "on"),
    s3("pdu.branch_status", "branch", "BA1", "7.5", "2.1.1", 8, "off-fuse"),
    s3("pdu.breaker_tripped", "branch", "Branch A1", "7.5", "1.1.1", 1, 0.0),
    s3("pdu.breaker_tripped", "branch", "BA1", "7.5", "2.1.1", 8, 1.0),  # offFuse: the fuse has opened
    s3("pdu.branch_load_state", "branch", "Branch A1", "7.6", "1.1.1", 0, "normal"),
    s3("pdu.branch_load_state", "branch", "BA1", "7.6", "2.1.1", 1, "not-on"),
    s3("pdu.branch_current_a", "branch", "Branch A1", "7.7", "1.1.1", 845, 8.45),
    s3("pdu.branch_current_a", "branch", "BA1", "7.7", "2.1.1", -1, None),
]

SENTRY3_FAHRENHEIT = [
    s3("pdu.current_a", "infeed", "1.1", "2.7", "1.1", 502, 5.02),  # no name, no ID: the index
    s3("env.temperature_c", "sensor", "Inlet A", "5.6", "1.1", 680, 20.0),  # 68.0 F
    s3("env.temperature_c", "sensor", "Inlet B", "5.6", "1.2", 745, (74.5 - 32) / 1.8),  # 23.61 C
    s3("env.temperature_c", "sensor", "Old probe", "5.6", "2.1", 215, 21.5),  # no scale object: Celsius
]


S4 = "1.3.6.1.4.1.1718.4.1"


def s4(metric: str, label: str, name: str, column: str, index: str, raw: int, value: float | str | None) -> From:
    """A Sentry4 sample from st4Objects.COLUMN.INDEX (`column` = "GROUP.TABLE.1.COLUMN", e.g. "4.3.1.3")."""
    return From(metric, ((label, name),), f"{S4}.{column}.{index}", raw, value)


SENTRY4 = [
    # st4UnitMonitorTable: unit B has no name (labelled by its ID)
    s4("pdu.unit_status", "unit", "PDU-R14-B", "2.3.1.1", "1", 0, "normal"),
    s4("pdu.unit_status", "unit", "B", "2.3.1.1", "2", 10, "no-comm"),
    # st4InputCordMonitorTable: cord BA is off, its readings not available
    s4("pdu.cord_state", "cord", "Master_Cord_A", "3.3.1.1", "1.1", 1, "on"),
    s4("pdu.cord_state", "cord", "BA", "3.3.1.1", "2.1", 2, "off"),
    s4("pdu.cord_status", "cord", "Master_Cord_A", "3.3.1.2", "1.1", 0, "normal"),
    s4("pdu.cord_status", "cord", "BA", "3.3.1.2", "2.1", 11, "power-error"),
    s4("pdu.cord_power_kw", "cord", "Master_Cord_A", "3.3.1.3", "1.1", 1701, 1.701),  # W
    s4("pdu.cord_power_kw", "cord", "BA", "3.3.1.3", "2.1", -1, None),
    s4("pdu.cord_power_status", "cord", "Master_Cord_A", "3.3.1.4", "1.1", 16, "high-warning"),
    s4("pdu.cord_power_status", "cord", "BA", "3.3.1.4", "2.1", 0, "normal"),
    s4("pdu.cord_apparent_power_kva", "cord", "Master_Cord_A", "3.3.1.5", "1.1", 1790, 1.79),
    s4("pdu.cord_apparent_power_kva", "cord", "BA", "3.3.1.5", "2.1", -1, None),
    s4("pdu.cord_load_pct", "cord", "Master_Cord_A", "3.3.1.7", "1.1", 165, 16.5),  # tenth percent
    s4("pdu.cord_load_pct", "cord", "BA", "3.3.1.7", "2.1", -1, None),
    s4("pdu.power_factor", "cord", "Master_Cord_A", "3.3.1.8", "1.1", 95, 0.95),
    s4("pdu.power_factor", "cord", "BA", "3.3.1.8", "2.1", -1, None),
    s4("pdu.energy_kwh", "cord", "Master_Cord_A", "3.3.1.10", "1.1", 8937, 893.7),  # tenth kWh
    s4("pdu.energy_kwh", "cord", "BA", "3.3.1.10", "2.1", -1, None),
    s4("pdu.frequency_hz", "cord", "Master_Cord_A", "3.3.1.11", "1.1", 500, 50.0),  # tenth Hz
    s4("pdu.frequency_hz", "cord", "BA", "3.3.1.11", "2.1", -1, None),
    s4("pdu.out_of_balance_pct", "cord", "Master_Cord_A", "3.3.1.12", "1.1", 26, 2.6),
    s4("pdu.out_of_balance_pct", "cord", "BA", "3.3.1.12", "2.1", -1, None),
    s4("pdu.out_of_balance_status", "cord", "Master_Cord_A", "3.3.1.13", "1.1", 0, "normal"),
    s4("pdu.out_of_balance_status", "cord", "BA", "3.3.1.13", "2.1", 0, "normal"),
    # st4LineMonitorTable, labelled by st4LineLabel
    *(s4("pdu.line_state", "line", f"AA:L{n}", "4.3.1.1", f"1.1.{n}", 1, "on") for n in (1, 2, 3)),
    *(s4("pdu.line_status", "line", f"AA:L{n}", "4.3.1.2", f"1.1.{n}", 0, "normal") for n in (1, 2, 3)),
    s4("pdu.current_a", "line", "AA:L1", "4.3.1.3", "1.1.1", 1450, 14.5),  # hundredth A
    s4("pdu.current_a", "line", "AA:L2", "4.3.1.3", "1.1.2", 369, 3.69),
    s4("pdu.current_a", "line", "AA:L3", "4.3.1.3", "1.1.3", -1, None),
    s4("pdu.current_status", "line", "AA:L1", "4.3.1.4", "1.1.1", 16, "high-warning"),
    s4("pdu.current_status", "line", "AA:L2", "4.3.1.4", "1.1.2", 0, "normal"),
    s4("pdu.current_status", "line", "AA:L3", "4.3.1.4", "1.1.3", 9, "read-error"),
    s4("pdu.load_pct", "line", "AA:L1", "4.3.1.5", "1.1.1", 906, 90.6),
    s4("pdu.load_pct", "line", "AA:L2", "4.3.1.5", "1.1.2", 230, 23.0),
    s4("pdu.load_pct", "line", "AA:L3", "4.3.1.5", "1.1.3", -1, None),
    # st4PhaseMonitorTable: phase AA2 has no label (labelled by its ID)
    s4("pdu.phase_state", "phase", "AA:L1-L2", "5.3.1.1", "1.1.1", 1, "on"),
    s4("pdu.phase_state", "phase", "AA2", "5.3.1.1", "1.1.2", 2, "off"),
    s4("pdu.phase_status", "phase", "AA:L1-L2", "5.3.1.2", "1.1.1", 0, "normal"),
    s4("pdu.phase_status", "phase", "AA2", "5.3.1.2", "1.1.2", 0, "normal"),
    s4("pdu.voltage_v", "phase", "AA:L1-L2", "5.3.1.3", "1.1.1", 2301, 230.1),  # tenth V
    s4("pdu.voltage_v", "phase", "AA2", "5.3.1.3", "1.1.2", -1, None),
    s4("pdu.voltage_status", "phase", "AA:L1-L2", "5.3.1.4", "1.1.1", 0, "normal"),
    s4("pdu.voltage_status", "phase", "AA2", "5.3.1.4", "1.1.2", 14, "low-alarm"),
    s4("pdu.phase_current_a", "phase", "AA:L1-L2", "5.3.1.6", "1.1.1", 209, 2.09),
    s4("pdu.phase_current_a", "phase", "AA2", "5.3.1.6", "1.1.2", -1, None),
    s4("pdu.power_kw", "phase", "AA:L1-L2", "5.3.1.8", "1.1.1", 415, 0.415),
    s4("pdu.power_kw", "phase", "AA2", "5.3.1.8", "1.1.2", -1, None),
    # st4OcpMonitorTable
    s4("pdu.ocp_status", "ocp", "AA:L1-L2-BR1", "6.3.1.1", "1.1.1", 0, "normal"),
    s4("pdu.ocp_status", "ocp", "AA:L2-L3-BR2", "6.3.1.1", "1.1.2", 12, "breaker-tripped"),
    s4("pdu.breaker_tripped", "ocp", "AA:L1-L2-BR1", "6.3.1.1", "1.1.1", 0, 0.0),
    s4("pdu.breaker_tripped", "ocp", "AA:L2-L3-BR2", "6.3.1.1", "1.1.2", 12, 1.0),
    # st4BranchMonitorTable
    s4("pdu.branch_state", "branch", "AA:L1-L2-BR1", "7.3.1.1", "1.1.1", 1, "on"),
    s4("pdu.branch_state", "branch", "AA:L2-L3-BR2", "7.3.1.1", "1.1.2", 2, "off"),
    s4("pdu.branch_status", "branch", "AA:L1-L2-BR1", "7.3.1.2", "1.1.1", 0, "normal"),
    s4("pdu.branch_status", "branch", "AA:L2-L3-BR2", "7.3.1.2", "1.1.2", 12, "breaker-tripped"),
    s4("pdu.branch_current_a", "branch", "AA:L1-L2-BR1", "7.3.1.3", "1.1.1", 845, 8.45),
    s4("pdu.branch_current_a", "branch", "AA:L2-L3-BR2", "7.3.1.3", "1.1.2", -1, None),
    s4("pdu.branch_current_status", "branch", "AA:L1-L2-BR1", "7.3.1.4", "1.1.1", 0, "normal"),
    s4("pdu.branch_current_status", "branch", "AA:L2-L3-BR2", "7.3.1.4", "1.1.2", 10, "no-comm"),
    s4("pdu.branch_load_pct", "branch", "AA:L1-L2-BR1", "7.3.1.5", "1.1.1", 423, 42.3),
    s4("pdu.branch_load_pct", "branch", "AA:L2-L3-BR2", "7.3.1.5", "1.1.2", -1, None),
    # st4OutletMonitorTable: AA2 has no name
    s4("pdu.outlet_state", "outlet", "db-primary", "8.3.1.1", "1.1.1", 1, "on"),
    s4("pdu.outlet_state", "outlet", "AA2", "8.3.1.1", "1.1.2", 2, "off"),
    s4("pdu.outlet_state", "outlet", "md-feed-1", "8.3.1.1", "1.1.3", 0, "unknown"),
    s4("pdu.outlet_status", "outlet", "db-primary", "8.3.1.2", "1.1.1", 0, "normal"),
    s4("pdu.outlet_status", "outlet", "AA2", "8.3.1.2", "1.1.2", 0, "normal"),
    s4("pdu.outlet_status", "outlet", "md-feed-1", "8.3.1.2", "1.1.3", 13, "fuse-blown"),
    s4("pdu.outlet_current_a", "outlet", "db-primary", "8.3.1.3", "1.1.1", 112, 1.12),
    s4("pdu.outlet_current_a", "outlet", "AA2", "8.3.1.3", "1.1.2", 0, 0.0),
    s4("pdu.outlet_current_a", "outlet", "md-feed-1", "8.3.1.3", "1.1.3", -1, None),
    s4("pdu.outlet_current_status", "outlet", "db-primary", "8.3.1.4", "1.1.1", 0, "normal"),
    s4("pdu.outlet_current_status", "outlet", "AA2", "8.3.1.4", "1.1.2", 0, "normal"),
    s4("pdu.outlet_current_status", "outlet", "md-feed-1", "8.3.1.4", "1.1.3", 9, "read-error"),
    s4("pdu.outlet_power_kw", "outlet", "db-primary", "8.3.1.7", "1.1.1", 245, 0.245),
    s4("pdu.outlet_power_kw", "outlet", "AA2", "8.3.1.7", "1.1.2", 0, 0.0),
    s4("pdu.outlet_power_kw", "outlet", "md-feed-1", "8.3.1.7", "1.1.3", -1, None),
    # st4TempSensorMonitorTable, st4TempSensorScale = fahrenheit(1): 73.4 F = 23.0 C; -410 = invalid
    s4("env.temperature_c", "sensor", "Cold aisle", "9.3.1.1", "1.1", 734, 23.0),
    s4("env.temperature_c", "sensor", "A2", "9.3.1.1", "1.2", -410, None),
    s4("env.temperature_status", "sensor", "Cold aisle", "9.3.1.2", "1.1", 0, "normal"),
    s4("env.temperature_status", "sensor", "A2", "9.3.1.2", "1.2", 7, "not-found"),
    s4("env.humidity_pct", "sensor", "Cold aisle", "10.3.1.1", "1.1", 45, 45),
    s4("env.humidity_pct", "sensor", "A2", "10.3.1.1", "1.2", -1, None),
    s4("env.humidity_status", "sensor", "Cold aisle", "10.3.1.2", "1.1", 0, "normal"),
    s4("env.humidity_status", "sensor", "A2", "10.3.1.2", "1.2", 7, "not-found"),
    s4("env.water_sensor", "sensor", "Under floor", "11.3.1.1", "1.1", 18, "alarm"),
    s4("env.water_leak", "sensor", "Under floor", "11.3.1.1", "1.1", 18, 1.0),
    s4("env.contact", "sensor", "Rack door", "12.3.1.1", "1.1", 0, "normal"),
    s4("env.contact", "sensor", "Smoke", "12.3.1.1", "1.2", 18, "alarm"),
    s4("env.contact_alarm", "sensor", "Rack door", "12.3.1.1", "1.1", 0, 0.0),
    s4("env.contact_alarm", "sensor", "Smoke", "12.3.1.1", "1.2", 18, 1.0),
]


V5 = "1.3.6.1.4.1.21239.5.2"


def v5(metric: str, label: str, name: str, column: str, index: str, raw: int, value: float | str | None) -> From:
    """A Vertiv/Geist V5 sample from imd.COLUMN.INDEX (`column` e.g. "3.2.1.4": pduPhaseVoltage)."""
    labels = ((label, name),) if label else ()
    return From(metric, labels, f"{V5}.{column}.{index}", raw, value)


def fahrenheit(tenths: int) -> float:
    return (tenths / 10 - 32) / 1.8


GEIST = [
    v5("pdu.alarm_count", "", "", "1.13", "0", 1, 1),  # productAlarmCount
    v5("pdu.warning_count", "", "", "1.14", "0", 2, 2),
    # pduMainTable: labelled by its user label
    v5("pdu.availability", "pdu", "R12 left", "3.1.1.5", "1", 1, "available"),
    v5("pdu.device_power_kw", "pdu", "R12 left", "3.1.1.9", "1", 2450, 2.45),  # W
    v5("pdu.apparent_power_kva", "pdu", "R12 left", "3.1.1.10", "1", 2600, 2.6),
    v5("pdu.power_factor", "pdu", "R12 left", "3.1.1.11", "1", 94, 0.94),  # percent
    v5("pdu.energy_kwh", "pdu", "R12 left", "3.1.1.12", "1", 1234567, 1234.567),  # Wh
    # pduPhaseTable: phase 2 has no user label (its factory name)
    v5("pdu.voltage_v", "phase", "L1-N", "3.2.1.4", "1", 2312, 231.2),  # decivolts
    v5("pdu.voltage_v", "phase", "Phase B", "3.2.1.4", "2", 2298, 229.8),
    v5("pdu.phase_current_a", "phase", "L1-N", "3.2.1.8", "1", 645, 6.45),  # centiamps
    v5("pdu.phase_current_a", "phase", "Phase B", "3.2.1.8", "2", 412, 4.12),
    v5("pdu.power_kw", "phase", "L1-N", "3.2.1.12", "1", 1420, 1.42),
    v5("pdu.power_kw", "phase", "Phase B", "3.2.1.12", "2", 930, 0.93),
    v5("pdu.phase_balance_pct", "phase", "L1-N", "3.2.1.17", "1", 88, 88),
    v5("pdu.phase_balance_pct", "phase", "Phase B", "3.2.1.17", "2", 91, 91),
    v5("pdu.branch_current_a", "branch", "Breaker 1", "3.3.1.4", "1", 1290, 12.9),
    v5("pdu.current_a", "line", "Line 1", "3.4.1.4", "1", 1310, 13.1),
    v5("pdu.current_a", "line", "Line 2", "3.4.1.4", "2", 1705, 17.05),
    # pduOutletSwitchTable: state words; relay failure TruthValue true(1) / false(2)
    v5("pdu.outlet_state", "outlet", "db-primary", "3.5.1.4", "1", 1, "on"),
    v5("pdu.outlet_state", "outlet", "Outlet 2", "3.5.1.4", "2", 2, "off"),
    v5("pdu.outlet_state", "outlet", "md-feed-1", "3.5.1.4", "3", 7, "unavailable"),
    v5("pdu.outlet_relay_failed", "outlet", "db-primary", "3.5.1.5", "1", 2, 0.0),
    v5("pdu.outlet_relay_failed", "outlet", "Outlet 2", "3.5.1.5", "2", 2, 0.0),
    v5("pdu.outlet_relay_failed", "outlet", "md-feed-1", "3.5.1.5", "3", 1, 1.0),
    v5("pdu.outlet_current_a", "outlet", "db-primary", "3.6.1.8", "1", 112, 1.12),
    v5("pdu.outlet_current_a", "outlet", "Outlet 2", "3.6.1.8", "2", 0, 0.0),
    v5("pdu.outlet_power_kw", "outlet", "db-primary", "3.6.1.12", "1", 245, 0.245),
    v5("pdu.outlet_power_kw", "outlet", "Outlet 2", "3.6.1.12", "2", 0, 0.0),
    # temperatureUnits = fahrenheit(0): every temperature converted; an unavailable sensor gives none
    v5("env.sensor_availability", "sensor", "Rack top", "4.1.4", "1", 1, "available"),
    v5("env.sensor_availability", "sensor", "28D4E5F6", "4.1.4", "2", 0, "unavailable"),
    v5("env.temperature_c", "sensor", "Rack top", "4.1.5", "1", 806, fahrenheit(806)),  # 80.6 F = 27.0 C
    v5("env.temperature_c", "sensor", "28D4E5F6", "4.1.5", "2", 0, None),
    # t3hdSensorTable: internal sensor by its internal label, external A by its own; B unavailable
    v5("env.sensor_availability", "sensor", "Cold aisle probe", "8.1.4", "1", 1, "available"),
    v5("env.temperature_c", "sensor", "Cold aisle", "8.1.6", "1", 734, fahrenheit(734)),
    v5("env.humidity_pct", "sensor", "Cold aisle", "8.1.7", "1", 45, 45),
    v5("env.dewpoint_c", "sensor", "Cold aisle", "8.1.8", "1", 500, fahrenheit(500)),
    v5("env.temperature_c", "sensor", "Cold aisle low", "8.1.11", "1", 689, fahrenheit(689)),
    v5("env.temperature_c", "sensor", "Cold aisle high", "8.1.14", "1", 0, None),
    # thdSensorTable: no label (its serial); partially unavailable still reads
    v5("env.sensor_availability", "sensor", "THD00042", "9.1.4", "1", 2, "partially-unavailable"),
    v5("env.temperature_c", "sensor", "THD00042", "9.1.5", "1", 950, fahrenheit(950)),
    v5("env.humidity_pct", "sensor", "THD00042", "9.1.6", "1", 38, 38),
    v5("env.dewpoint_c", "sensor", "THD00042", "9.1.7", "1", 599, fahrenheit(599)),
    v5("env.sensor_availability", "sensor", "Hot aisle", "12.1.4", "1", 1, "available"),
    v5("env.humidity_pct", "sensor", "Hot aisle", "12.1.5", "1", 61, 61),
]

GEIST_CELSIUS = [  # temperatureUnits = celsius(1)
    v5("env.sensor_availability", "sensor", "Room", "9.1.4", "1", 1, "available"),
    v5("env.temperature_c", "sensor", "Room", "9.1.5", "1", 231, 23.1),
    v5("env.humidity_pct", "sensor", "Room", "9.1.6", "1", 44, 44),
    v5("env.dewpoint_c", "sensor", "Room", "9.1.7", "1", 104, 10.4),
]


PX = "1.3.6.1.4.1.13742.6"


def px(metric: str, label: str, name: str, column: str, index: str, raw: int, value: float | str | None) -> From:
    """A Raritan PDU2-MIB sample from COLUMN.INDEX (`column` e.g. "5.4.3.1.4": measurementsOutletSensorValue)."""
    labels = ((label, name),) if label else ()
    return From(metric, labels, f"{PX}.{column}.{index}", raw, value)


RARITAN_DIGITS = {  # the decimal digits each reading is scaled by, and where the MIB keeps them
    "outlet current": (f"{PX}.3.5.4.1.7.1.1.1", 3),  # outletSensorDecimalDigits, rmsCurrent
    "outlet power": (f"{PX}.3.5.4.1.7.1.1.5", 0),
    "ocp current": (f"{PX}.3.4.4.1.7.1.1.1", 2),  # overCurrentProtectorSensorDecimalDigits
    "inlet current": (f"{PX}.3.3.4.1.7.1.1.1", 3),
}

RARITAN = [
    # inlet 1 (inletSensorMeasurementsTable, by sensor type in the index)
    px("pdu.current_a", "", "", "5.2.3.1.4", "1.1.1", 5120, 5.12),
    px("pdu.voltage_v", "", "", "5.2.3.1.4", "1.1.4", 230, 230),
    px("pdu.power_kw", "", "", "5.2.3.1.4", "1.1.5", 1178, 1.178),
    px("pdu.frequency_hz", "", "", "5.2.3.1.4", "1.1.23", 500, 50.0),
    # outlets: named by outletName, else outletLabel ("2"); rmsCurrent 1, activePower 5, onOff 14
    px("pdu.outlet_current_a", "outlet", "db-primary", "5.4.3.1.4", "1.1.1", 1120, 1.12),
    px("pdu.outlet_current_a", "outlet", "2", "5.4.3.1.4", "1.2.1", 0, 0.0),
    px("pdu.outlet_current_a", "outlet", "md-feed-1", "5.4.3.1.2", "1.3.1", 2, None),  # isAvailable false
    px("pdu.outlet_current_state", "outlet", "db-primary", "5.4.3.1.3", "1.1.1", 4, "normal"),
    px("pdu.outlet_current_state", "outlet", "2", "5.4.3.1.3", "1.2.1", 4, "normal"),
    px("pdu.outlet_current_state", "outlet", "md-feed-1", "5.4.3.1.3", "1.3.1", -1, "unavailable"),
    px("pdu.outlet_power_kw", "outlet", "db-primary", "5.4.3.1.4", "1.1.5", 245, 0.245),
    px("pdu.outlet_power_kw", "outlet", "2", "5.4.3.1.4", "1.2.5", 0, 0.0),
    px("pdu.outlet_power_kw", "outlet", "md-feed-1", "5.4.3.1.4", "1.3.5", 2210, 2.21),
    px("pdu.outlet_state", "outlet", "db-primary", "5.4.3.1.3", "1.1.14", 7, "on"),
    px("pdu.outlet_state", "outlet", "2", "5.4.3.1.3", "1.2.14", 8, "off"),
    px("pdu.outlet_state", "outlet", "md-feed-1", "5.4.3.1.3", "1.3.14", 7, "on"),
    # overcurrent protectors: named by overCurrentProtectorName, else its label ("C1"); trip 15
    px("pdu.branch_current_a", "branch", "C1", "5.3.3.1.4", "1.1.1", 1290, 12.9),
    px("pdu.branch_current_a", "branch", "Row B feed", "5.3.3.1.4", "1.2.1", 0, 0.0),
    px("pdu.branch_current_state", "branch", "C1", "5.3.3.1.3", "1.1.1", 5, "above-upper-warning"),
    px("pdu.branch_current_state", "branch", "Row B feed", "5.3.3.1.3", "1.2.1", 4, "normal"),
    px("pdu.breaker_state", "branch", "C1", "5.3.3.1.3", "1.1.15", 1, "closed"),
    px("pdu.breaker_state", "branch", "Row B feed", "5.3.3.1.3", "1.2.15", 0, "open"),
    px("pdu.breaker_tripped", "branch", "C1", "5.3.3.1.3", "1.1.15", 1, 0.0),
    px("pdu.breaker_tripped", "branch", "Row B feed", "5.3.3.1.3", "1.2.15", 0, 1.0),  # open = tripped
    # external sensors
    px("env.temperature_c", "sensor", "Temperature 1", "5.5.3.1.4", "1.1", 231, 23.1),  # 1 digit
    px("env.water_leak", "sensor", "Floor leak", "5.5.3.1.3", "1.2", 11, 1.0),  # waterDetection alarmed
    px("env.fire_alarm", "sensor", "Smoke", "5.5.3.1.3", "1.3", 4, 0.0),  # smokeDetection normal
    px("env.door", "sensor", "Rear door", "5.5.3.1.3", "1.4", 0, "open"),  # doorContact
    px("env.humidity_pct", "sensor", "Relative Humidity 1", "5.5.3.1.2", "1.5", 2, None),  # not available
    px("env.sensor_state", "sensor", "Temperature 1", "5.5.3.1.3", "1.1", 4, "normal"),
    px("env.sensor_state", "sensor", "Floor leak", "5.5.3.1.3", "1.2", 11, "alarmed"),
    px("env.sensor_state", "sensor", "Smoke", "5.5.3.1.3", "1.3", 4, "normal"),
    px("env.sensor_state", "sensor", "Rear door", "5.5.3.1.3", "1.4", 0, "open"),
    px("env.sensor_state", "sensor", "Relative Humidity 1", "5.5.3.1.3", "1.5", -1, "unavailable"),
]
