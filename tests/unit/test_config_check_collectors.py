"""`check` asks the collectors too (issue 13.6, RELIABILITY R22): every referenced profile loads, every rule
reads a metric its targets give, the trap receiver can start, each problem at file:line:col."""

from __future__ import annotations

import asyncio
import re
from collections import namedtuple
from pathlib import Path

import httpx
import pytest

from collectors.config_check import HOST_METRICS, HTTP_METRICS, TCP_METRICS, assess_collectors, check_collectors
from collectors.factory import build_collectors
from collectors.host import HostCollector, HostReading, HostSpec
from collectors.http import HttpCollector
from collectors.http_spec import HttpTargetSpec
from collectors.setup_failure import SetupFailureCollector
from collectors.tcp import TcpCollector, TcpTargetSpec
from dutyroom.config.load import load_config
from dutyroom.model import State
from tui.cli.check import validate_all

ROOM = """\
[site]
name = "room"

[defaults]
interval = "10s"
timeout = "2s"

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16101"
profile = "{profile}"

[[target]]
id = "line"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:19001"
{rules}"""

SITE_PROFILE = """\
name = "site-ups"

[scalars]
load = "1.3.6.1.4.1.99.1.0"
temperature = "ups.temperature"

[[metric]]
name = "site.load"
value = "load"
"""


def problems(tmp_path: Path, profile: str = "ups-mib", rules: str = "", extra: str = "") -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(profile=profile, rules=rules) + extra)
    found = check_collectors(load_config(path, environ={}))
    return [str(problem).replace(str(tmp_path) + "/", "") for problem in found]


def test_a_missing_profile_is_refused_at_the_targets_profile_key(tmp_path: Path) -> None:
    found = problems(tmp_path, profile="no-such-profile")
    assert len(found) == 1
    assert found[0].startswith("checks.toml:13:11: target 'ups-a': no profile named 'no-such-profile' (installed: ")
    assert "a site's own profiles go in" in found[0]


def test_a_site_profile_with_a_non_numeric_oid_is_refused_in_the_profile_and_at_the_reference(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "site-ups.toml").write_text(SITE_PROFILE)
    assert problems(tmp_path, profile="site-ups") == [
        "checks.toml:13:11: target 'ups-a': profile 'site-ups' is invalid (profiles/site-ups.toml)",
        "profiles/site-ups.toml:5:15: scalars.temperature: not a numeric OID: 'ups.temperature'",
    ]


def test_a_bad_expression_in_a_site_profile_is_placed_at_its_value(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    text = SITE_PROFILE.replace('"ups.temperature"', '"1.3.6.1.4.1.99.2.0"').replace('"load"\n', '"load +* 2"\n')
    (tmp_path / "profiles" / "site-ups.toml").write_text(text)
    found = problems(tmp_path, profile="site-ups")
    assert found[1] == (
        "profiles/site-ups.toml:9:9: metric[0] (site.load): cannot parse expression 'load +* 2': invalid syntax"
    )


def test_a_site_profile_nested_too_deep_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "site-ups.toml").write_text('name = "site-ups"\nx = ' + "[" * 600 + "]" * 600 + "\n")
    found = problems(tmp_path, profile="site-ups")
    assert "profiles/site-ups.toml:2:" in found[1]
    assert "nested too deeply" in found[1]


def test_a_near_miss_of_a_metric_the_scope_gives_is_refused_at_the_metric(tmp_path: Path) -> None:
    rules = '\n[[rule]]\nid = "runtime"\nmetric = "ups.runtime_minutes"\nwarning = "< 10"\n'
    assert problems(tmp_path, rules=rules) == [
        "checks.toml:23:10: rule 'runtime' reads 'ups.runtime_minutes', which no target gives "
        "(did you mean 'ups.runtime_min'?)"
    ]


def test_a_rule_that_names_a_target_which_does_not_give_its_metric_is_refused_at_that_target(tmp_path: Path) -> None:
    rules = '\n[[rule]]\nid = "line-down"\nmetric = "tcp.up"\ntargets = ["line", "ups-a"]\ncritical = "== 0"\n'
    assert problems(tmp_path, rules=rules) == [
        "checks.toml:24:20: rule 'line-down' reads 'tcp.up', which target 'ups-a' does not give"
    ]


def test_a_capacity_metric_is_checked_like_a_metric(tmp_path: Path) -> None:
    rules = (
        '\n[[rule]]\nid = "headroom"\nkind = "capacity"\nmetric = "ups.load_pct"\n'
        'capacity_metric = "ups.load_pcts"\ntargets = ["ups-a"]\n'
    )
    found = problems(tmp_path, rules=rules)
    assert found == [
        "checks.toml:26:12: rule 'headroom' reads 'ups.load_pcts', which target 'ups-a' does not give"
        " (did you mean 'ups.load_pct'?)"
    ]


def test_a_rule_for_a_kind_of_device_the_room_has_none_of_waits_and_is_listed(tmp_path: Path) -> None:
    rules = '\n[[rule]]\nid = "pdu-overload"\nmetric = "pdu.current_a"\nwarning = "> 12"\n'
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(profile="ups-mib", rules=rules))
    assessed = assess_collectors(load_config(path, environ={}))
    assert assessed.problems == []
    assert assessed.waiting_rules == ["pdu-overload"]
    (tmp_path / "playbooks").mkdir()
    report = validate_all(path, now=1_780_000_000.0)  # a fixed day: the calendar warnings are not this test's
    found, summary = report.problems, report.summary
    assert found == []
    assert "1 rules wait for a target that gives their metric: pdu-overload" in summary


