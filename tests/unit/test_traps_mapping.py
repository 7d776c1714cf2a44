"""Decoding notifications: UPS-MIB and APC traps into samples, everything else into clean events."""

from __future__ import annotations

import pytest

from collectors.trap_mapping import (
    SNMP_TRAP_ADDRESS,
    SNMP_TRAP_OID,
    SYS_UPTIME,
    VarBinds,
    agent_address,
    decode_notification,
)
from collectors.trap_spec import TrapReceiverSpec, TrapV3User, engine_id_bytes
from dutyroom.model import State

AT = 1_760_000_000.0
BYPASS_WORD = {"ups.on_bypass": 1.0, "ups.output_source": "bypass"}
"""A bypass trap sets the word the shipped ups-on-bypass rule reads, not only the flag."""
BACK_WORD = {"ups.on_bypass": 0.0, "ups.output_source": "normal"}


def notification(trap_oid: str, *extra: tuple[str, int | str | bytes]) -> VarBinds:
    return [(SYS_UPTIME, 12345), (SNMP_TRAP_OID, trap_oid), *extra]


def decode(varbinds: VarBinds, target: str | None = "ups-a") -> tuple[dict[str, float | str], str, State]:
    result = decode_notification(varbinds, "10.1.0.21", target, "snmp-traps", AT)
    assert result.ok
    (event,) = result.events
    assert event.kind == "trap"
    assert event.at == AT
    return {s.metric: s.value for s in result.samples}, event.message, event.severity


def test_ups_mib_on_battery_sets_on_battery_and_runtime() -> None:
    samples, message, severity = decode(
        notification("1.3.6.1.2.1.33.2.0.1", ("1.3.6.1.2.1.33.1.2.3.0", 42), ("1.3.6.1.2.1.33.1.2.2.0", 30))
    )
    assert samples == {"ups.on_battery": 1.0, "ups.runtime_min": 42.0}
    assert message == "UPS on battery (upsTrapOnBattery)"
    assert severity is State.CRITICAL


def test_runtime_sentinel_is_not_a_sample() -> None:
    samples, _, _ = decode(notification("1.3.6.1.2.1.33.2.0.1", ("1.3.6.1.2.1.33.1.2.3.0", 65535)))
    assert samples == {"ups.on_battery": 1.0}


@pytest.mark.parametrize(
    ("trap", "expected", "severity"),
    [
        ("1.3.6.1.4.1.318.0.5", {"ups.on_battery": 1.0}, State.CRITICAL),
        ("1.3.6.1.4.1.318.0.9", {"ups.on_battery": 0.0}, State.OK),
        ("1.3.6.1.4.1.318.0.7", {"ups.battery_status": "low"}, State.CRITICAL),
        ("1.3.6.1.4.1.318.0.11", {"ups.battery_status": "normal"}, State.OK),
        ("1.3.6.1.4.1.318.0.2", {}, State.CRITICAL),
    ],
)
def test_apc_traps(trap: str, expected: dict[str, float | str], severity: State) -> None:
    samples, _, got_severity = decode(notification(trap))
    assert samples == expected
    assert got_severity is severity


def test_apc_trap_text_is_cleaned_into_the_message() -> None:
    _, message, _ = decode(notification("1.3.6.1.4.1.318.0.5", ("1.3.6.1.4.1.318.2.3.3.0", b"UPS: On\x1b[2J battery")))
    assert message == "UPS on battery (upsOnBattery): UPS: On\\x1b[2J battery"


@pytest.mark.parametrize(
    ("trap", "alarm", "expected", "message"),
    [
        ("1.3.6.1.2.1.33.2.0.3", 2, {"ups.on_battery": 1.0}, "UPS alarm raised: onBattery"),
        ("1.3.6.1.2.1.33.2.0.4", 2, {"ups.on_battery": 0.0}, "UPS alarm cleared: onBattery"),
        ("1.3.6.1.2.1.33.2.0.3", 3, {"ups.battery_status": "low"}, "UPS alarm raised: lowBattery"),
        ("1.3.6.1.2.1.33.2.0.3", 4, {"ups.battery_status": "depleted"}, "UPS alarm raised: depletedBattery"),
        ("1.3.6.1.2.1.33.2.0.4", 3, {"ups.battery_status": "normal"}, "UPS alarm cleared: lowBattery"),
        ("1.3.6.1.2.1.33.2.0.3", 16, {}, "UPS alarm raised: fanFailure"),
    ],
)
def test_ups_mib_alarm_table_traps(trap: str, alarm: int, expected: dict[str, float | str], message: str) -> None:
    descr = ("1.3.6.1.2.1.33.1.6.2.1.2.7", f"1.3.6.1.2.1.33.1.6.3.{alarm}")
    samples, got_message, _ = decode(notification(trap, ("1.3.6.1.2.1.33.1.6.2.1.1.7", 7), descr))
    assert samples == expected
    assert got_message.startswith(message)


