"""What the demo room is made of: its SNMP devices, HTTP services and TCP lines, and how they hang together.

Target ids are those of the shipped checks.toml; `fed_by` and `behind` are the room's wiring (which UPS output
powers a device, which switch a service is reached through), used by the model to decide what goes dark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class SnmpDevice:
    name: str
    """File stem in tui/demo/devices/ and the device's name in the model."""
    targets: tuple[str, ...]
    """checks.toml targets that poll this device (one per profile)."""
    fed_by: str = ""
    """The UPS whose output powers the device ('' = dual-fed, never loses power in the demo)."""
    trap_source: str = ""
    """The loopback address its traps come from ('' = sends none)."""


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    """The checks.toml target id."""
    kind: Literal["gateway", "market-data", "line"]
    behind: str
    """The switch the service is reached through: when that switch is dark, so is the service."""


SNMP_DEVICES: tuple[SnmpDevice, ...] = (
    SnmpDevice("ups-a", ("ups-a",), trap_source="127.0.0.21"),
    SnmpDevice("ups-b", ("ups-b",), trap_source="127.0.0.22"),
    SnmpDevice("pdu-a1", ("pdu-a1",), fed_by="ups-a"),
    SnmpDevice("crac-1", ("crac-1",), fed_by="ups-b"),
    SnmpDevice("env-1", ("env-1",), fed_by="ups-b"),
    SnmpDevice("core-sw1", ("core-sw1",), fed_by="ups-a", trap_source="127.0.0.31"),
    SnmpDevice("core-sw2", ("core-sw2",), fed_by="ups-b", trap_source="127.0.0.32"),
    SnmpDevice("trade-srv1", ("trade-srv1", "trade-srv1-disks")),
)
SERVICES: tuple[Service, ...] = (
    Service("oms-gw1", "gateway", behind="core-sw1"),
    Service("md-server", "market-data", behind="core-sw2"),
    Service("exch-sse", "line", behind="core-sw2"),
    Service("exch-szse", "line", behind="core-sw2"),
    Service("md-line", "line", behind="core-sw2"),
)
DEVICES_BY_NAME = {device.name: device for device in SNMP_DEVICES}
SERVICES_BY_NAME = {service.name: service for service in SERVICES}
DEVICE_OF_TARGET = {target: device.name for device in SNMP_DEVICES for target in device.targets}


@dataclass(frozen=True, slots=True)
class Interface:
    device: str
    if_index: int
    name: str
    """ifName, as checks.toml's `interfaces` list names it."""
    speed_mbps: int
    in_mbps: float
    """Normal inbound traffic; the traffic model's counters grow at the model's current rate."""
    out_mbps: float


DRIVEN_INTERFACES: tuple[Interface, ...] = (
    Interface("core-sw2", 101, "GE1/0/1", 1000, 200.0, 160.0),
    Interface("core-sw2", 102, "GE1/0/2", 1000, 180.0, 144.0),
    Interface("core-sw2", 103, "GE1/0/3", 1000, 300.0, 24.0),
)
"""Interfaces whose counters the demo drives (snmpsim `writecache`); the others grow by `numeric` at a fixed rate."""
SWITCH_INTERFACES: dict[str, tuple[int, ...]] = {
    "core-sw1": (1, 2, 3, 4),
    "core-sw2": (101, 102, 103, 104, 105),
}
"""ifIndex values per switch: distinct across devices, because writecache keys its values by OID alone."""
IF_INDEX_BY_NAME: dict[tuple[str, str], int] = {
    ("core-sw1", "XGE1/0/1"): 1, ("core-sw1", "XGE1/0/2"): 2, ("core-sw1", "XGE1/0/3"): 3,
    ("core-sw2", "GE1/0/1"): 101, ("core-sw2", "GE1/0/2"): 102, ("core-sw2", "GE1/0/3"): 103,
    ("core-sw2", "XGE1/0/1"): 104,
}  # fmt: skip
