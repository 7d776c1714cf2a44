"""The shipped alarm rules fire on real devices (issue 19): recordings and MIB-written walks served by snmpsim,
polled with their profile, judged by the rule exactly as the shipped checks.toml has it.

Walks that hold an alarm are served as they are. A real recording of a healthy device is served with the one
OID that reports the alarm changed (as tests/integration/snmp_agents.py does for a UPS on bypass), so the
rest of the device stays as it really reads. The engine is fed the one poll at explicit times, so a rule's
`for` (ten minutes for a door) is shown without waiting for it.
"""

from __future__ import annotations

import dataclasses
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from device_walks import MIB_WALKS, poll_once, serve_walks, walk_lines
from snmp_agents import SNMPREC_DIR

from dutyroom.config.durations import parse_duration
from dutyroom.config.load import load_config
from dutyroom.model import PollResult, State
from dutyroom.rules.alert import Check
from dutyroom.rules.engine import Engine
from tui.demo.shipped import shipped_config
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration

START = 1_780_000_000.0

CHANGED = {
    # name: (real recording, {OID: "tag|value"} set to the alarm)
    "ats-feed-lost": ("apc_ats", {"1.3.6.1.4.1.318.1.1.8.5.1.3.0": "2|1"}),  # atsStatusRedundancyState lost
    "ita2-critical": ("vertiv-ita2", {"1.3.6.1.4.1.13400.2.54.2.1.1.0": "2|2"}),  # upsSystemStatus critical
    "smt-overloaded": ("apc_smt750x-nmc2", {"1.3.6.1.4.1.318.1.1.1.4.3.3.0": "66|972"}),  # 97.2 % load
    "smu-discharging": ("huawei-smu", {"1.3.6.1.4.1.2011.6.164.1.4.2.3.0": "2|3"}),  # battery discharge
}
REAL = ["apc_ats"]
"""Real recordings served as they are."""
WALKS = [
    "apc-symmetra", "delta-ups", "huawei-ups5000", "apc-emu", "apc-netbotz", "raritan-pdu2-outlets",
    "servertech-sentry3", "servertech-sentry4", "arista-eos", "junos-dom", "h3c-comware-ext", "stulz-wib8000-states",
]  # fmt: skip

CASES = [
    # (device, profile, rule, the label of the series that fires, its state)
    ("apc-symmetra", "apc-symmetra", "ups-battery-module-fault", ("module", "1.2"), State.WARNING),
    ("apc-symmetra", "apc-symmetra", "ups-power-module-fault", ("module", "3"), State.CRITICAL),
    ("delta-ups", "delta-ups", "ups-battery-replace", None, State.WARNING),
    ("delta-ups", "delta-ups", "ups-fan-fault", None, State.WARNING),
    ("huawei-ups5000", "huawei-ups", "ups-alarm-level", ("alarm", "Bypass mode"), State.WARNING),
    ("apc_ats", "apc-ats", "ats-source2-bad", None, State.WARNING),
    ("smt-overloaded", "apc-ups", "ups-overload", None, State.CRITICAL),
    ("ita2-critical", "vertiv-ita2", "ups-system-alarm", None, State.CRITICAL),
    ("smu-discharging", "huawei-smu", "dc-on-battery", None, State.CRITICAL),
    ("ats-feed-lost", "apc-ats", "ats-redundancy-lost", None, State.CRITICAL),
    ("servertech-sentry4", "servertech-sentry4", "pdu-overload", ("line", "AA:L1"), State.WARNING),
    ("servertech-sentry3", "servertech-sentry3", "pdu-load-state", ("infeed", "Feed B"), State.WARNING),
    ("raritan-pdu2-outlets", "raritan-pdu2", "pdu-breaker-tripped", ("branch", "Row B feed"), State.CRITICAL),
    ("servertech-sentry3", "servertech-sentry3", "pdu-breaker-tripped", ("branch", "BA1"), State.CRITICAL),
    ("servertech-sentry4", "servertech-sentry4", "pdu-breaker-tripped", ("ocp", "AA:L2-L3-BR2"), State.CRITICAL),
    ("apc-emu", "apc-emu", "fire-detector-alarm", ("sensor", "Smoke detector battery room"), State.CRITICAL),
    ("apc-netbotz", "apc-netbotz", "fire-detector-alarm", ("sensor", "Smoke detector row A"), State.CRITICAL),
    ("apc-netbotz", "apc-netbotz", "door-open", ("sensor", "Rack 12 front door"), State.WARNING),
    ("raritan-pdu2-outlets", "raritan-pdu2", "door-open", ("sensor", "Rear door"), State.WARNING),
    ("arista-eos", "arista", "switch-fan-fault", ("fan", "Fan Tray 2"), State.CRITICAL),
    ("h3c-comware-ext", "h3c-comware", "switch-fan-fault", ("fan", "2"), State.CRITICAL),
    ("arista-eos", "arista", "switch-psu-fault", ("psu", "PowerSupply2"), State.CRITICAL),
    ("arista-eos", "arista", "switch-temperature-high", ("sensor", "Switch chip on-die temp sensor"), State.CRITICAL),
    ("arista-eos", "arista", "optic-rx-low", ("sensor", "DOM RX Power Sensor for Ethernet3"), State.CRITICAL),
    ("junos-dom", "juniper", "optic-rx-low", ("port", "xe-0/0/2"), State.CRITICAL),
]