def test_metrics_given_by_each_kind_satisfy_rules(tmp_path: Path) -> None:
    fields = '\n[[target]]\nid = "gw"\ngroup = "trading"\nkind = "http"\nurl = "http://127.0.0.1:1/h"\n'
    fields += 'fields = { "gateway.queue" = "queue.depth" }\n'
    fields += 'prometheus = [{ metric = "md.age_s", family = "md_age_seconds" }]\n'
    fields += '\n[[target]]\nid = "here"\ngroup = "servers"\nkind = "host"\n'
    rules = "".join(
        f'\n[[rule]]\nid = "r{index}"\nmetric = "{metric}"\nwarning = "> 1"\n'
        for index, metric in enumerate(["gateway.queue", "md.age_s", "http.up", *TCP_METRICS, *HOST_METRICS])
    )
    assert problems(tmp_path, rules=fields + rules) == []


@pytest.mark.parametrize(
    ("traps", "message"),
    [
        ('listen = "udp://127.0.0.1:99999"\ncommunities = [{ env = "C" }]', "Port out of range"),
        ('listen = "tcp://127.0.0.1:162"\ncommunities = [{ env = "C" }]', "must look like udp://0.0.0.0:162"),
        ('listen = "udp://127.0.0.1:16162"', "needs a community in 'communities' (SNMP v1/v2c) or an SNMPv3 user"),
    ],
)
def test_a_trap_receiver_that_could_not_start_is_refused(tmp_path: Path, traps: str, message: str) -> None:
    found = problems(tmp_path, extra=f"\n[traps]\n{traps}\n")
    assert len(found) == 1
    assert message in found[0]
    assert found[0].startswith("checks.toml:2")


V3_CREDENTIALS = """
[credentials.v2]
version = "2c"
community = { env = "C" }

[credentials.ops-v3]
version = "3"
user = "ops"
auth = "SHA-256"
auth_key = { env = "A" }
priv = "AES"
priv_key = { env = "P" }
"""


@pytest.mark.parametrize(
    ("traps", "message", "line_offset"),
    [
        ('credentials = ["nobody"]', "no [credentials.nobody] (known: ops-v3, v2)", 0),
        ('credentials = ["v2"]', "'v2' is not an SNMPv3 user", 0),
        (
            'credentials = ["ops-v3"]\nengine_ids = ["0x12"]',
            "engine_ids: '0x12': engine id must be 5 to 32 bytes",
            1,
        ),
    ],
)
def test_trap_credentials_must_name_snmpv3_users(tmp_path: Path, traps: str, message: str, line_offset: int) -> None:
    found = trap_problems(tmp_path, traps)
    assert len(found) == 1, found
    assert message in found[0]
    line = len((ROOM.format(profile="ups-mib", rules="") + V3_CREDENTIALS).splitlines()) + 3 + line_offset
    assert re.match(rf"checks\.toml:{line}:\d+: ", found[0]), found[0]


def test_v3_trap_credentials_alone_are_enough(tmp_path: Path) -> None:
    assert trap_problems(tmp_path, 'credentials = ["ops-v3"]') == []


def trap_problems(tmp_path: Path, traps: str) -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(profile="ups-mib", rules="") + f"{V3_CREDENTIALS}\n[traps]\n{traps}\n")
    environ = {"C": "community", "A": "auth-key-1234", "P": "priv-key-1234"}
    found = check_collectors(load_config(path, environ=environ))
    return [str(problem).replace(str(tmp_path) + "/", "") for problem in found]


async def test_a_target_that_cannot_be_set_up_is_polled_as_unknown_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(ROOM.format(profile="no-such-profile", rules=""))
    built = build_collectors(load_config(path, environ={}))
    stand_in = next(collector for collector in built.collectors if collector.target_id == "ups-a")
    assert isinstance(stand_in, SetupFailureCollector)
    assert stand_in.interval_s == 10.0
    result = await stand_in.poll()
    assert result.failure is State.UNKNOWN
    assert result.reason.startswith("cannot be set up: no profile named 'no-such-profile'")
    assert built.problems == [f"ups-a: {result.reason}"]
    assert {collector.target_id for collector in built.collectors} == {"ups-a", "line"}
    await built.aclose()


CpuTimes = namedtuple("CpuTimes", "user nice system idle iowait irq softirq steal guest guest_nice")


async def test_the_host_metric_names_check_knows_are_those_the_host_collector_gives() -> None:
    def read(paths: tuple[str, ...]) -> HostReading:
        reads.append(paths)
        cpu = CpuTimes(10 * len(reads), 0, 5, 80 * len(reads), 0, 0, 0, 0, 0, 0)
        return HostReading(cpu, 40.0, (0.1, 0.2, 0.3), {"/": 50.0}, [], 100.0)

    reads: list[tuple[str, ...]] = []
    collector = HostCollector(HostSpec("here"), reader=read)
    await collector.poll()
    result = await collector.poll()
    assert {sample.metric for sample in result.samples} == HOST_METRICS


async def test_the_http_and_tcp_metric_names_check_knows_are_those_their_collectors_give() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": 1}))
    async with httpx.AsyncClient(transport=transport) as client:
        spec = HttpTargetSpec(target_id="gw", url="http://gw.invalid/health", fields={"gw.ok": "ok"})
        result = await HttpCollector(spec, client).poll()
    assert {sample.metric for sample in result.samples} == HTTP_METRICS | {"gw.ok"}

    server = await asyncio.start_server(lambda reader, writer: writer.close(), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        result = await TcpCollector(TcpTargetSpec("line", "127.0.0.1", port, 10.0, 2.0)).poll()
    assert {sample.metric for sample in result.samples} == TCP_METRICS
