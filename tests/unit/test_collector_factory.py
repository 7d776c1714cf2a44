"""The factory builds one collector per polled kind from its own target type; trap targets get none."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.factory import build_collectors, build_trap_receiver
from collectors.host import HostCollector
from collectors.http import HttpCollector
from collectors.snmp.collector import SnmpCollector
from collectors.tcp import TcpCollector
from dutyroom.config.load import LoadedConfig, load_config
from dutyroom.model import PollResult

ROOM = """\
[site]
name = "room"

[defaults]
interval = "10s"
timeout = "2s"

[credentials.gw]
token = { env = "GW_TOKEN" }

[traps]
listen = "udp://127.0.0.1:16162"
communities = [{ env = "TRAP_COMMUNITY" }]

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16101"
profile = "ups-mib"
trap_sources = ["127.0.0.21"]

[[target]]
id = "gw"
group = "trading"
kind = "http"
url = "http://127.0.0.1:18080/health"
credentials = "gw"
fields = { "gateway.latency_ms" = "latency.ms" }

[[target]]
id = "line"
group = "links"
kind = "tcp"
address = "tcp://127.0.0.1:19001"

[[target]]
id = "here"
group = "servers"
kind = "host"
mounts = ["/"]

[[target]]
id = "old-ups"
group = "power"
kind = "trap"
trap_sources = ["127.0.0.99"]
"""
ENVIRON = {"GW_TOKEN": "t0ken", "TRAP_COMMUNITY": "traps"}


def load_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadedConfig:
    """The room with its secrets in the environment, where the factory resolves them."""
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "checks.toml"
    path.write_text(ROOM)
    return load_config(path)


async def test_each_polled_kind_gets_its_own_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_collectors(load_room(tmp_path, monkeypatch))
    try:
        assert built.problems == []
        kinds = [(type(collector), collector.target_id) for collector in built.collectors]
        assert kinds == [
            (SnmpCollector, "ups-a"),
            (HttpCollector, "gw"),
            (TcpCollector, "line"),
            (HostCollector, "here"),
        ]
        http = built.collectors[1]
        assert isinstance(http, HttpCollector)
        assert http.spec.bearer_token == "t0ken"
        assert dict(http.spec.fields) == {"gateway.latency_ms": "latency.ms"}
    finally:
        await built.aclose()


def test_traps_belong_to_snmp_and_trap_targets_by_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    def sink(result: PollResult) -> None:
        raise AssertionError(result)

    receiver = build_trap_receiver(load_room(tmp_path, monkeypatch), sink)
    assert receiver is not None
    assert dict(receiver.spec.targets_by_source) == {"127.0.0.21": "ups-a", "127.0.0.99": "old-ups"}