def changed_recording(recording: str, values: dict[str, str]) -> str:
    lines = walk_lines(recording, SNMPREC_DIR)
    changed = [f"{line.split('|', 1)[0]}|{values[line.split('|', 1)[0]]}" if line.split("|", 1)[0] in values else line
               for line in lines]  # fmt: skip
    assert sum(old != new for old, new in zip(lines, changed, strict=True)) == len(values), recording
    return "\n".join(changed) + "\n"


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """snmpsim serving the walks and the changed recordings, one community per device."""
    if not SNMPREC_DIR.is_dir():
        pytest.skip(f"{SNMPREC_DIR} is absent")
    devices = tmp_path_factory.mktemp("alarm-devices")
    for walk in WALKS:
        shutil.copyfile(MIB_WALKS / f"{walk}.snmprec", devices / f"{walk}.snmprec")
    for recording in REAL:
        shutil.copyfile(SNMPREC_DIR / f"{recording}.snmprec", devices / f"{recording}.snmprec")
    for name, (recording, values) in CHANGED.items():
        (devices / f"{name}.snmprec").write_text(changed_recording(recording, values))
    yield from serve_walks(tmp_path_factory, sorted(path.stem for path in devices.glob("*.snmprec")), devices)


def shipped_rule(rule_id: str) -> dict[str, object]:
    document = tomllib.loads(shipped_config().read_text(encoding="utf-8"))
    (rule,) = [rule for rule in document["rule"] if rule["id"] == rule_id]
    return dict(rule)


async def poll(agent: SnmpsimAgent, device: str, profile: str) -> PollResult:
    result = await poll_once(agent, device, profile, target_id="dev")
    assert result.ok, result.reason
    return result


def at(result: PollResult, when: float) -> PollResult:
    """The same poll, as if made at `when` (the engine never reads the clock)."""
    samples = tuple(dataclasses.replace(sample, at=when) for sample in result.samples)
    return dataclasses.replace(result, at=when, samples=samples)


async def firing(agent: SnmpsimAgent, tmp_path: Path, device: str, profile: str, rule_id: str) -> list[Check]:
    """The checks of the shipped rule `rule_id` firing on one poll of `device`, once the rule's `for` has passed."""
    rule = shipped_rule(rule_id)
    address = f"udp://{agent.host}:{agent.port}"
    target = {"id": "dev", "group": "power", "kind": "snmp", "address": address, "credentials": "dev"}
    document = {
        "site": {"name": "alarm room"},
        "defaults": {"interval": "10s"},
        "credentials": {"dev": {"version": "2c", "community": {"env": "ALARM_ROOM_COMMUNITY"}}},
        "target": [{**target, "profile": profile}],
        "rule": [rule],
    }
    path = tmp_path / "checks.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    engine = Engine(load_config(path, environ={"ALARM_ROOM_COMMUNITY": device}))
    result = await poll(agent, device, profile)
    hold = parse_duration(str(rule.get("for", "0s")))
    engine.evaluate([at(result, START)], START)
    engine.evaluate([at(result, START + hold)], START + hold)
    return [check for check in engine.checks.values() if check.firing]


@pytest.mark.parametrize(("device", "profile", "rule_id", "label", "state"), CASES)
async def test_the_shipped_rule_fires_on_the_device(
    agent: SnmpsimAgent,
    tmp_path: Path,
    device: str,
    profile: str,
    rule_id: str,
    label: tuple[str, str] | None,
    state: State,
) -> None:
    fired = await firing(agent, tmp_path, device, profile, rule_id)
    assert [(check.labels[:1] or None, check.state) for check in fired] == [((label,) if label else None, state)]


async def test_a_feed_rated_above_16_a_is_not_overloaded_at_18_a(agent: SnmpsimAgent, tmp_path: Path) -> None:
    """Sentry3 Feed B draws 18.15 A, 60.5 % of its capacity: the old 16 A rule read it as critical."""
    result = await poll(agent, "servertech-sentry3", "servertech-sentry3")
    feed_b = {s.metric: s.value for s in result.samples if s.labels == (("infeed", "Feed B"),)}
    assert (feed_b["pdu.current_a"], feed_b["pdu.load_pct"]) == (18.15, 60.5)
    assert await firing(agent, tmp_path, "servertech-sentry3", "servertech-sentry3", "pdu-overload") == []


@pytest.mark.parametrize(
    ("rule_id", "state"), [("cooling-unit-off", State.WARNING), ("cooling-general-error", State.CRITICAL)]
)
async def test_the_shipped_cooling_rules_fire_on_a_stulz_unit(
    agent: SnmpsimAgent, tmp_path: Path, rule_id: str, state: State
) -> None:
    """The Stulz walk has CRAC-A1 on and healthy, CRAC-A2 and an unnamed third unit off with a general error: the
    shipped rules (written for Liebert's words) fire on both, because every family says "on/off" one way."""
    fired = await firing(agent, tmp_path, "stulz-wib8000-states", "stulz-wib8000", rule_id)
    assert sorted((check.labels[:1], check.state) for check in fired) == [
        ((("unit", "1.3.1"),), state),
        ((("unit", "CRAC-A2"),), state),
    ]
