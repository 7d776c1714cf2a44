"""`DemoRoom`: starts the simulated room, keeps it saying what `model` says, and stops it.

`start` brings up snmpsim (every device), a relay per device, the gateway, the market-data server and the
lines, each on a free loopback port, and returns their addresses for the effective checks.toml. `sync`
pushes the model: SETs for device values that changed, relay power, services plugged or not. `run_physics`
advances the interface counters and the clocks a few times a second until told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path

from tui.demo.catalog import DEVICES_BY_NAME, SERVICES, SNMP_DEVICES
from tui.demo.config_writer import RoomAddresses, RoomSecrets
from tui.demo.device_values import device_values
from tui.demo.model import RoomModel
from tui.demo.relay import UdpRelay
from tui.demo.room_traps import Trap
from tui.demo.services import GatewaySim, MarketDataSim, TcpLine
from tui.demo.snmp_control import DeviceWriter, SnmpControlError, TrapSender
from tui.demo.snmpsim_agent import SnmpsimAgent, free_udp_port, start_snmpsim
from tui.demo.traffic import TrafficCounters

log = logging.getLogger(__name__)

PHYSICS_PERIOD_S = 0.5


class DemoRoom:
    """The simulated machine room: real agents and servers on loopback, driven by a `RoomModel`."""

    def __init__(self, devices_dir: Path, work_dir: Path, room_secrets: RoomSecrets) -> None:
        self.devices_dir = devices_dir
        self.work_dir = work_dir
        self.secrets = room_secrets
        self.model = RoomModel()
        self.traffic = TrafficCounters()
        self.relays: dict[str, UdpRelay] = {}
        self.gateway = GatewaySim(self.model)
        self.market_data = MarketDataSim(self.model)
        self.lines = {service.name: TcpLine(service.name) for service in SERVICES if service.kind == "line"}
        self.agent: SnmpsimAgent | None = None
        self.writer: DeviceWriter | None = None
        self.traps: TrapSender | None = None
        self.sync_failures = 0
        self._lock = asyncio.Lock()

    async def start(self) -> RoomAddresses:
        """Start every simulator; returns where each listens."""
        self.agent = await start_snmpsim(self.devices_dir, self.work_dir / "snmpsim", self.secrets.communities)
        self.writer = DeviceWriter(self.agent.port, self.secrets.communities)
        snmp_ports = {}
        for device in SNMP_DEVICES:
            relay = UdpRelay(device.name, ("127.0.0.1", self.agent.port))
            snmp_ports[device.name] = await relay.start()
            self.relays[device.name] = relay
        service_ports = {"oms-gw1": await self.gateway.start(), "md-server": await self.market_data.start()}
        for name, line in self.lines.items():
            service_ports[name] = await line.start()
        await self.sync()
        return RoomAddresses(snmp_ports, service_ports, free_udp_port())

    def attach_trap_receiver(self, receiver: tuple[str, int]) -> None:
        self.traps = TrapSender(receiver, self.secrets.trap_community)

    async def sync(self) -> None:
        """Make every simulator say what the model says now."""
        async with self._lock:
            wanted = device_values(self.model)
            for device, values in self.traffic.values().items():
                wanted[device].update(values)
            if self.writer is not None:
                try:
                    await self.writer.sync(wanted)
                except SnmpControlError as error:
                    self.sync_failures += 1
                    log.warning("demo room: %s", error)
            for name, relay in self.relays.items():
                relay.powered = self.model.powered(name)
            await self.gateway.set_plugged(self.model.reachable("oms-gw1"))
            await self.market_data.set_plugged(self.model.reachable("md-server"))
            for name, line in self.lines.items():
                await line.set_up(self.model.reachable(name))

    async def send(self, trap: Trap) -> None:
        """Send `trap` from its device, if the device has power and a receiver is attached."""
        device = DEVICES_BY_NAME.get(trap.device)
        if self.traps is None or device is None or not device.trap_source or not self.model.powered(trap.device):
            return
        await self.traps.send(device.trap_source, trap.oid, trap.varbinds)

    async def run_physics(self, stop: asyncio.Event) -> None:
        """Advance counters and clocks every PHYSICS_PERIOD_S and sync, until `stop` is set."""
        last = time.monotonic()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PHYSICS_PERIOD_S)
            now = time.monotonic()
            self.traffic.advance(self.model, now - last)
            last = now
            await self.sync()

    async def close(self) -> None:
        for relay in self.relays.values():
            relay.close()
        await self.gateway.close()
        await self.market_data.close()
        for line in self.lines.values():
            await line.close()
        for closable in (self.writer, self.traps):
            if closable is not None:
                closable.close()
        if self.agent is not None:
            await asyncio.to_thread(self.agent.stop)
