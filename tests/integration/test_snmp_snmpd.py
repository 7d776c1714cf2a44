"""SnmpCollector against Debian's net-snmp snmpd on loopback: v2c, every v3 level, wrong keys, restarts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from snmp_agents import SNMPD, V3_USERS, Agent, start_snmpd

from collectors.snmp.collector import SnmpCollector
from collectors.snmp.profile_model import combine_profiles
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.model import PollResult, State

pytestmark = pytest.mark.integration


def spec_for(agent: Agent, **options: object) -> SnmpTargetSpec:
    defaults: dict[str, object] = {
        "timeout_s": 1.0, "retries": 1, "interval_s": 10.0,
        "profile": combine_profiles("linux", load_profile("ucd"), load_profile("if-mib")),
    }  # fmt: skip
    return SnmpTargetSpec("snmpd", agent.host, agent.port, **{**defaults, **options})  # type: ignore[arg-type]


async def poll_once(spec: SnmpTargetSpec) -> PollResult:
    collector = SnmpCollector(spec)
    try:
        return await collector.poll()
    finally:
        await collector.aclose()


def v3(user: str, **overrides: str) -> dict[str, object]:
    auth, auth_key, priv, priv_key = V3_USERS[user]
    names = {"AES": "AES-128"}
    options: dict[str, object] = {
        "version": "3", "v3_user": user, "auth_protocol": auth, "auth_key": auth_key,
        "priv_protocol": names.get(priv, priv), "priv_key": priv_key,
    }  # fmt: skip
    return {**options, **overrides}


def metric(result: PollResult, name: str) -> list[float | str]:
    return [sample.value for sample in result.samples if sample.metric == name]


async def test_v2c_polls_memory_load_and_interfaces(snmpd_agent: Agent) -> None:
    result = await poll_once(spec_for(snmpd_agent, community="public"))
    assert result.ok, result.reason
    assert 0 < metric(result, "host.mem_avail_pct")[0] <= 100  # type: ignore[operator]
    assert metric(result, "host.load1")
    oper = {dict(s.labels)["ifname"]: s.value for s in result.samples if s.metric == "if.oper_status"}
    assert oper["lo"] == "up"


@pytest.mark.parametrize("user", ["ops256", "ops512", "opsmd5", "opsauth"])
async def test_v3_levels_and_protocols(snmpd_agent: Agent, user: str) -> None:
    result = await poll_once(spec_for(snmpd_agent, **v3(user)))
    assert result.ok, result.reason
    assert metric(result, "host.mem_total_mb")


@pytest.mark.parametrize(
    ("user", "overrides", "words"),
    [
        ("ops256", {"auth_key": "not-the-auth-key"}, "wrong digest"),
        ("ops512", {"auth_key": "not-the-auth-key-either"}, "wrong digest"),
        ("ops256", {"v3_user": "nobody-here"}, "unknown user name"),
    ],
)
async def test_v3_wrong_credentials_are_an_authentication_failure(
    snmpd_agent: Agent, user: str, overrides: dict[str, str], words: str
) -> None:
    # A timeout well above a loaded machine's REPORT round trip (key localisation included), so the duration
    # check below tells "answered by a REPORT" from "timed out" even when the suite runs in parallel.
    spec = spec_for(snmpd_agent, **v3(user, **overrides), timeout_s=3.0)
    collector = SnmpCollector(spec)
    result = await collector.poll()
    second = await collector.poll()
    requests = collector.requests_sent
    await collector.aclose()
    assert result.failure == State.UNKNOWN
    assert result.reason.startswith("SNMPv3 authentication failed")
    assert words in result.reason
    assert "no reply" not in result.reason
    assert overrides.get("auth_key", "\0") not in result.reason
    assert result.duration_s < spec.timeout_s  # answered by a REPORT, not a timeout
    assert second.failure == State.UNKNOWN
    assert collector.auth_failures == 2
    assert requests == 2  # one GET per poll: an authentication failure is never retried


async def test_v3_wrong_privacy_key_is_not_a_success(snmpd_agent: Agent) -> None:
    spec = spec_for(snmpd_agent, **v3("ops256", priv_key="not-the-priv-key"))
    result = await poll_once(spec)
    assert result.failure is not None
    assert "not-the-priv-key" not in result.reason


async def test_rates_from_a_live_agent_are_sane(snmpd_agent: Agent) -> None:
    collector = SnmpCollector(spec_for(snmpd_agent, community="public", interfaces=("lo",)))
    try:
        first = await collector.poll()
        await asyncio.sleep(1.2)
        second = await collector.poll()
    finally:
        await collector.aclose()
    assert first.ok, first.reason
    assert second.ok, second.reason
    assert not metric(first, "if.in_bps")
    speed_bps = float(metric(second, "if.speed_mbps")[0]) * 1e6
    # lo is shared with everything else on this machine: a rate is either sane or rejected, never wild
    for rate in metric(second, "if.in_bps") + metric(second, "if.out_bps"):
        assert 0 <= float(rate) <= 1.1 * speed_bps


async def test_agent_restart_is_an_event(tmp_path: Path) -> None:
    if not SNMPD.exists():
        pytest.skip("/usr/sbin/snmpd is not installed")
    agent = start_snmpd(tmp_path)
    collector = SnmpCollector(spec_for(agent, community="public", interfaces=("lo",)))
    try:
        assert (await collector.poll()).ok
        agent.stop()
        agent = start_snmpd(tmp_path, agent.port)
        result = await collector.poll()
    finally:
        await collector.aclose()
        agent.stop()
    assert result.ok, result.reason
    assert [event.kind for event in result.events] == ["agent-restarted"]
    assert "snmpEngineBoots" in result.events[0].message or "sysUpTime" in result.events[0].message
    assert not metric(result, "if.in_bps")  # re-baselined: no rate across a restart


async def test_same_user_with_different_keys_on_one_loop(snmpd_agent: Agent) -> None:
    """pysnmp keeps one USM entry per user name and engine: a wrong key must not spoil the right one."""
    right = SnmpCollector(spec_for(snmpd_agent, **v3("ops256")))
    wrong = SnmpCollector(spec_for(snmpd_agent, **v3("ops256", auth_key="a-wrong-auth-key")))
    try:
        results = await asyncio.gather(right.poll(), wrong.poll(), right.poll())
        again = await asyncio.gather(wrong.poll(), right.poll())
    finally:
        await right.aclose()
        await wrong.aclose()
    assert results[0].ok, results[0].reason
    assert results[1].failure == State.UNKNOWN
    assert again[0].failure == State.UNKNOWN
    assert again[1].ok, again[1].reason
