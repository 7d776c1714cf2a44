"""What a received notification means: UPS-MIB, APC, Eaton XUPS and vendor UPS traps as samples, others as events.

Pure functions over plain varbinds (`(oid, int | str | bytes)`), so they are tested without a network.
Known power traps set the same metrics the SNMP poll profiles report (`ups.on_battery` 1/0,
`ups.on_bypass` 1/0 with `ups.output_source` "bypass"/"normal", `ups.battery_status` normal/low/depleted,
`ups.runtime_min`) at once, instead of at the next poll (collectors.ups_traps says which); every trap also
leaves an Event (kind "trap") for the timeline; a trap nothing here decodes also sets `trap.unknown`
(labelled by its OID), so a site can raise it as an alert. Samples are only emitted for a source mapped to
a target; traps from other sources are events of the receiver's "unmapped" target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from collectors.ups_traps import BYPASS, INVERTER, LOW, NOT_LOW, OFF, ON, TRAP_TEXT_OIDS, VENDOR_UPS_TRAPS, Effects
from dutyroom.model import Event, PollResult, Sample, State
from dutyroom.textclean import clean_text

TrapValue = int | str | bytes
VarBinds = Sequence[tuple[str, TrapValue]]

SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SNMP_TRAP_ADDRESS = "1.3.6.1.6.3.18.1.3.0"
SNMP_TRAP_COMMUNITY = "1.3.6.1.6.3.18.1.4.0"
SNMP_TRAP_ENTERPRISE = "1.3.6.1.6.3.1.1.4.3.0"
HIDDEN_VARBINDS = frozenset({SNMP_TRAP_OID, SYS_UPTIME, SNMP_TRAP_ADDRESS, SNMP_TRAP_COMMUNITY, SNMP_TRAP_ENTERPRISE})
"""Bookkeeping varbinds left out of event text; the community is a secret."""

UPS_ESTIMATED_MINUTES = "1.3.6.1.2.1.33.1.2.3.0"
UPS_MINUTES_SENTINEL = 65535
UPS_ALARM_DESCR_PREFIX = "1.3.6.1.2.1.33.1.6.2.1.2."
UPS_WELL_KNOWN_ALARMS = "1.3.6.1.2.1.33.1.6.3."
UPS_TRAP_ALARM_ADDED = "1.3.6.1.2.1.33.2.0.3"
UPS_TRAP_ALARM_REMOVED = "1.3.6.1.2.1.33.2.0.4"

UNKNOWN_TRAP_METRIC = "trap.unknown"
"""1, labelled by the trap's OID, when a mapped device sends a trap nothing here decodes: a rule on it
(`metric = "trap.unknown"`, with a `hold`) raises it as an alert of its own; without one it stays an event."""


@dataclass(frozen=True, slots=True)
class TrapMeaning:
    name: str
    message: str
    severity: State
    effects: Effects = ()


def _apc(number: int, name: str, message: str, severity: State, effects: Effects = ()) -> tuple[str, TrapMeaning]:
    return f"1.3.6.1.4.1.318.0.{number}", TrapMeaning(name, message, severity, effects)


XUPS_TRAPS: dict[int, tuple[str, str, State, Effects]] = {
    3: ("OnBattery", "UPS on battery", State.CRITICAL, ON),
    4: ("LowBattery", "UPS battery low", State.CRITICAL, LOW),
    5: ("UtilityPowerRestored", "UPS back on mains power", State.OK, OFF),
    6: ("ReturnFromLowBattery", "UPS battery no longer low", State.OK, NOT_LOW),
    11: ("OnBypass", "UPS on bypass", State.CRITICAL, BYPASS),
    17: ("OnInverter", "UPS back on inverter (off bypass)", State.OK, INVERTER),
}
"""Eaton XUPS-MIB (Powerware, 9PX/9SX/93PM cards): the v2 notifications xupstdN (534.1.11.4.1.0.N) and
the v1 traps xupstbN (enterprise 534.1, specific N; 534.1.0.0.0.N once converted) with the same numbers."""


def _xups() -> list[tuple[str, TrapMeaning]]:
    meanings = []
    for number, (name, message, severity, effects) in XUPS_TRAPS.items():
        meanings.append(
            (f"1.3.6.1.4.1.534.1.11.4.1.0.{number}", TrapMeaning(f"xupstd{name}", message, severity, effects))
        )
        meanings.append((f"1.3.6.1.4.1.534.1.0.0.0.{number}", TrapMeaning(f"xupstb{name}", message, severity, effects)))
    return meanings


KNOWN_TRAPS: dict[str, TrapMeaning] = dict(
    [
        ("1.3.6.1.2.1.33.2.0.1", TrapMeaning("upsTrapOnBattery", "UPS on battery", State.CRITICAL, ON)),
        ("1.3.6.1.2.1.33.2.0.2", TrapMeaning("upsTrapTestCompleted", "UPS self-test completed", State.OK)),
        ("1.3.6.1.6.3.1.1.5.1", TrapMeaning("coldStart", "agent restarted (cold start)", State.WARNING)),
        ("1.3.6.1.6.3.1.1.5.2", TrapMeaning("warmStart", "agent restarted (warm start)", State.WARNING)),
        ("1.3.6.1.6.3.1.1.5.3", TrapMeaning("linkDown", "link down", State.WARNING)),
        ("1.3.6.1.6.3.1.1.5.4", TrapMeaning("linkUp", "link up", State.OK)),
        (
            "1.3.6.1.6.3.1.1.5.5",
            TrapMeaning("authenticationFailure", "SNMP authentication failure", State.WARNING),
        ),
        _apc(1, "communicationLost", "UPS communication lost", State.WARNING),
        _apc(2, "upsOverload", "UPS overload", State.CRITICAL),
        _apc(3, "upsDiagnosticsFailed", "UPS self-test failed", State.WARNING),
        _apc(4, "upsDischarged", "UPS batteries discharged", State.WARNING),
        _apc(5, "upsOnBattery", "UPS on battery", State.CRITICAL, ON),
        _apc(6, "smartBoostOn", "UPS boosting low input voltage", State.WARNING),
        _apc(7, "lowBattery", "UPS battery low", State.CRITICAL, LOW),
        _apc(8, "communicationEstablished", "UPS communication restored", State.OK),
        _apc(9, "powerRestored", "UPS back on mains power", State.OK, OFF),
        _apc(10, "upsDiagnosticsPassed", "UPS self-test passed", State.OK),
        _apc(
            11,
            "returnFromLowBattery",
            "UPS battery no longer low",
            State.OK,
            NOT_LOW,
        ),
        _apc(12, "upsTurnedOff", "UPS turned off", State.CRITICAL),
        _apc(13, "upsSleeping", "UPS entering sleep mode", State.WARNING),
        _apc(14, "upsWokeUp", "UPS woke up", State.OK),
        _apc(15, "upsRebootStarted", "UPS reboot started", State.WARNING),
        _apc(17, "upsBatteryNeedsReplacement", "UPS battery needs replacement", State.WARNING),
        _apc(20, "hardwareFailureBypass", "UPS on bypass after a hardware failure", State.CRITICAL, BYPASS),
        _apc(21, "softwareBypass", "UPS on bypass (software)", State.WARNING, BYPASS),
        _apc(22, "switchedBypass", "UPS on bypass (switch)", State.WARNING, BYPASS),
        _apc(23, "returnFromBypass", "UPS back from bypass", State.OK, INVERTER),
        _apc(25, "baseFanFailure", "UPS fan failure", State.WARNING),
        *_xups(),
        *((oid, TrapMeaning(*meaning)) for oid, meaning in VENDOR_UPS_TRAPS.items()),
    ]
)

UPS_ALARM_NAMES = {
    1: "batteryBad", 2: "onBattery", 3: "lowBattery", 4: "depletedBattery", 5: "tempBad", 6: "inputBad",
    7: "outputBad", 8: "outputOverload", 9: "onBypass", 10: "bypassBad", 11: "outputOffAsRequested",
    12: "upsOffAsRequested", 13: "chargerFailed", 14: "upsOutputOff", 15: "upsSystemOff", 16: "fanFailure",
    17: "fuseFailure", 18: "generalFault", 19: "diagnosticTestFailed", 20: "communicationsLost",
    21: "awaitingPower", 22: "shutdownPending", 23: "shutdownImminent", 24: "testInProgress",
}  # fmt: skip
CRITICAL_UPS_ALARMS = frozenset({1, 2, 3, 4, 7, 8, 14, 15, 22, 23})
UPS_ALARM_ADDED_EFFECTS: dict[int, Effects] = {
    2: ON, 3: LOW, 4: (("ups.battery_status", "depleted"),), 9: BYPASS,
}  # fmt: skip
UPS_ALARM_REMOVED_EFFECTS: dict[int, Effects] = {2: OFF, 3: NOT_LOW, 9: INVERTER}


def value_text(value: TrapValue) -> str:
    """A varbind value as clean text: UTF-8 strings as themselves, other bytes as hex."""
    if isinstance(value, bytes):
        try:
            return clean_text(value.decode("utf-8"), 120)
        except UnicodeDecodeError:
            return "0x" + value[:48].hex()
    return clean_text(str(value), 120)


def _ups_alarm_meaning(trap_oid: str, varbinds: VarBinds) -> TrapMeaning | None:
    added = trap_oid == UPS_TRAP_ALARM_ADDED
    for oid, value in varbinds:
        if oid.startswith(UPS_ALARM_DESCR_PREFIX) and isinstance(value, str):
            number = value.removeprefix(UPS_WELL_KNOWN_ALARMS)
            alarm = int(number) if value.startswith(UPS_WELL_KNOWN_ALARMS) and number.isdigit() else 0
            label = UPS_ALARM_NAMES.get(alarm, clean_text(value, 60))
            if added:
                severity = State.CRITICAL if alarm in CRITICAL_UPS_ALARMS else State.WARNING
                effects = UPS_ALARM_ADDED_EFFECTS.get(alarm, ())
                return TrapMeaning("upsTrapAlarmEntryAdded", f"UPS alarm raised: {label}", severity, effects)
            effects = UPS_ALARM_REMOVED_EFFECTS.get(alarm, ())
            return TrapMeaning("upsTrapAlarmEntryRemoved", f"UPS alarm cleared: {label}", State.OK, effects)
    return None


def trap_meaning(trap_oid: str, varbinds: VarBinds) -> TrapMeaning | None:
    if trap_oid in (UPS_TRAP_ALARM_ADDED, UPS_TRAP_ALARM_REMOVED):
        return _ups_alarm_meaning(trap_oid, varbinds)
    return KNOWN_TRAPS.get(trap_oid)


def _extra_samples(meaning: TrapMeaning, varbinds: VarBinds) -> Effects:
    if meaning.name != "upsTrapOnBattery":
        return ()
    for oid, value in varbinds:
        if oid == UPS_ESTIMATED_MINUTES and isinstance(value, int) and 0 <= value < UPS_MINUTES_SENTINEL:
            return (("ups.runtime_min", float(value)),)
    return ()


def device_text(varbinds: VarBinds) -> TrapValue | None:
    """The device's own words for the trap (APC mtrapargsString, Huawei hwUpsTrapsText), if it sent them."""
    for oid, value in varbinds:
        if any(oid == text or oid == f"{text}.0" for text in TRAP_TEXT_OIDS):
            return value
    return None