def test_unknown_trap_is_an_event_with_clean_varbinds_and_no_community() -> None:
    varbinds = notification(
        "1.3.6.1.4.1.9999.0.1",
        ("1.3.6.1.6.3.18.1.4.0", b"s3cret-community"),
        ("1.3.6.1.4.1.9999.1.1", b"door\x1b]0;pwned\x07 open"),
        ("1.3.6.1.4.1.9999.1.2", b"\x00\x1b\xff\xfe"),
        ("1.3.6.1.4.1.9999.1.3", 7),
    )
    result = decode_notification(varbinds, "10.1.0.21", "env-1", "snmp-traps", AT)
    (event,) = result.events
    (unknown,) = result.samples  # a known source: trap.unknown, so a rule can raise it as an alert
    assert (unknown.target, unknown.metric, unknown.value) == ("env-1", "trap.unknown", 1.0)
    assert unknown.labels == (("trap", "1.3.6.1.4.1.9999.0.1"),)
    assert event.severity is State.UNKNOWN
    assert "s3cret-community" not in event.message
    assert "\x1b" not in event.message
    assert event.message == (
        "trap 1.3.6.1.4.1.9999.0.1: 1.3.6.1.4.1.9999.1.1=door\\x1b]0;pwned\\x07 open; "
        "1.3.6.1.4.1.9999.1.2=0x001bfffe; 1.3.6.1.4.1.9999.1.3=7"
    )


def test_unmapped_source_gives_an_event_but_no_samples() -> None:
    result = decode_notification(notification("1.3.6.1.4.1.318.0.5"), "10.9.9.9", None, "snmp-traps", AT)
    assert result.target == "snmp-traps"
    assert result.samples == ()
    assert result.events[0].message == "UPS on battery (upsOnBattery) from 10.9.9.9 (no target configured)"


def test_notification_without_trap_oid() -> None:
    result = decode_notification([(SYS_UPTIME, 1)], "10.1.0.21", "ups-a", "snmp-traps", AT)
    assert result.events[0].message == "trap without snmpTrapOID"


def test_receiver_spec_hides_secrets_and_checks_users() -> None:
    user = TrapV3User("ops", auth_key="authpass123", priv_key="privpass123", sender_engine_ids=("0x8000000001",))
    spec = TrapReceiverSpec(communities=("public-secret",), v3_users=(user,))
    assert "authpass123" not in repr(spec)
    assert "privpass123" not in repr(spec)
    assert "public-secret" not in repr(spec)
    with pytest.raises(ValueError, match="unknown auth protocol"):
        TrapV3User("ops", auth_protocol="SHA-1024", auth_key="authpass123")
    with pytest.raises(ValueError, match="at least 8"):
        TrapV3User("ops", auth_key="short", priv_key="privpass123")
    with pytest.raises(ValueError, match="5 to 32 bytes"):
        engine_id_bytes("0x0102")
    with pytest.raises(ValueError, match="at least one community"):
        TrapReceiverSpec()


def test_the_v1_agent_address_is_read_from_raw_octets_or_text() -> None:
    assert agent_address([(SNMP_TRAP_ADDRESS, b"\n\x14\x1e(")]) == "10.20.30.40"  # as pysnmp hands it over
    assert agent_address([(SNMP_TRAP_ADDRESS, "10.20.30.40")]) == "10.20.30.40"
    assert agent_address([(SNMP_TRAP_ADDRESS, b"\x01\x02")]) is None
    assert agent_address([]) is None


@pytest.mark.parametrize(
    ("trap", "expected", "severity"),
    [
        # APC PowerNet: the three bypass causes and the way back set the metric apc-ups polls
        ("1.3.6.1.4.1.318.0.20", BYPASS_WORD, State.CRITICAL),
        ("1.3.6.1.4.1.318.0.21", BYPASS_WORD, State.WARNING),
        ("1.3.6.1.4.1.318.0.22", BYPASS_WORD, State.WARNING),
        ("1.3.6.1.4.1.318.0.23", BACK_WORD, State.OK),
        # Eaton XUPS-MIB, as xupstd (v2 notification) and xupstb (v1 trap converted, RFC 3584)
        ("1.3.6.1.4.1.534.1.11.4.1.0.3", {"ups.on_battery": 1.0}, State.CRITICAL),
        ("1.3.6.1.4.1.534.1.11.4.1.0.4", {"ups.battery_status": "low"}, State.CRITICAL),
        ("1.3.6.1.4.1.534.1.11.4.1.0.5", {"ups.on_battery": 0.0}, State.OK),
        ("1.3.6.1.4.1.534.1.11.4.1.0.6", {"ups.battery_status": "normal"}, State.OK),
        ("1.3.6.1.4.1.534.1.11.4.1.0.11", BYPASS_WORD, State.CRITICAL),
        ("1.3.6.1.4.1.534.1.11.4.1.0.17", BACK_WORD, State.OK),
        ("1.3.6.1.4.1.534.1.0.0.0.3", {"ups.on_battery": 1.0}, State.CRITICAL),
        ("1.3.6.1.4.1.534.1.0.0.0.11", BYPASS_WORD, State.CRITICAL),
    ],
)
def test_vendor_bypass_battery_traps(trap: str, expected: dict[str, float | str], severity: State) -> None:
    samples, _, got_severity = decode(notification(trap))
    assert samples == expected
    assert got_severity is severity


def test_ups_mib_on_bypass_alarm_sets_and_clears_on_bypass() -> None:
    alarm = ("1.3.6.1.2.1.33.1.6.2.1.2.7", "1.3.6.1.2.1.33.1.6.3.9")
    raised, message, _ = decode(notification("1.3.6.1.2.1.33.2.0.3", alarm))
    assert raised == BYPASS_WORD
    assert message == "UPS alarm raised: onBypass (upsTrapAlarmEntryAdded)"
    cleared, _, severity = decode(notification("1.3.6.1.2.1.33.2.0.4", alarm))
    assert cleared == BACK_WORD
    assert severity is State.OK
