"""What a UPS notification does to the UPS metrics, and the vendor UPS traps beside UPS-MIB, APC and XUPS.

A trap that says the UPS went on battery, on bypass or low sets at once the metrics the poll profiles
report (`ups.on_battery`, `ups.on_bypass` 1/0, `ups.output_source` "bypass"/"normal",
`ups.battery_status` "low"/"normal"), so the shipped rules (`ups-on-bypass` reads the word "bypass")
fire without waiting for the next poll. Every table row: OID -> (MIB name, message, severity, effects).

v1 traps (TRAP-TYPE) arrive converted as RFC 3584 says: enterprise + .0 + specific number.
- Delta DeltaUPS-MIB: dupsTraps (1.3.6.1.4.1.2254.2.4.20), v1 specific 1-53.
- MGE MG-SNMP-UPS-MIB: upsmgTraps (1.3.6.1.4.1.705.1.11), v1 specific 1-24.
- Liebert LIEBERT-GP-NOTIFICATIONS-MIB: lgpEventNotifications (1.3.6.1.4.1.476.1.42.3.3.0), v2.
- Huawei HUAWEI-UPS-MIB: hwUpsCommonTrapsPrefix (2011.6.174.2.2.0) and hwUpsAlarmTrapsPrefix
  (2011.6.174.2.3.0), v2; each carries its own English text (hwUpsTrapsText, 2011.6.174.2.1.6),
  shown with the event. Huawei names no trap "on bypass": a power-supply change is
  hwUpsPowerStatusWarnTrap, whose text says which (the next poll's hwUpsDevicePowerSupplyMethod
  decides the word), so those set no metric.
"""

from __future__ import annotations

from dutyroom.model import MetricValue, State

Effects = tuple[tuple[str, MetricValue], ...]
VendorTrap = tuple[str, str, State, Effects]
"""(MIB name, message, severity, effects)."""

ON: Effects = (("ups.on_battery", 1.0),)
OFF: Effects = (("ups.on_battery", 0.0),)
BYPASS: Effects = (("ups.on_bypass", 1.0), ("ups.output_source", "bypass"))
INVERTER: Effects = (("ups.on_bypass", 0.0), ("ups.output_source", "normal"))
LOW: Effects = (("ups.battery_status", "low"),)
NOT_LOW: Effects = (("ups.battery_status", "normal"),)

TRAP_TEXT_OIDS = ("1.3.6.1.4.1.318.2.3.3.0", "1.3.6.1.4.1.2011.6.174.2.1.6")
"""Varbinds whose text is the device's own words for the trap: APC mtrapargsString, Huawei hwUpsTrapsText
(sent with or without the .0)."""

C, W, K = State.CRITICAL, State.WARNING, State.OK

DELTA_TRAPS: dict[int, VendorTrap] = {
    1: ("dupsCommunicationLost", "UPS communication lost", W, ()),
    2: ("dupsCommunicationEstablished", "UPS communication restored", K, ()),
    3: ("dupsPowerFail", "UPS on battery (mains failed)", C, ON),
    4: ("dupsPowerRestored", "UPS back on mains power", K, OFF),
    5: ("dupsLowBattery", "UPS battery low", C, LOW),
    6: ("dupsReturnFromLowBattery", "UPS battery no longer low", K, NOT_LOW),
    7: ("dupsLoadWarning", "UPS load over the warning level", W, ()),
    8: ("dupsNoLongerLoadWarning", "UPS load back under the warning level", K, ()),
    9: ("dupsLoadSeverity", "UPS load over the severe level", C, ()),
    10: ("dupsNoLongerLoadSeverity", "UPS load back under the severe level", K, ()),
    11: ("dupsLoadOnBypass", "UPS on bypass", C, BYPASS),
    12: ("dupsNoLongerLoadOnBypass", "UPS back from bypass", K, INVERTER),
    13: ("dupsUPSFault", "UPS general fault", C, ()),
    14: ("dupsReturnFromUPSFault", "UPS general fault cleared", K, ()),
    15: ("dupsBatteryGroundFault", "UPS battery ground fault", C, ()),
    16: ("dupsNoLongerBatteryFault", "UPS battery ground fault cleared", K, ()),
    18: ("dupsBatteryTestFail", "UPS battery test failed", W, ()),
    19: ("dupsFuseFailure", "UPS fuse failed", C, ()),
    20: ("dupsFuseRecovered", "UPS fuse recovered", K, ()),
    21: ("dupsOutputOverload", "UPS output overload", C, ()),
    22: ("dupsNoLongerOverload", "UPS output overload cleared", K, ()),
    25: ("dupsInverterAbnormal", "UPS inverter abnormal", C, ()),
    26: ("dupsInverterRecovered", "UPS inverter recovered", K, ()),
    27: ("dupsRectifierAbnormal", "UPS rectifier abnormal", C, ()),
    28: ("dupsRectifierRecovered", "UPS rectifier recovered", K, ()),
    45: ("dupsSmartShutdown", "UPS smart shutdown started", C, ()),
    48: ("dupsEPOON", "UPS emergency power off", C, ()),
    49: ("dupsEPOOFF", "UPS emergency power off cleared", K, ()),
    50: ("dupsOverTemperature", "UPS over temperature", C, ()),
    51: ("dupsNormalTemperature", "UPS temperature back to normal", K, ()),
    52: ("dupsBattReplace", "UPS battery needs replacement", W, ()),
    53: ("dupsReturnFromBattReplace", "UPS battery replaced", K, ()),
}  # fmt: skip