def describe_varbinds(varbinds: VarBinds) -> str:
    return "; ".join(f"{oid}={value_text(value)}" for oid, value in varbinds if oid not in HIDDEN_VARBINDS)


def agent_address(varbinds: VarBinds) -> str | None:
    """The agent address a v1 trap carries (snmpTrapAddress once converted, RFC 3584) as dotted text.

    pysnmp hands it over as the four raw octets of the IpAddress, not as text: both are accepted.
    """
    value = dict(varbinds).get(SNMP_TRAP_ADDRESS)
    if isinstance(value, bytes) and len(value) == 4:
        return ".".join(str(octet) for octet in value)
    if isinstance(value, str) and value.count(".") == 3:
        return value
    return None


def decode_notification(
    varbinds: VarBinds, source: str, target: str | None, unmapped_target: str, at: float
) -> PollResult:
    """The samples and event one notification from `source` amounts to (`target` None: source not mapped)."""
    lookup = dict(varbinds)
    trap_oid = lookup.get(SNMP_TRAP_OID)
    where = "" if target is not None else f" from {clean_text(source, 60)} (no target configured)"
    owner = target if target is not None else unmapped_target
    meaning = trap_meaning(trap_oid, varbinds) if isinstance(trap_oid, str) else None
    if meaning is None:
        shown = clean_text(str(trap_oid), 80) if trap_oid is not None else "without snmpTrapOID"
        details = describe_varbinds(varbinds)
        message = clean_text(f"trap {shown}{where}" + (f": {details}" if details else ""), 400)
        event = Event(at, "trap", owner, message, State.UNKNOWN)
        if target is None:
            return PollResult(owner, at, events=(event,))
        unknown = Sample(target, UNKNOWN_TRAP_METRIC, 1.0, at, labels=(("trap", shown),))
        return PollResult(target, at, samples=(unknown,), events=(event,))
    text = device_text(varbinds)
    detail = f": {value_text(text)}" if text is not None else ""
    message = clean_text(f"{meaning.message} ({meaning.name}){where}{detail}", 400)
    event = Event(at, "trap", owner, message, meaning.severity)
    if target is None:
        return PollResult(owner, at, events=(event,))
    effects = meaning.effects + _extra_samples(meaning, varbinds)
    samples = tuple(Sample(target, metric, value, at) for metric, value in effects)
    return PollResult(target, at, samples=samples, events=(event,))
