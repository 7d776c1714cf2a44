"""The demo's own SNMP: SET the simulated devices' moving values (writecache), and send their traps.

This is the room's physics, not monitoring: it talks to snmpsim directly (never through the devices'
relays, so a device without power still keeps its values) and sends traps from each device's loopback
address, with snmpTrapAddress.0 naming it too (RFC 3584), so the receiver maps them even where a socket
cannot bind that address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    get_cmd,
    send_notification,
    set_cmd,
)
from pysnmp.proto.rfc1902 import (
    Counter32,
    Counter64,
    Gauge32,
    Integer32,
    IpAddress,
    ObjectIdentifier,
    OctetString,
    TimeTicks,
)

from tui.demo.device_values import DeviceValues, Setting

log = logging.getLogger(__name__)

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
SNMP_TRAP_ADDRESS = "1.3.6.1.6.3.18.1.3.0"
VARBINDS_PER_SET = 24
_TYPES: dict[str, Any] = {"2": Integer32, "65": Counter32, "66": Gauge32, "67": TimeTicks, "70": Counter64}
TrapValue = int | str | tuple[int, ...]
"""A trap varbind value: an int (Integer32), text (OctetString) or an OID given as a tuple of ints."""


class SnmpControlError(RuntimeError):
    """A SET or readiness probe the simulator did not accept."""


class DeviceWriter:
    """Sets device values in snmpsim; remembers what it set, so `sync` only sends what changed."""

    def __init__(
        self, port: int, communities: Mapping[str, str], *, host: str = "127.0.0.1", timeout_s: float = 2.0
    ) -> None:
        self._address = (host, port)
        self._timeout_s = timeout_s
        self._communities = dict(communities)
        self._engine: Any = None
        self._target: Any = None
        self._written: dict[str, DeviceValues] = {}

    async def _ready(self) -> tuple[Any, Any]:
        if self._engine is None:
            self._engine = SnmpEngine()
            self._target = await UdpTransportTarget.create(self._address, timeout=self._timeout_s, retries=1)
        return self._engine, self._target

    async def answers(self, device: str) -> bool:
        """Whether the simulator answers a GET of sysDescr in `device`'s community."""
        engine, target = await self._ready()
        auth = CommunityData(self._communities[device], mpModel=1)
        try:
            indication, status, _, _ = await get_cmd(
                engine, auth, target, ContextData(), ObjectType(ObjectIdentity(SYS_DESCR)), lookupMib=False
            )
        except PySnmpError:
            return False
        return not indication and not status

    async def sync(self, wanted: Mapping[str, DeviceValues]) -> None:
        """Set every value that differs from what was last set (all of them the first time)."""
        for device, values in wanted.items():
            done = self._written.setdefault(device, {})
            changed = {oid: setting for oid, setting in values.items() if done.get(oid) != setting}
            items = sorted(changed.items())
            for start in range(0, len(items), VARBINDS_PER_SET):
                chunk = dict(items[start : start + VARBINDS_PER_SET])
                await self._set(device, chunk)
                done.update(chunk)

    async def _set(self, device: str, values: Mapping[str, Setting]) -> None:
        engine, target = await self._ready()
        auth = CommunityData(self._communities[device], mpModel=1)
        varbinds = [ObjectType(ObjectIdentity(oid), _TYPES[tag](value)) for oid, (tag, value) in values.items()]
        try:
            indication, status, index, _ = await set_cmd(
                engine, auth, target, ContextData(), *varbinds, lookupMib=False
            )
        except PySnmpError as error:
            raise SnmpControlError(f"SET on {device} failed: {error}") from None
        if indication or status:
            raise SnmpControlError(f"SET on {device} refused: {indication or status} at {index}")

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None


class TrapSender:
    """Sends SNMPv2c traps to the poller's trap receiver, each from its device's loopback address.

    One engine per source address: pysnmp binds an engine's socket once, and a trap goes to every target
    configured in the engine, so each engine gets exactly one target, set up on first use.
    """

    def __init__(self, receiver: tuple[str, int], community: str) -> None:
        self._receiver = receiver
        self._community = community
        self._senders: dict[str, tuple[Any, Any]] = {}
        self.sent = 0

    async def _sender(self, source: str) -> tuple[Any, Any]:
        sender = self._senders.get(source)
        if sender is None:
            target = await UdpTransportTarget.create(self._receiver, timeout=1.0, retries=0)
            try:
                target.set_local_address((source, 0))
            except PySnmpError:  # pragma: no cover - only where 127.0.0.0/8 is not all loopback
                log.info("cannot send from %s; relying on snmpTrapAddress.0", source)
            sender = self._senders[source] = (SnmpEngine(), target)
        return sender

    async def send(self, source: str, trap_oid: str, varbinds: Sequence[tuple[str, TrapValue]] = ()) -> None:
        engine, target = await self._sender(source)
        bindings = [
            ObjectType(ObjectIdentity(SYS_UPTIME), TimeTicks(0)),
            ObjectType(ObjectIdentity(SNMP_TRAP_OID), ObjectIdentifier(trap_oid)),
            *(ObjectType(ObjectIdentity(oid), _trap_value(value)) for oid, value in varbinds),
            ObjectType(ObjectIdentity(SNMP_TRAP_ADDRESS), IpAddress(source)),
        ]
        auth = CommunityData(self._community, mpModel=1)
        try:
            await send_notification(engine, auth, target, ContextData(), "trap", *bindings, lookupMib=False)
        except (PySnmpError, OSError) as error:
            log.warning("trap %s from %s not sent: %s", trap_oid, source, error)
            return
        self.sent += 1
        await asyncio.sleep(0)

    def close(self) -> None:
        for engine, _ in self._senders.values():
            engine.close_dispatcher()
        self._senders.clear()


def _trap_value(value: TrapValue) -> Any:
    if isinstance(value, tuple):
        return ObjectIdentifier(value)
    if isinstance(value, int):
        return Integer32(value)
    return OctetString(value)
