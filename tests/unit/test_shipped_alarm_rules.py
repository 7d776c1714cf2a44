"""The shipped rules for device alarms fire on the metric names and state words the profiles give (issue 19).

Each rule is taken from the shipped checks.toml as it is and fed the value a profile decodes an alarm to
(a flag, a word, a percentage), with explicit timestamps: before its `for` has passed the alert is not firing,
after it is, with the severity the rule gives. The normal value of the same metric raises nothing.
tests/integration/test_alarm_rules_on_devices.py shows the same rules firing on walks served by snmpsim.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from dutyroom.config.durations import parse_duration
from dutyroom.config.load import load_config
from dutyroom.model import MetricValue, PollResult, Sample, State
from dutyroom.rules.engine import Engine
from tui.demo.shipped import shipped_config

START = 1_780_000_000.0


def shipped_rule(rule_id: str) -> dict[str, object]:
    document = tomllib.loads(shipped_config().read_text(encoding="utf-8"))
    (rule,) = [rule for rule in document["rule"] if rule["id"] == rule_id]
    return dict(rule)


def engine_for(tmp_path: Path, rule_id: str) -> Engine:
    document = {
        "site": {"name": "alarm rules"},
        "defaults": {"interval": "10s"},
        "target": [{"id": "dev", "group": "power", "kind": "tcp", "address": "tcp://127.0.0.1:9"}],
        "rule": [shipped_rule(rule_id)],
    }
    path = tmp_path / "checks.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return Engine(load_config(path))


def judge(engine: Engine, metric: str, value: MetricValue, at: float) -> tuple[State, bool]:
    sample = Sample("dev", metric, value, at, labels=(("sensor", "s1"),))
    engine.evaluate([PollResult("dev", at, (sample,))], at)
    (check,) = engine.checks.values()
    return check.state, check.firing


ALARMS = [
    # (rule, metric the profile gives, the alarm's value, the state it raises, a normal value)
    ("ups-battery-replace", "ups.battery_replace", 1.0, State.WARNING, 0.0),  # apc-ups, delta-ups, eaton-mge
    ("ups-battery-module-fault", "ups.battery_module_fault", 1.0, State.WARNING, 0.0),  # apc-symmetra
    ("ups-power-module-fault", "ups.power_module_fault", 1.0, State.CRITICAL, 0.0),  # apc-symmetra
    ("ups-overload", "ups.load_pct", 85.0, State.WARNING, 41.2),
    ("ups-overload", "ups.load_pct", 97.2, State.CRITICAL, 41.2),
    ("ups-system-alarm", "ups.system_status", "warning", State.WARNING, "normal"),  # vertiv-ita2
    ("ups-system-alarm", "ups.system_status", "critical", State.CRITICAL, "normal"),
    ("ups-overload-alarm", "ups.overload", 1.0, State.CRITICAL, 0.0),  # delta-ups, eaton-mge
    ("ups-general-fault", "ups.fault", 1.0, State.CRITICAL, 0.0),  # delta-ups
    ("ups-inverter-fault", "ups.inverter_fault", 1.0, State.CRITICAL, 0.0),  # delta-ups
    ("ups-rectifier-fault", "ups.rectifier_fault", 1.0, State.CRITICAL, 0.0),  # delta-ups
    ("ups-fan-fault", "ups.fan_fault", 1.0, State.WARNING, 0.0),  # delta-ups
    ("ups-over-temperature", "ups.over_temperature", 1.0, State.WARNING, 0.0),  # delta-ups, eaton-mge
    ("ups-alarm-level", "ups.alarm_level", "major", State.WARNING, "minor"),  # huawei-ups
    ("ups-alarm-level", "ups.alarm_level", "critical", State.CRITICAL, "warning"),
    ("ups-charger-fault", "ups.charger_fault", 1.0, State.WARNING, 0.0),  # delta-ups, eaton-mge
    ("ups-battery-failed", "ups.battery_fault", 1.0, State.CRITICAL, 0.0),  # eaton-mge
    ("dc-on-battery", "dc.on_battery", 1.0, State.CRITICAL, 0.0),  # huawei-smu
    ("ats-redundancy-lost", "ats.redundancy", "lost", State.CRITICAL, "redundant"),  # apc-ats
    ("ats-source1-bad", "ats.source1_quality", "phase-imbalance", State.WARNING, "good"),
    ("ats-source2-bad", "ats.source2_quality", "low-voltage", State.WARNING, "good"),
    ("pdu-overload", "pdu.load_pct", 90.6, State.WARNING, 23.0),  # servertech-sentry4 line, sentry3 infeed
    ("pdu-overload", "pdu.load_pct", 104.0, State.CRITICAL, 23.0),
    ("pdu-load-state", "pdu.load_state", "near-overload", State.WARNING, "normal"),  # apc-rpdu2
    ("pdu-load-state", "pdu.load_state", "load-high", State.WARNING, "normal"),  # servertech-sentry3
    ("pdu-load-state", "pdu.load_state", "overload", State.CRITICAL, "normal"),  # both
    ("pdu-breaker-tripped", "pdu.breaker_tripped", 1.0, State.CRITICAL, 0.0),  # raritan, servertech
    ("fire-detector-alarm", "env.fire_alarm", 1.0, State.CRITICAL, 0.0),  # apc-emu, netbotz, rittal, vertiv-dcs
    ("cooling-unit-smoke", "cooling.smoke", 1.0, State.CRITICAL, 0.0),  # apc-cooling
    ("door-open", "env.door", "open", State.WARNING, "closed"),  # netbotz, raritan, rittal-cmc3, vertiv-dcs
    ("cooling-airflow-lost", "cooling.airflow_lost", 1.0, State.CRITICAL, 0.0),  # apc-cooling
    ("cooling-unit-alarm", "cooling.general_alarm", 1.0, State.WARNING, 0.0),  # liebert-env
    ("cooling-unit-off", "cooling.system_state", "off", State.WARNING, "on"),  # liebert-env, apc-cooling, stulz
    ("cooling-condensate-full", "cooling.condensate_full", 1.0, State.WARNING, 0.0),  # apc-cooling
    ("cooling-active-alarms", "cooling.active_alarms", 2.0, State.WARNING, 0.0),  # apc-airfm
    ("cooling-general-error", "cooling.general_error", "error", State.CRITICAL, "none"),  # stulz-wib8000
    ("cooling-general-error", "cooling.general_error", "code-3", State.CRITICAL, "none"),
    ("switch-fan-fault", "switch.fan_fault", 1.0, State.CRITICAL, 0.0),  # cisco, h3c, arista, ruijie
    ("switch-psu-fault", "switch.psu_fault", 1.0, State.CRITICAL, 0.0),
    ("switch-component-down", "switch.component_down", 1.0, State.CRITICAL, 0.0),  # juniper
    ("switch-temperature-high", "sensor.temperature_headroom_c", 3.0, State.WARNING, 44.8),  # arista, h3c
    ("switch-temperature-high", "sensor.temperature_headroom_c", -3.2, State.CRITICAL, 44.8),
    ("optic-rx-low", "optic.rx_margin_db", 1.5, State.WARNING, 8.85),  # juniper, arista
    ("optic-rx-low", "optic.rx_margin_db", -1.03, State.CRITICAL, 8.85),
]


@pytest.mark.parametrize(("rule_id", "metric", "alarm", "state", "normal"), ALARMS)
def test_the_shipped_rule_fires_on_the_alarm_the_profile_decodes(
    tmp_path: Path, rule_id: str, metric: str, alarm: MetricValue, state: State, normal: MetricValue
) -> None:
    rule = shipped_rule(rule_id)
    assert rule["metric"] == metric
    hold = parse_duration(str(rule.get("for", "0s")))
    engine = engine_for(tmp_path, rule_id)
    assert judge(engine, metric, normal, START) == (State.OK, False)
    assert judge(engine, metric, alarm, START + 10) == (state, hold == 0)
    assert judge(engine, metric, alarm, START + 10 + hold) == (state, True)


def test_pdu_overload_reads_the_load_by_the_rating_not_amps(tmp_path: Path) -> None:
    """A 30 A cord drawing 20 A is 66.7 % of its rating: no alert, where the old 16 A rule fired critical."""
    assert shipped_rule("pdu-overload")["metric"] == "pdu.load_pct"
    engine = engine_for(tmp_path, "pdu-overload")
    assert judge(engine, "pdu.load_pct", round(100 * 20 / 30, 1), START) == (State.OK, False)
    assert judge(engine, "pdu.load_pct", round(100 * 26 / 30, 1), START + 10) == (State.WARNING, False)


def test_an_active_pdu_overload_ends_only_below_the_clear_level(tmp_path: Path) -> None:
    engine = engine_for(tmp_path, "pdu-overload")
    for at in (START, START + 10):
        judge(engine, "pdu.load_pct", 85.0, at)
    assert judge(engine, "pdu.load_pct", 78.0, START + 20) == (State.WARNING, True)
    assert judge(engine, "pdu.load_pct", 74.0, START + 30) == (State.OK, False)
