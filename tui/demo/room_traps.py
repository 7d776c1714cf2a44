"""The traps the demo devices send: UPS-MIB, APC PowerNet and IF-MIB notifications, as (trap OID, varbinds).

Every one is a trap `collectors.trap_mapping` knows, so the receiver turns it into samples and an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.demo.snmp_control import TrapValue

UPS_MIB_TRAPS = "1.3.6.1.2.1.33.2.0"
UPS_ESTIMATED_MINUTES = "1.3.6.1.2.1.33.1.2.3.0"
UPS_SECONDS_ON_BATTERY = "1.3.6.1.2.1.33.1.2.2.0"
UPS_ALARM_ID = "1.3.6.1.2.1.33.1.6.2.1.1"
UPS_ALARM_DESCR = "1.3.6.1.2.1.33.1.6.2.1.2"
UPS_WELL_KNOWN_ALARM = (1, 3, 6, 1, 2, 1, 33, 1, 6, 3)
APC_TRAPS = "1.3.6.1.4.1.318.0"
APC_TRAP_TEXT = "1.3.6.1.4.1.318.2.3.3.0"
LINK_DOWN, LINK_UP = "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.6.3.1.1.5.4"
IF_INDEX, IF_ADMIN_STATUS, IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.1", "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8"
ON_BATTERY_ALARM, LOW_BATTERY_ALARM, OUTPUT_OFF_ALARM = 2, 3, 14


@dataclass(frozen=True, slots=True)
class Trap:
    device: str
    """The device that sends it (a device without power sends nothing)."""
    oid: str
    varbinds: tuple[tuple[str, TrapValue], ...] = ()


def ups_mib_on_battery(device: str, minutes_left: int) -> Trap:
    """upsTrapOnBattery, with the estimated minutes remaining."""
    return Trap(device, f"{UPS_MIB_TRAPS}.1", ((UPS_ESTIMATED_MINUTES, minutes_left), (UPS_SECONDS_ON_BATTERY, 0)))


def ups_mib_alarm(device: str, alarm: int, *, added: bool, alarm_id: int = 1) -> Trap:
    """upsTrapAlarmEntryAdded / Removed for one well-known alarm (2 onBattery, 3 lowBattery, 14 upsOutputOff)."""
    return Trap(
        device,
        f"{UPS_MIB_TRAPS}.{3 if added else 4}",
        ((f"{UPS_ALARM_ID}.{alarm_id}", alarm_id), (f"{UPS_ALARM_DESCR}.{alarm_id}", (*UPS_WELL_KNOWN_ALARM, alarm))),
    )


def apc(device: str, number: int, text: str) -> Trap:
    """An APC PowerNet trap (5 upsOnBattery, 7 lowBattery, 9 powerRestored, ...) with its message text."""
    return Trap(device, f"{APC_TRAPS}.{number}", ((APC_TRAP_TEXT, text),))


def link(device: str, if_index: int, *, up: bool) -> Trap:
    """IF-MIB linkDown / linkUp for one port."""
    status = 1 if up else 2
    return Trap(
        device,
        LINK_UP if up else LINK_DOWN,
        ((f"{IF_INDEX}.{if_index}", if_index), (f"{IF_ADMIN_STATUS}.{if_index}", 1),
         (f"{IF_OPER_STATUS}.{if_index}", status)),
    )  # fmt: skip
