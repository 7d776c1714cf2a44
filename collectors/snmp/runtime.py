"""Per event loop state shared by every SNMP target: the request cap and the pysnmp engines.

pysnmp binds an SnmpEngine to the loop that created it, so engines live here, one per loop, plus an
extra engine only when two targets use the same SNMPv3 user name with different keys (pysnmp's USM
keeps one user entry per name). The runtime closes itself when its last user releases it.
"""

from __future__ import annotations

import asyncio
import socket
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_MAX_IN_FLIGHT = 128
"""Requests in flight across all targets: above ~200 on one socket the receive buffer overflows."""
RECEIVE_BUFFER_BYTES = 4 << 20

_max_in_flight = DEFAULT_MAX_IN_FLIGHT
_runtimes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SnmpRuntime] = weakref.WeakKeyDictionary()


def set_max_in_flight(limit: int) -> None:
    """The global cap for runtimes created from now on (the scheduler's setting)."""
    global _max_in_flight
    if limit < 1:
        raise ValueError("max in flight must be at least 1")
    _max_in_flight = limit


@dataclass(slots=True)
class _EngineSlot:
    engine: Any
    users: dict[str, str] = field(default_factory=dict)
    """SNMPv3 user name -> fingerprint of its keys, as configured in this engine."""


@dataclass(slots=True)
class SnmpRuntime:
    semaphore: asyncio.Semaphore
    users: int = 0
    shared: dict[str, Any] = field(default_factory=dict)
    """Per-loop resources of other transports (the BER socket); each is `close()`d with the runtime."""
    _engines: list[_EngineSlot] = field(default_factory=list)

    def engine_for(self, user: str = "", fingerprint: str = "") -> Any:
        """An engine where `user` is unknown or configured with the same keys."""
        for slot in self._engines:
            if not user or slot.users.get(user, fingerprint) == fingerprint:
                if user:
                    slot.users[user] = fingerprint
                return slot.engine
        slot = _EngineSlot(_new_engine())
        if user:
            slot.users[user] = fingerprint
        self._engines.append(slot)
        return slot.engine

    def close(self) -> None:
        for slot in self._engines:
            slot.engine.close_dispatcher()
        self._engines.clear()
        for resource in self.shared.values():
            resource.close()
        self.shared.clear()


def acquire_runtime() -> SnmpRuntime:
    """The running loop's runtime (created on first use); pair with `release_runtime`."""
    loop = asyncio.get_running_loop()
    runtime = _runtimes.get(loop)
    if runtime is None:
        runtime = SnmpRuntime(asyncio.Semaphore(_max_in_flight))
        _runtimes[loop] = runtime
    runtime.users += 1
    return runtime


def release_runtime(runtime: SnmpRuntime) -> None:
    runtime.users -= 1
    if runtime.users <= 0:
        runtime.close()
        for loop, known in list(_runtimes.items()):
            if known is runtime:
                del _runtimes[loop]


class _NoMibCompiler:
    """Stands in for pysmi's compiler: OIDs are numeric, so no MIB is ever compiled. Without it pysnmp
    builds a MIB parser on the first request of every engine, blocking the event loop for ~1.3 s."""

    def compile(self, *names: str, **options: Any) -> dict[str, str]:
        return dict.fromkeys(names, "missing")


def _new_engine() -> Any:
    """An SnmpEngine whose IPv4 socket has a large receive buffer (bursts of replies are not dropped)."""
    from pysnmp.carrier.asyncio.dgram import udp
    from pysnmp.entity import config
    from pysnmp.hlapi.v3arch.asyncio import SnmpEngine
    from pysnmp.hlapi.varbinds import MibViewControllerManager
    from pysnmp.smi import mibs as pysnmp_mibs

    engine = SnmpEngine()
    mib_view = MibViewControllerManager.get_mib_view_controller(engine.cache)
    mib_view.mibBuilder.set_mib_compiler(_NoMibCompiler(), str(Path(pysnmp_mibs.__file__).parent))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
        sock.bind(("0.0.0.0", 0))
        sock.setblocking(False)
        transport = udp.UdpAsyncioTransport().open_server_mode(sock=sock)
    except OSError:
        sock.close()
        raise
    config.add_transport(engine, udp.DOMAIN_NAME, transport)
    return engine
