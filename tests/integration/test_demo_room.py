"""The demo room's parts without a full run: device data, what the model sets, the relay, the config copy."""

from __future__ import annotations

import asyncio
import subprocess
import tomllib
from pathlib import Path

import pytest
from demo_harness import PROJECT, demo_command

from tui.demo.catalog import DEVICE_OF_TARGET, SERVICES, SNMP_DEVICES
from tui.demo.config_writer import RoomAddresses, effective_document, generate_secrets
from tui.demo.device_values import device_values
from tui.demo.drills import DRILLS
from tui.demo.model import RoomModel
from tui.demo.relay import UdpRelay
from tui.demo.runner import DemoError, claim_state_dir
from tui.demo.scenario import INCIDENT, INCIDENT_LENGTH_S
from tui.demo.traffic import TrafficCounters

DEVICES = PROJECT / "demo" / "devices"
SHIPPED = PROJECT / "checks.toml"


def _records(device: str) -> list[tuple[tuple[int, ...], str, str]]:
    records = []
    for line in (DEVICES / f"{device}.snmprec").read_text().splitlines():
        oid, tag, value = line.split("|", 2)
        records.append((tuple(int(part) for part in oid.split(".")), tag, value))
    return records


@pytest.mark.parametrize("device", [device.name for device in SNMP_DEVICES])
def test_device_file_is_in_oid_order(device: str) -> None:
    oids = [oid for oid, _, _ in _records(device)]
    assert oids == sorted(oids), "snmpsim needs records in OID order"
    assert len(set(oids)) == len(oids), "each OID once"


def test_every_value_the_demo_sets_is_a_writecache_record_of_its_type() -> None:
    wanted = device_values(RoomModel())
    for device, values in TrafficCounters().values().items():
        wanted[device].update(values)
    for device, values in wanted.items():
        tags = {".".join(map(str, oid)): tag for oid, tag, _ in _records(device)}
        for oid, (tag, _value) in values.items():
            assert tags.get(oid) == f"{tag}:writecache", f"{device} {oid}: {tags.get(oid)}"


def test_writecache_oids_are_distinct_across_devices() -> None:
    """snmpsim's writecache keys values by OID alone: two devices sharing one would share its value."""
    owners: dict[tuple[int, ...], str] = {}
    for device in SNMP_DEVICES:
        for oid, tag, _ in _records(device.name):
            if tag.endswith(":writecache"):
                assert owners.setdefault(oid, device.name) == device.name, f"{oid} in {owners[oid]} and {device.name}"


def test_the_model_at_rest_reads_like_the_device_files() -> None:
    """Before the first SET, snmpsim answers the files' values: they must be the quiet room's."""
    for device, values in device_values(RoomModel()).items():
        initial = {".".join(map(str, oid)): value for oid, _, value in _records(device)}
        for oid, (_tag, value) in values.items():
            assert initial[oid] == f"value={value}", f"{device} {oid}: file {initial[oid]}, model {value}"


def test_scenario_and_drills_fit_the_shipped_room() -> None:
    config = tomllib.loads(SHIPPED.read_text())
    rules = {rule["id"]: rule for rule in config["rule"]}
    targets = {target["id"] for target in config["target"]}
    assert [step.at_s for step in INCIDENT] == sorted(step.at_s for step in INCIDENT)
    assert INCIDENT[-1].at_s < INCIDENT_LENGTH_S
    for drill in DRILLS.values():
        for rule, target in drill.alerts:
            assert rule in rules, (drill.name, rule)
            assert target in targets, (drill.name, target)
            assert (PROJECT / "playbooks" / "en" / f"{rules[rule]['playbook']}.md").is_file()
    assert set(DEVICE_OF_TARGET) | {service.name for service in SERVICES} == {
        target["id"] for target in config["target"] if target["kind"] in ("snmp", "http", "tcp")
    }


def test_effective_config_points_at_the_run_and_keeps_secrets_in_files(tmp_path: Path) -> None:
    room_secrets = generate_secrets()
    addresses = RoomAddresses(
        snmp_ports={device.name: 20000 + index for index, device in enumerate(SNMP_DEVICES)},
        service_ports={service.name: 21000 + index for index, service in enumerate(SERVICES)},
        trap_port=22000,
    )
    document, notes = effective_document(SHIPPED, addresses, room_secrets, tmp_path)
    assert notes == []
    for target in document["target"]:
        where = target.get("address") or target.get("url")
        assert where.startswith(("udp://127.0.0.1:2", "tcp://127.0.0.1:2", "http://127.0.0.1:2")), target
    assert document["traps"]["listen"] == "udp://127.0.0.1:22000"
    for name, credential in document["credentials"].items():
        secret = tmp_path / credential["community"]["file"]
        assert secret.stat().st_mode & 0o777 == 0o600
        assert secret.read_text().strip() == room_secrets.communities[name]
    assert Path(document["site"]["calendar"]).is_dir()  # the shipped calendars directory, made absolute


def test_relay_forwards_only_while_powered() -> None:
    async def scenario() -> tuple[bytes | None, bytes | None]:
        loop = asyncio.get_running_loop()

        class Echo(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                self.transport.sendto(b"echo:" + data, addr)  # type: ignore[attr-defined]

        echo_transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
        relay = UdpRelay("test", echo_transport.get_extra_info("sockname"))
        port = await relay.start()
        replies: asyncio.Queue[bytes] = asyncio.Queue()

        class Client(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                replies.put_nowait(data)

        client, _ = await loop.create_datagram_endpoint(Client, remote_addr=("127.0.0.1", port))

        async def ask(text: bytes) -> bytes | None:
            client.sendto(text)
            try:
                return await asyncio.wait_for(replies.get(), 1.0)
            except TimeoutError:
                return None

        powered = await ask(b"one")
        relay.powered = False
        dark = await ask(b"two")
        client.close()
        relay.close()
        echo_transport.close()
        return powered, dark

    powered, dark = asyncio.run(scenario())
    assert powered == b"echo:one"
    assert dark is None


def test_the_demo_refuses_a_state_directory_that_is_not_a_demos(tmp_path: Path) -> None:
    (tmp_path / "dutyroom.db").write_text("someone's room")
    with pytest.raises(DemoError, match="not a demo"):
        claim_state_dir(tmp_path)
    fresh = tmp_path / "fresh"
    claim_state_dir(fresh)
    claim_state_dir(fresh)  # a demo's own directory is reused


def test_an_unknown_drill_is_refused_with_the_list(tmp_path: Path) -> None:
    command = [*demo_command(), "--headless", "--state", str(tmp_path / "s"), "--drill", "meteor-strike"]
    done = subprocess.run(command, capture_output=True, timeout=60, check=False, cwd=PROJECT)
    assert done.returncode == 2
    assert "water-leak" in done.stderr.decode()