MGE_TRAPS: dict[int, VendorTrap] = {
    1: ("upsmgBatteryFault", "UPS battery fault", C, ()),
    2: ("upsmgBatteryOK", "UPS battery back to OK", K, ()),
    3: ("upsmgBatteryReplacementIndicated", "UPS battery needs replacement", W, ()),
    4: ("upsmgBatteryReplaceNotIndicated", "UPS battery no longer needs replacement", K, ()),
    5: ("upsmgAtLowBattery", "UPS battery low", C, LOW),
    6: ("upsmgFromLowBattery", "UPS battery no longer low", K, NOT_LOW),
    7: ("upsmgChargerFault", "UPS battery charger not active", W, ()),
    8: ("upsmgChargerOK", "UPS battery charger active", K, ()),
    9: ("upsmgAtLowCondition", "UPS at low condition", C, ()),
    10: ("upsmgFromLowCondition", "UPS out of low condition", K, ()),
    11: ("upsmgOnBattery", "UPS on battery", C, ON),
    12: ("upsmgReturnFromBattery", "UPS back from battery", K, OFF),
    13: ("upsmgOnByPass", "UPS on bypass", C, BYPASS),
    14: ("upsmgReturnFromByPass", "UPS back from bypass", K, INVERTER),
    15: ("upsmgByPassUnavailable", "UPS bypass unavailable", W, ()),
    16: ("upsmgByPassAvailable", "UPS bypass available again", K, ()),
    17: ("upsmgUtilityFailure", "UPS utility power failed", C, ()),
    18: ("upsmgUtilityRestored", "UPS utility power restored", K, ()),
    19: ("upsmgOnBoost", "UPS boosting low input voltage", W, ()),
    20: ("upsmgReturnFromBoost", "UPS no longer boosting", K, ()),
    21: ("upsmgOverLoad", "UPS overload", C, ()),
    22: ("upsmgLoadOK", "UPS overload cleared", K, ()),
    23: ("upsmgOverTemperature", "UPS over temperature", C, ()),
    24: ("upsmgTemperatureOK", "UPS temperature back to normal", K, ()),
}  # fmt: skip
"""upsmgUtilityFailure sets nothing: the UPS may still be on inverter from a healthy battery; upsmgOnBattery says so."""

LIEBERT_TRAPS: dict[int, VendorTrap] = {
    1: ("lgpEventConditionEntryAdded", "Liebert condition raised", W, ()),
    2: ("lgpEventConditionEntryRemoved", "Liebert condition cleared", K, ()),
    3: ("lgpEventLowBatteryWarning", "UPS battery low", C, LOW),
    4: ("lgpEventLoadTransferedToBypass", "UPS on bypass", C, BYPASS),
    5: ("lgpEventInternalFault", "UPS internal fault", C, ()),
    6: ("lgpEventBatteryTestFailed", "UPS battery self-test failed", W, ()),
    7: ("lgpEventOutputOverload", "UPS output overload", C, ()),
    8: ("lgpEventEstablishedPowerRedundancy", "UPS power redundancy established", K, ()),
    9: ("lgpEventLostPowerRedundancy", "UPS power redundancy lost", W, ()),
    10: ("lgpEventPowerModuleFailure", "UPS power module failed", C, ()),
    11: ("lgpEventBatteryModuleFailure", "UPS battery module failed", C, ()),
    12: ("lgpEventControlModuleFailure", "UPS control module failed", C, ()),
    13: ("lgpEventPowerModuleWarning", "UPS power module warning", W, ()),
    14: ("lgpEventBatteryModuleWarning", "UPS battery module warning", W, ()),
    15: ("lgpEventControlModuleWarning", "UPS control module warning", W, ()),
}  # fmt: skip
"""LIEBERT-GP has no "back from bypass" notification: the condition's removal (2) or the next poll clears it."""

