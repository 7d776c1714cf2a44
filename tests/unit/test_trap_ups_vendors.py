"""Vendor UPS traps (Delta, MGE, Liebert, Huawei) decode to the metrics the poll profiles report.

The OIDs here are written from each MIB's text (TRAP-TYPE enterprise + .0 + specific for the v1 ones).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from collectors.trap_mapping import SNMP_TRAP_OID, SYS_UPTIME, decode_notification
from collectors.ups_traps import VENDOR_UPS_TRAPS
from dutyroom.config.load import load_config
from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase
from dutyroom.rules.engine import Engine

DELTA = "1.3.6.1.4.1.2254.2.4.20.0"
MGE = "1.3.6.1.4.1.705.1.11.0"
LIEBERT = "1.3.6.1.4.1.476.1.42.3.3.0"
HUAWEI_COMMON = "1.3.6.1.4.1.2011.6.174.2.2.0"
HUAWEI_ALARM = "1.3.6.1.4.1.2011.6.174.2.3.0"
BYPASS = {"ups.on_bypass": 1.0, "ups.output_source": "bypass"}
BACK = {"ups.on_bypass": 0.0, "ups.output_source": "normal"}


def decode(trap_oid: str, *extra: tuple[str, int | str | bytes]) -> tuple[dict[str, float | str], str, State]:
    result = decode_notification([(SYS_UPTIME, 1), (SNMP_TRAP_OID, trap_oid), *extra], "10.1.0.9", "ups-a", "x", 1.0)
    (event,) = result.events
    return {sample.metric: sample.value for sample in result.samples}, event.message, event.severity


@pytest.mark.parametrize(
    ("trap", "samples", "severity", "name"),
    [
        (f"{DELTA}.3", {"ups.on_battery": 1.0}, State.CRITICAL, "dupsPowerFail"),
        (f"{DELTA}.4", {"ups.on_battery": 0.0}, State.OK, "dupsPowerRestored"),
        (f"{DELTA}.5", {"ups.battery_status": "low"}, State.CRITICAL, "dupsLowBattery"),
        (f"{DELTA}.11", BYPASS, State.CRITICAL, "dupsLoadOnBypass"),
        (f"{DELTA}.12", BACK, State.OK, "dupsNoLongerLoadOnBypass"),
        (f"{DELTA}.21", {}, State.CRITICAL, "dupsOutputOverload"),
        (f"{MGE}.11", {"ups.on_battery": 1.0}, State.CRITICAL, "upsmgOnBattery"),
        (f"{MGE}.12", {"ups.on_battery": 0.0}, State.OK, "upsmgReturnFromBattery"),
        (f"{MGE}.5", {"ups.battery_status": "low"}, State.CRITICAL, "upsmgAtLowBattery"),
        (f"{MGE}.13", BYPASS, State.CRITICAL, "upsmgOnByPass"),
        (f"{MGE}.14", BACK, State.OK, "upsmgReturnFromByPass"),
        (f"{MGE}.17", {}, State.CRITICAL, "upsmgUtilityFailure"),
        (f"{LIEBERT}.3", {"ups.battery_status": "low"}, State.CRITICAL, "lgpEventLowBatteryWarning"),
        (f"{LIEBERT}.4", BYPASS, State.CRITICAL, "lgpEventLoadTransferedToBypass"),
        (f"{LIEBERT}.10", {}, State.CRITICAL, "lgpEventPowerModuleFailure"),
        (f"{HUAWEI_COMMON}.23", {}, State.CRITICAL, "hwUpsBattDetachWarnTrap"),
        (f"{HUAWEI_COMMON}.24", {}, State.OK, "hwUpsBattDetachWarnResumeTrap"),
        (f"{HUAWEI_ALARM}.3", {}, State.CRITICAL, "hwUpsBypassUnitAlarmTrap"),
        (f"{HUAWEI_ALARM}.4", {}, State.OK, "hwUpsBypassUnitAlarmResumeTrap"),
    ],
)
def test_vendor_ups_traps(trap: str, samples: dict[str, float | str], severity: State, name: str) -> None:
    got, message, got_severity = decode(trap)
    assert got == samples
    assert got_severity is severity
    assert f"({name})" in message


def test_huawei_trap_text_is_shown_clean_with_or_without_its_instance() -> None:
    text = "1.3.6.1.4.1.2011.6.174.2.1.6"
    for oid in (text, f"{text}.0"):
        _, message, _ = decode(f"{HUAWEI_COMMON}.3", (oid, "Power supply: bypass\x1b[31m"))
        assert message == ("UPS power supply status changed (hwUpsPowerStatusWarnTrap): Power supply: bypass\\x1b[31m")


def test_every_vendor_trap_has_a_name_a_message_and_a_resume_that_is_ok() -> None:
    assert len(VENDOR_UPS_TRAPS) == 32 + 24 + 15 + 20 + 20
    for oid, (name, message, severity, _effects) in VENDOR_UPS_TRAPS.items():
        assert name, oid
        assert message, oid
        if "Resume" in name or "Return" in name or "NoLonger" in name or name.endswith("OK"):
            assert severity is State.OK, name


SHIPPED_RULE = Path(__file__).resolve().parents[2] / "checks.toml"
ROOM = """
[site]
name = "bypass traps"
[defaults]
interval = "10s"
[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "delta-ups"
trap_sources = ["10.1.0.9"]
"""


@pytest.mark.parametrize(("on", "off"), [(f"{DELTA}.11", f"{DELTA}.12"), (f"{MGE}.13", f"{MGE}.14")])
def test_a_bypass_trap_fires_the_shipped_ups_on_bypass_rule_and_its_return_resolves_it(
    tmp_path: Path, on: str, off: str
) -> None:
    (rule,) = [rule for rule in tomllib.loads(SHIPPED_RULE.read_text())["rule"] if rule["id"] == "ups-on-bypass"]
    rule.pop("playbook")  # the rule as shipped, without the playbook file this room has not got
    path = tmp_path / "checks.toml"
    path.write_text(ROOM + "\n" + tomli_w.dumps({"rule": [rule]}))
    engine = Engine(load_config(path))
    at = 1_800_000_000.0

    def received(trap_oid: str, when: float) -> None:
        varbinds = [(SYS_UPTIME, 1), (SNMP_TRAP_OID, trap_oid)]
        engine.evaluate([decode_notification(varbinds, "10.1.0.9", "ups-a", "x", when)], when)

    received(on, at)
    (check,) = engine.checks.values()
    assert (check.phase, check.state) == (AlertPhase.FIRING, State.CRITICAL)
    received(off, at + 5)
    assert check.phase is AlertPhase.RESOLVED
