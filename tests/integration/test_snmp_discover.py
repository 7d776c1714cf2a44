"""Discovery against snmpsim's recordings: the right profile for each device, and a stanza tomli-w writes."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w

from collectors.discover import checks_stanza, discover
from collectors.snmp.probe import probe_snmp
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.model import State
from tui.demo.snmpsim_agent import SnmpsimAgent

pytestmark = pytest.mark.integration


def spec(agent: SnmpsimAgent, community: str, **options: object) -> SnmpTargetSpec:
    defaults: dict[str, object] = {"timeout_s": 3.0, "retries": 1, "interval_s": 30.0}
    return SnmpTargetSpec("d", agent.host, agent.port, community=community, **{**defaults, **options})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recording", "primary", "also"),
    [
        ("apc_smt750x-nmc2", "apc-ups", {"if-mib"}),
        ("eaton-mgeups_93ps", "eaton-mge", {"ups-mib"}),
        ("liebert_apm", "ups-mib", set()),
        ("apc_ap8959eu3", "apc-rpdu2", set()),
        ("apc_inrow-dx", "apc-cooling", {"if-mib"}),
        ("akcp_serverprobe8", "akcp-sensorprobe", set()),
        ("iosxe_asr920", "if-mib", set()),
        ("linux_powermon", "ucd", {"host-resources", "if-mib"}),
        ("test_entity_sensor", "entity-sensor", set()),
    ],
)
async def test_discovery_recognises_the_device(
    snmpsim_agent: SnmpsimAgent, recording: str, primary: str, also: set[str]
) -> None:
    result = await discover(spec(snmpsim_agent, recording))
    assert result.ok, result.reason
    assert result.profiles[0] == primary
    assert also <= set(result.profiles)


async def test_stanza_for_a_switch_lists_its_up_interfaces(snmpsim_agent: SnmpsimAgent) -> None:
    result = await discover(spec(snmpsim_agent, "vrp_ar169sfp"))
    assert result.sys_object_id == "1.3.6.1.4.1.2011.2.224.62"
    assert result.sys_descr.startswith("Huawei AR169F")
    assert "GigabitEthernet0/0/1" in result.interfaces_up
    assert "GigabitEthernet0/0/2" not in result.interfaces_up
    stanza = checks_stanza(result, target_id="edge-r1", credentials="ops-v3", known_playbooks={"core-switch-down"})
    document = tomllib.loads(tomli_w.dumps(stanza))
    [target] = document["target"]
    assert target["profile"] == "huawei-vrp"  # its ports through if-mib, which it extends
    assert target["address"] == f"udp://127.0.0.1:{snmpsim_agent.port}"
    assert target["credentials"] == "ops-v3"
    rules = {rule["id"]: rule for rule in document["rule"]}
    assert rules["edge-r1-link-down"]["playbook"] == "core-switch-down"
    assert "playbook" not in rules["edge-r1-link-congested"]  # unknown playbook: left out, never dangling
    assert all(rule["targets"] == ["edge-r1"] for rule in rules.values())


async def test_discovery_of_a_silent_host_is_unreachable(snmpsim_agent: SnmpsimAgent) -> None:
    result = await discover(spec(snmpsim_agent, "no-such-community", timeout_s=0.3, retries=0, interval_s=5.0))
    assert result.failure == State.UNREACHABLE
    assert "rule" not in checks_stanza(result, target_id="x")  # no `rule = []` to land inside a pasted table


async def test_probe_polls_once(snmpsim_agent: SnmpsimAgent) -> None:
    result = await probe_snmp(spec(snmpsim_agent, "apc_smt750x-nmc2", profile=load_profile("apc-ups")))
    assert result.ok, result.reason
    assert {sample.metric for sample in result.samples} >= {"ups.runtime_min", "ups.on_battery"}