HUAWEI_COMMON_PAIRS: dict[int, tuple[str, str, State]] = {
    3: ("hwUpsPowerStatusWarn", "UPS power supply status changed", W),
    5: ("hwUpsSwitchStatusWarn", "UPS contactor or switch status changed", W),
    7: ("hwUpsModCommFailed", "UPS module communication failed", W),
    11: ("hwUpsRecWarn", "UPS rectifier status changed", W),
    13: ("hwUpsChargerPowerWarn", "UPS charger power status changed", W),
    15: ("hwUpsGeneratorWarn", "UPS generator status changed", W),
    17: ("hwUpsInvWarn", "UPS inverter status changed", W),
    23: ("hwUpsBattDetachWarn", "UPS battery disconnected", C),
    25: ("hwUpsBattStatusWarn", "UPS battery status abnormal", W),
    29: ("hwUpsRackComFailed", "UPS rack communication failed", W),
}
"""hwUpsCommonTrapsPrefix N is the warning, N + 1 its resume (hwUps...ResumeTrap)."""

HUAWEI_ALARM_PAIRS: dict[int, tuple[str, str, State]] = {
    1: ("hwUpsModNumAlarm", "UPS power module count mismatch", W),
    3: ("hwUpsBypassUnitAlarm", "UPS bypass unit abnormal", C),
    9: ("hwUpsFanAlarm", "UPS fan abnormal", W),
    11: ("hwUpsAuxiliaryPowerAlarm", "UPS auxiliary power abnormal", W),
    17: ("hwUpsEmergencyPowerOffAlarm", "UPS emergency power off", C),
    19: ("hwUpsBypassInputAlarm", "UPS bypass input abnormal", W),
    23: ("hwUpsInternalAlarm", "UPS supervision unit internal fault", W),
    25: ("hwUpsRectifierAlarm", "UPS rectifier abnormal", C),
    27: ("hwUpsChargerAlarm", "UPS charger abnormal", W),
    29: ("hwUpsDischargerAlarm", "UPS discharger abnormal", C),
}
"""hwUpsAlarmTrapsPrefix N is the alarm, N + 1 its resume. The bypass *unit* (3) failing is not the load on
bypass: it means the UPS can no longer transfer to bypass, so it sets nothing."""


def _numbered(base: str, table: dict[int, VendorTrap]) -> dict[str, VendorTrap]:
    return {f"{base}.{number}": meaning for number, meaning in table.items()}


def _paired(base: str, pairs: dict[int, tuple[str, str, State]]) -> dict[str, VendorTrap]:
    traps: dict[str, VendorTrap] = {}
    for number, (name, message, severity) in pairs.items():
        traps[f"{base}.{number}"] = (f"{name}Trap", message, severity, ())
        traps[f"{base}.{number + 1}"] = (f"{name}ResumeTrap", f"{message}: resumed", K, ())
    return traps


VENDOR_UPS_TRAPS: dict[str, VendorTrap] = {
    **_numbered("1.3.6.1.4.1.2254.2.4.20.0", DELTA_TRAPS),
    **_numbered("1.3.6.1.4.1.705.1.11.0", MGE_TRAPS),
    **_numbered("1.3.6.1.4.1.476.1.42.3.3.0", LIEBERT_TRAPS),
    **_paired("1.3.6.1.4.1.2011.6.174.2.2.0", HUAWEI_COMMON_PAIRS),
    **_paired("1.3.6.1.4.1.2011.6.174.2.3.0", HUAWEI_ALARM_PAIRS),
}
"""Every vendor UPS trap decoded here, by its snmpTrapOID."""

__all__ = ["BYPASS", "INVERTER", "LOW", "NOT_LOW", "OFF", "ON", "TRAP_TEXT_OIDS", "VENDOR_UPS_TRAPS", "Effects"]
