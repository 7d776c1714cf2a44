"""The SNMPv3 fast path against net-snmp's snmpd, differentially against pysnmp: every auth/priv combination
snmpd supports, wrong keys and unknown users as authentication states, and an engine ID that changes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from snmp_agents import MATRIX_USERS, SNMPD, Agent, start_snmpd

from collectors.snmp.client import SnmpClient
from collectors.snmp.collector import SnmpCollector, auto_transport, pysnmp_transport
from collectors.snmp.oids import Oid
from collectors.snmp.profile_model import combine_profiles
from collectors.snmp.profiles import load_profile
from collectors.snmp.runtime import acquire_runtime, release_runtime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.usm_transport import UsmTransport
from collectors.snmp.values import SnmpValue
from dutyroom.model import State

pytestmark = pytest.mark.integration

SYSTEM = [(1, 3, 6, 1, 2, 1, 1, 1, 0), (1, 3, 6, 1, 2, 1, 1, 2, 0), (1, 3, 6, 1, 2, 1, 1, 5, 0)]
IF_COLUMNS = [(1, 3, 6, 1, 2, 1, 2, 2, 1, 2), (1, 3, 6, 1, 2, 1, 2, 2, 1, 3)]
"""ifDescr and ifType: values that do not move between two reads."""


@pytest.fixture(scope="module")
def matrix_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    if not SNMPD.exists():
        pytest.skip(f"{SNMPD} is not installed")
    agent = start_snmpd(tmp_path_factory.mktemp("snmpd-matrix"), users=MATRIX_USERS)
    try:
        yield agent
    finally:
        agent.stop()


def v3_spec(agent: Agent, user: str, **overrides: object) -> SnmpTargetSpec:
    auth, auth_key, priv, priv_key = MATRIX_USERS.get(user, ("SHA", "auth-SHA-key", "", ""))
    options: dict[str, object] = {
        "version": "3", "v3_user": user, "auth_protocol": auth, "auth_key": auth_key,
        "priv_protocol": priv, "priv_key": priv_key, "timeout_s": 2.0, "retries": 0, "interval_s": 10.0,
    }  # fmt: skip
    return SnmpTargetSpec("snmpd", agent.host, agent.port, **{**options, **overrides})  # type: ignore[arg-type]


async def read_through(factory_name: str, spec: SnmpTargetSpec) -> tuple[dict[Oid, SnmpValue], dict[Oid, object]]:
    factory = {"fast": auto_transport, "pysnmp": pysnmp_transport}[factory_name]
    runtime = acquire_runtime()
    transport = factory(spec, runtime)
    try:
        client = SnmpClient(transport, version="3", timeout_s=2.0, retries=1, semaphore=runtime.semaphore)
        return await client.get(SYSTEM), dict(await client.walk(IF_COLUMNS))
    finally:
        await transport.aclose()
        release_runtime(runtime)


@pytest.mark.parametrize("user", sorted(MATRIX_USERS))
async def test_fast_path_reads_what_pysnmp_reads(matrix_agent: Agent, user: str) -> None:
    spec = v3_spec(matrix_agent, user)
    runtime = acquire_runtime()
    assert isinstance(auto_transport(spec, runtime), UsmTransport)
    release_runtime(runtime)
    fast = await read_through("fast", spec)
    reference = await read_through("pysnmp", spec)
    assert fast == reference
    assert fast[0][SYSTEM[0]].payload  # sysDescr is there
    assert fast[1][IF_COLUMNS[0]]  # and some interfaces


@pytest.mark.parametrize(
    ("user", "overrides", "words"),
    [
        ("u-sha-256-aes", {"auth_key": "not-the-auth-key"}, "wrong digest"),
        ("u-md5-des", {"auth_key": "not-the-auth-key"}, "wrong digest"),
        ("u-sha-512-aes-256", {"v3_user": "nobody-here"}, "unknown user name"),
        ("u-sha-aes-192", {"priv_key": "not-the-priv-key"}, "check the privacy key"),
        ("u-sha-384-des", {"priv_key": "not-the-priv-key"}, "check the privacy key"),
        ("u-sha-224-aes", {"priv_protocol": "DES"}, "check the privacy key"),
    ],
)
async def test_wrong_credentials_are_an_authentication_state(
    matrix_agent: Agent, user: str, overrides: dict[str, str], words: str
) -> None:
    profile = combine_profiles("linux", load_profile("ucd"))
    spec = v3_spec(matrix_agent, user, retries=1, profile=profile, **overrides)
    collector = SnmpCollector(spec, transport_factory=auto_transport)
    try:
        first = await collector.poll()
        second = await collector.poll()
        requests = collector.requests_sent
    finally:
        await collector.aclose()
    for result in (first, second):
        assert result.failure == State.UNKNOWN, result.reason
        assert result.reason.startswith("SNMPv3 authentication failed")
        assert words in result.reason
        assert "not-the" not in result.reason
    assert collector.auth_failures == 2
    assert requests == 2  # one request per poll: an authentication failure is never retried


async def test_an_engine_id_change_heals_within_two_intervals(tmp_path: Path) -> None:
    if not SNMPD.exists():
        pytest.skip(f"{SNMPD} is not installed")
    users = {"u-sha-256-aes": MATRIX_USERS["u-sha-256-aes"]}
    agent = start_snmpd(tmp_path / "card", users=users, engine_id="first-card")
    profile = combine_profiles("linux", load_profile("ucd"))
    spec = v3_spec(agent, "u-sha-256-aes", retries=1, profile=profile)
    runtime = acquire_runtime()
    transport = UsmTransport(spec, runtime)
    collector = SnmpCollector(spec, transport_factory=lambda _spec, _runtime: transport)
    try:
        before = await collector.poll()
        assert before.ok, before.reason
        agent.stop()
        agent = start_snmpd(tmp_path / "card", agent.port, users=users, engine_id="second-card")
        results = []
        for _interval in range(2):
            results.append(await collector.poll())
            if results[-1].ok:
                break
            await asyncio.sleep(spec.interval_s / 10)
        assert results[-1].ok, [result.reason for result in results]
        assert transport.discoveries == 2  # the new engine was discovered: nothing was reloaded or rebuilt
    finally:
        await collector.aclose()
        release_runtime(runtime)
        agent.stop()


async def test_an_engine_id_change_heals_on_the_pysnmp_path_too(tmp_path: Path) -> None:
    """The path the fast one leaves to pysnmp (IPv6, 3DES, a context engine): a replaced card (same address, new
    engine ID) must not stay UNKNOWN until serve restarts."""
    if not SNMPD.exists():
        pytest.skip(f"{SNMPD} is not installed")
    users = {"u-sha-des": MATRIX_USERS["u-sha-des"]}
    agent = start_snmpd(tmp_path / "card", users=users, engine_id="first-card")
    profile = combine_profiles("linux", load_profile("ucd"))
    spec = v3_spec(agent, "u-sha-des", retries=1, profile=profile)
    collector = SnmpCollector(spec, transport_factory=pysnmp_transport)
    try:
        before = await collector.poll()
        assert before.ok, before.reason
        agent.stop()
        agent = start_snmpd(tmp_path / "card", agent.port, users=users, engine_id="second-card")
        results = []
        for _interval in range(2):
            results.append(await collector.poll())
            if results[-1].ok:
                break
            await asyncio.sleep(spec.interval_s / 10)
        assert results[-1].ok, [result.reason for result in results]
    finally:
        await collector.aclose()
        agent.stop()
