"""Every malformed checks.toml case is reported as file:line:col, all at once, and `check` exits 1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from dutyroom.config.types import SnmpTarget, TcpTarget, ThresholdRule
from tui.cli.main import main

BASE = """\
[site]
name = "room"

[defaults]
interval = "10s"
timeout = "2s"

[groups.power]
label = "Power"

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:161"
profile = "ups-mib"

[[target]]
id = "sw1"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:162"
profile = "if-mib"
depends_on = ["ups-a"]

[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(text)
    try:
        load_config(path, environ={})
    except ConfigError as error:
        return [str(problem).replace(str(path), "checks.toml") for problem in error.problems]
    return []


def test_the_base_config_is_valid(tmp_path: Path) -> None:
    assert problems_of(tmp_path, BASE) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ('kind = "snmp"\naddress = "udp://127.0.0.1:161"', 'kind = "snmp"\naddress = '),
            "checks.toml:15:11: TOML syntax error: Invalid value",
            id="syntax",
        ),
        pytest.param(
            ('profile = "ups-mib"', 'profile = "ups-mib"\nintervall = "5s"'),
            "checks.toml:17:1: unknown key 'intervall' in [target] (did you mean 'interval'?)",
            id="unknown-key",
        ),
        pytest.param(
            ('timeout = "2s"', "timeout = 2"),
            "checks.toml:6:11: Expected `str`, got `int` for 'defaults.timeout'",
            id="wrong-type",
        ),
        pytest.param(
            ('id = "sw1"', 'id = "ups-a"'),
            "checks.toml:19:1: duplicate target id 'ups-a' (first defined at line 12)",
            id="duplicate-id",
        ),
        pytest.param(
            ('depends_on = ["ups-a"]', 'depends_on = ["ups-b"]'),
            "checks.toml:24:1: target 'sw1' depends on unknown target 'ups-b'",
            id="dangling-depends-on",
        ),
        pytest.param(
            ('profile = "ups-mib"', 'profile = "ups-mib"\ndepends_on = ["sw1"]'),
            "checks.toml:17:1: dependency cycle: ups-a -> sw1 -> ups-a",
            id="cycle",
        ),
        pytest.param(
            ('interval = "10s"', 'interval = "10 seconds"'),
            "checks.toml:5:12: bad duration '10 seconds' (use e.g. 30s, 5m, 1h30m, 365d)",
            id="bad-duration",
        ),
        pytest.param(
            ('critical = "== 1"', 'critical = "=> 1"'),
            "checks.toml:29:12: bad condition '=> 1' (write an operator and a value, e.g. '> 80', '== 1', '!= \"up\"')",
            id="bad-expression",
        ),
        pytest.param(
            ('timeout = "2s"', 'timeout = "5s"'),
            "checks.toml:12:1: target 'ups-a': timeout x attempts (5s x 2) must be below the interval (10s)",
            id="timeout-not-below-interval",
        ),
        pytest.param(
            (
                'group = "power"\nkind = "snmp"\naddress = "udp://127.0.0.1:162"',
                'group = "cooling"\nkind = "snmp"\naddress = "udp://127.0.0.1:162"',
            ),
            "checks.toml:20:9: target 'sw1' names unknown group 'cooling'",
            id="dangling-group",
        ),
    ],
)
def test_each_malformed_case_names_its_place(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in BASE
    problems = problems_of(tmp_path, BASE.replace(old, new, 1))
    assert expected in problems, problems


SW1_AS_TCP = (
    'kind = "snmp"\naddress = "udp://127.0.0.1:162"\nprofile = "if-mib"',
    'kind = "tcp"\naddress = "tcp://127.0.0.1:9001"',
)
UPS_A_AS_HTTP = (
    'kind = "snmp"\naddress = "udp://127.0.0.1:161"\nprofile = "ups-mib"',
    'kind = "http"\nurl = "http://127.0.0.1:8080/health"',
)


def changed(*changes: tuple[str, str]) -> str:
    text = BASE
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            changed(('profile = "ups-mib"', 'profile = "ups-mib"\nurl = "http://10.0.0.1/"')),
            "checks.toml:17:1: 'url' is not a key of snmp targets (http and alertmanager targets have it)",
            id="snmp-target-with-url",
        ),
        pytest.param(
            changed(SW1_AS_TCP, ('depends_on = ["ups-a"]', 'interfaces = ["GE1/0/1"]')),
            "checks.toml:23:1: 'interfaces' is not a key of tcp targets (snmp targets have it)",
            id="tcp-target-with-interfaces",
        ),
        pytest.param(
            changed(
                UPS_A_AS_HTTP, ('url = "http://127.0.0.1:8080/health"', 'url = "http://127.0.0.1:8080/"\nprofile = "x"')
            ),
            "checks.toml:16:1: 'profile' is not a key of http targets (snmp targets have it)",
            id="http-target-with-profile",
        ),
        pytest.param(
            changed(
                UPS_A_AS_HTTP,
                ('url = "http://127.0.0.1:8080/health"', 'url = "http://127.0.0.1:8080/"\ncommunity = "x"'),
            ),
            "checks.toml:16:1: unknown key 'community' in [target]",
            id="http-target-with-community",
        ),
        pytest.param(
            changed(('profile = "ups-mib"', 'profile = "ups-mib"\nmounts = ["/"]')),
            "checks.toml:17:1: 'mounts' is not a key of snmp targets (host targets have it)",
            id="snmp-target-with-mounts",
        ),
        pytest.param(
            changed(SW1_AS_TCP, ('depends_on = ["ups-a"]', 'trap_sources = ["10.0.0.1"]')),
            "checks.toml:23:1: 'trap_sources' is not a key of tcp targets (snmp and trap targets have it)",
            id="tcp-target-with-trap-sources",
        ),
        pytest.param(
            changed(SW1_AS_TCP, ('depends_on = ["ups-a"]', "retries = 3")),
            "checks.toml:23:1: 'retries' is not a key of tcp targets (snmp targets have it)",
            id="tcp-target-with-retries",
        ),
        pytest.param(
            changed((SW1_AS_TCP[0], 'kind = "trap"\ntrap_sources = ["10.0.0.2"]\ninterval = "5s"')),
            "checks.toml:23:1: 'interval' is not a key of trap targets"
            " (snmp, http, tcp, host and alertmanager targets have it)",
            id="trap-target-with-interval",
        ),
        pytest.param(
            changed(
                ('kind = "snmp"\naddress = "udp://127.0.0.1:161"', 'kind = "snmpp"\naddress = "udp://127.0.0.1:161"')
            ),
            "checks.toml:14:8: unknown kind 'snmpp' in [target] (use snmp, http, tcp, host, trap or alertmanager)",
            id="unknown-target-kind",
        ),
        pytest.param(
            changed(('kind = "snmp"\naddress = "udp://127.0.0.1:161"', 'address = "udp://127.0.0.1:161"')),
            "checks.toml:11:3: missing required key 'kind' in [target]",
            id="target-without-kind",
        ),
        pytest.param(
            changed(('critical = "== 1"', 'critical = "== 1"\nfactor = 2.0')),
            "checks.toml:30:1: 'factor' is not a key of threshold rules (capacity rules have it)",
            id="threshold-rule-with-factor",
        ),
        pytest.param(
            changed(('id = "on-battery"', 'id = "on-battery"\nkind = "reachability"')),
            "checks.toml:29:1: 'metric' is not a key of reachability rules (threshold and capacity rules have it)",
            id="reachability-rule-with-metric",
        ),
        pytest.param(
            changed(('id = "on-battery"', 'id = "on-battery"\nkind = "capacity"\ncapacity = 10.0\nmounts = ["/"]')),
            "checks.toml:30:1: unknown key 'mounts' in [rule]",
            id="capacity-rule-with-a-target-key",
        ),
    ],
)
def test_a_key_of_another_kind_is_refused_naming_the_kind(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in problems_of(tmp_path, text), problems_of(tmp_path, text)


def test_a_capacity_rule_keeps_its_headroom_conditions(tmp_path: Path) -> None:
    text = changed(('id = "on-battery"', 'id = "on-battery"\nkind = "capacity"\ncapacity = 10.0\nwarning = "< 2"'))
    text = text.replace('critical = "== 1"', 'critical = "< 1.2"')
    assert problems_of(tmp_path, text) == []


def test_a_rule_without_kind_is_a_threshold_rule(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(BASE)
    (rule,) = load_config(path, environ={}).parsed.rule
    assert isinstance(rule, ThresholdRule)
    assert rule.kind == "threshold"


def test_each_target_is_read_as_its_own_kind(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(changed(SW1_AS_TCP))
    ups, switch = load_config(path, environ={}).parsed.target
    assert isinstance(ups, SnmpTarget)
    assert ups.profile == "ups-mib"
    assert isinstance(switch, TcpTarget)
    assert (ups.kind, switch.kind) == ("snmp", "tcp")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = BASE.replace('timeout = "2s"', "timeout = 2").replace('critical = "== 1"', 'critical = "=> 1"')
    text = text.replace('profile = "ups-mib"', 'profile = "ups-mib"\ncolour = "red"')
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3, problems


def secret_config(secret_path: Path) -> str:
    return BASE + f'\n[credentials.ops]\nversion = "2c"\ncommunity = {{ file = "{secret_path}" }}\n'


def test_a_missing_secret_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope.secret"
    problems = problems_of(tmp_path, secret_config(missing))
    assert problems == [f"checks.toml:33:1: secret file {missing} does not exist"]


def test_a_group_readable_secret_file_is_refused_without_showing_it(tmp_path: Path) -> None:
    secret = tmp_path / "community"
    secret.write_text("s3cr3t-community\n")
    os.chmod(secret, 0o640)
    problems = problems_of(tmp_path, secret_config(secret))
    assert problems == [
        f"checks.toml:33:1: secret file {secret} is accessible by group or others (mode 0640); chmod 600 it"
    ]
    assert "s3cr3t" not in "".join(problems)
    os.chmod(secret, 0o600)
    assert problems_of(tmp_path, secret_config(secret)) == []


def test_a_missing_environment_secret_is_named(tmp_path: Path) -> None:
    text = BASE + '\n[credentials.ops]\nversion = "2c"\ncommunity = { env = "DUTYROOM_TEST_COMMUNITY" }\n'
    assert problems_of(tmp_path, text) == ["checks.toml:33:1: environment variable DUTYROOM_TEST_COMMUNITY is not set"]


def test_check_command_exits_1_and_prints_each_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "checks.toml"
    path.write_text(BASE.replace('critical = "== 1"', 'critical = "=> 1"').replace('"10s"', '"ten"'))
    (tmp_path / "playbooks").mkdir()
    status = main(["check", "--config", str(path)])
    printed = capsys.readouterr().out
    assert status == 1
    assert f"{path}:29:12: bad condition" in printed
    assert f"{path}:5:12: bad duration 'ten'" in printed
    assert "2 problem(s)" in printed
