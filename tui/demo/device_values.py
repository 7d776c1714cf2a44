"""What each simulated device should answer for the values the demo moves: `RoomModel` -> OID -> (tag, value).

Tags are snmprec type tags (2 Integer32, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64). Every OID
here is a `writecache` record in tui/demo/devices/<device>.snmprec; interface counters come from `traffic`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tui.demo.catalog import IF_INDEX_BY_NAME, SWITCH_INTERFACES
from tui.demo.model import RoomModel, UpsState

Setting = tuple[str, int]
DeviceValues = dict[str, Setting]

UPS_MIB = "1.3.6.1.2.1.33.1"
APC_UPS = "1.3.6.1.4.1.318.1.1.1"
RPDU2 = "1.3.6.1.4.1.318.1.1.26"
COOLING_ANALOG_VALUE = "1.3.6.1.4.1.318.1.1.27.1.4.1.2.1.3.1"
AKCP = "1.3.6.1.4.1.3854.1.2.2.1"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
HR_STORAGE_USED = "1.3.6.1.2.1.25.2.3.1.6"
HR_PROCESSOR_LOAD = "1.3.6.1.2.1.25.3.3.1.2"
UCD = "1.3.6.1.4.1.2021"

_BATTERY_STATUS = {"normal": 2, "low": 3, "depleted": 4}
_UPS_MIB_SOURCE = {"normal": 3, "battery": 5, "none": 2}
_APC_OUTPUT_STATUS = {"normal": 2, "battery": 3, "none": 7}
_LINE_LOADS = ((512, 11200, 41), (498, 10900, 40), (527, 11500, 42))
DATA_DISK_BLOCKS = 244190208
"""hrStorageSize of /data on trade-srv1, in 4 KiB blocks (as in the device file)."""
CPU_INDEXES = tuple(range(196608, 196616))
_CPU_SPREAD = (-2, 6, -7, 2, -3, 10, -6, 1)


def _seconds_on_battery(state: UpsState) -> int:
    return 0 if state.on_battery_since is None else int(time.monotonic() - state.on_battery_since)


def ups_mib_values(state: UpsState) -> DeviceValues:
    """ups-a: UPS-MIB (RFC 1628), three input and three output lines."""
    mains = state.input_ok
    output_on = state.output != "none"
    values: DeviceValues = {
        f"{UPS_MIB}.2.1.0": ("2", _BATTERY_STATUS[state.battery]),
        f"{UPS_MIB}.2.2.0": ("2", _seconds_on_battery(state)),
        f"{UPS_MIB}.2.3.0": ("2", round(state.runtime_min)),
        f"{UPS_MIB}.2.4.0": ("2", round(state.charge_pct)),
        f"{UPS_MIB}.2.6.0": ("2", 0 if state.output != "battery" else 1480),
        f"{UPS_MIB}.4.1.0": ("2", _UPS_MIB_SOURCE[state.output]),
        f"{UPS_MIB}.6.1.0": ("66", int(not mains) + int(state.battery != "normal") + int(not output_on)),
    }
    for line, (volts, amps) in enumerate(((231, 604), (229, 588), (232, 611)), start=1):
        values[f"{UPS_MIB}.3.3.1.2.{line}"] = ("2", 500 if mains else 0)
        values[f"{UPS_MIB}.3.3.1.3.{line}"] = ("2", volts if mains else 0)
        values[f"{UPS_MIB}.3.3.1.4.{line}"] = ("2", amps if mains else 0)
    for line, (amps, watts, load) in enumerate(_LINE_LOADS, start=1):
        values[f"{UPS_MIB}.4.4.1.2.{line}"] = ("2", 230 if output_on else 0)
        values[f"{UPS_MIB}.4.4.1.3.{line}"] = ("2", amps if output_on else 0)
        values[f"{UPS_MIB}.4.4.1.4.{line}"] = ("2", watts if output_on else 0)
        values[f"{UPS_MIB}.4.4.1.5.{line}"] = ("2", load if output_on else 0)
    return values


def apc_ups_values(state: UpsState) -> DeviceValues:
    """ups-b: APC PowerNet-MIB (runtime and time on battery in TimeTicks, HighPrec values in tenths)."""
    mains = state.input_ok
    return {
        f"{APC_UPS}.2.1.1.0": ("2", _BATTERY_STATUS[state.battery]),
        f"{APC_UPS}.2.1.2.0": ("67", _seconds_on_battery(state) * 100),
        f"{APC_UPS}.2.2.1.0": ("66", round(state.charge_pct)),
        f"{APC_UPS}.2.2.3.0": ("67", round(state.runtime_min * 6000)),
        f"{APC_UPS}.2.3.1.0": ("66", round(state.charge_pct * 10)),
        f"{APC_UPS}.3.2.1.0": ("66", 230 if mains else 0),
        f"{APC_UPS}.3.2.4.0": ("66", 50 if mains else 0),
        f"{APC_UPS}.3.3.1.0": ("66", 2301 if mains else 0),
        f"{APC_UPS}.3.3.4.0": ("66", 500 if mains else 0),
        f"{APC_UPS}.4.1.1.0": ("2", _APC_OUTPUT_STATUS[state.output]),
    }


def pdu_values(model: RoomModel) -> DeviceValues:
    """pdu-a1: APC rPDU2, three phases rated 16 A (load state near-overload above 80 %, overload above 100 %)."""
    values: DeviceValues = {}
    worst = 2
    for phase, amps in enumerate(model.pdu_current_a, start=1):
        state = 4 if amps > 16.0 else 3 if amps > 12.8 else 2
        worst = max(worst, state)
        values[f"{RPDU2}.6.3.1.4.{phase}"] = ("2", state)
        values[f"{RPDU2}.6.3.1.5.{phase}"] = ("2", round(amps * 10))
        values[f"{RPDU2}.6.3.1.7.{phase}"] = ("2", round(amps * 23))
        values[f"{RPDU2}.6.3.1.8.{phase}"] = ("2", round(amps * 23.5))
        values[f"{RPDU2}.6.3.1.10.{phase}"] = ("2", round(amps * 10 + 14))
    values[f"{RPDU2}.4.3.1.4.1"] = ("2", worst)
    values[f"{RPDU2}.4.3.1.5.1"] = ("2", round(sum(model.pdu_current_a) * 23))
    return values


def cooling_values(model: RoomModel) -> DeviceValues:
    """crac-1: APC InRow analog status rows (value / scale): supply, return, rack inlet, airflow, output, fan."""
    cooling = model.cooling
    rows = {
        1: cooling.supply_c * 10,
        2: cooling.return_c * 10,
        3: cooling.rack_inlet_max_c * 10,
        5: cooling.airflow_l_s,
        6: cooling.output_kw * 10 if cooling.compressor_running else 0.0,
        7: 68.0 if cooling.compressor_running else 100.0,
    }
    return {f"{COOLING_ANALOG_VALUE}.{row}": ("2", round(value)) for row, value in rows.items()}


def environment_values(model: RoomModel) -> DeviceValues:
    """env-1: AKCP sensorProbe temperatures (degrees and tenths), humidity, water-leak and smoke switches."""
    env = model.environment
    values: DeviceValues = {}
    for index, celsius in enumerate(env.aisle_c.values()):
        status = 4 if celsius > 32 else 3 if celsius > 27 else 2
        values[f"{AKCP}.16.1.3.{index}"] = ("2", int(celsius))
        values[f"{AKCP}.16.1.4.{index}"] = ("2", status)
        values[f"{AKCP}.16.1.14.{index}"] = ("2", round(celsius * 10))
    humidity_status = 4 if not 20 <= env.humidity_pct <= 80 else 3 if not 30 <= env.humidity_pct <= 70 else 2
    values[f"{AKCP}.17.1.3.0"] = ("2", round(env.humidity_pct))
    values[f"{AKCP}.17.1.4.0"] = ("2", humidity_status)
    values[f"{AKCP}.18.1.3.0"] = ("2", 4 if env.water_leak else 2)
    values[f"{AKCP}.18.1.3.1"] = ("2", 4 if env.smoke else 2)
    return values


def switch_values(model: RoomModel, device: str) -> DeviceValues:
    """ifOperStatus of every port (1 up, 2 down); the driven links' counters are the traffic model's."""
    values: DeviceValues = {}
    down = {index for switch, index in model.down_ports if switch == device}
    down |= {IF_INDEX_BY_NAME[key] for key, link in model.links.items() if key[0] == device and not link.up}
    for if_index in SWITCH_INTERFACES[device]:
        values[f"{IF_OPER_STATUS}.{if_index}"] = ("2", 2 if if_index in down else 1)
    return values


def server_values(model: RoomModel) -> DeviceValues:
    """trade-srv1: UCD CPU split, load averages, memory, dskTable; HOST-RESOURCES per-CPU load and /data."""
    server = model.server
    busy = server.cpu_user_pct + server.cpu_system_pct
    values: DeviceValues = {
        f"{UCD}.11.9.0": ("2", round(server.cpu_user_pct)),
        f"{UCD}.11.10.0": ("2", round(server.cpu_system_pct)),
        f"{UCD}.11.11.0": ("2", round(server.cpu_idle_pct)),
        f"{UCD}.4.6.0": ("2", round(65842196 * server.mem_avail_pct / 100 * 0.33)),
        f"{UCD}.4.27.0": ("2", round(65842196 * server.mem_avail_pct / 100)),
        f"{UCD}.9.1.9.2": ("2", round(server.data_disk_pct)),
        f"{HR_STORAGE_USED}.32": ("2", round(DATA_DISK_BLOCKS * server.data_disk_pct / 100)),
    }
    for index, load in enumerate(server.load, start=1):
        values[f"{UCD}.10.1.5.{index}"] = ("2", round(load * 100))
    for cpu, spread in zip(CPU_INDEXES, _CPU_SPREAD, strict=True):
        values[f"{HR_PROCESSOR_LOAD}.{cpu}"] = ("2", round(min(100.0, max(0.0, busy + spread))))
    return values


def device_values(model: RoomModel) -> dict[str, DeviceValues]:
    """Every device's moving values, as the model has them now."""
    builders: dict[str, Callable[[], DeviceValues]] = {
        "ups-a": lambda: ups_mib_values(model.ups["ups-a"]),
        "ups-b": lambda: apc_ups_values(model.ups["ups-b"]),
        "pdu-a1": lambda: pdu_values(model),
        "crac-1": lambda: cooling_values(model),
        "env-1": lambda: environment_values(model),
        "core-sw1": lambda: switch_values(model, "core-sw1"),
        "core-sw2": lambda: switch_values(model, "core-sw2"),
        "trade-srv1": lambda: server_values(model),
    }
    return {device: build() for device, build in builders.items()}
