"""SNMP notification receiver (pysnmp 7 v3arch): v1 and v2c traps by community, v3 traps and INFORMs by user.

INFORMs are acknowledged by pysnmp's NotificationReceiver. Every accepted notification is decoded by
`collectors.trap_mapping` and handed to the sink at once as a PollResult of the target its UDP source
address maps to (for v1, the agent address inside the trap is tried next). Unknown communities and
users are dropped by the engine. The engine is created in `start`, on the running loop it is bound to.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable
from typing import Any

from pyasn1.type import univ
from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import ntfrcv
from pysnmp.proto.rfc1902 import IpAddress

from collectors.base import ResultSink
from collectors.trap_mapping import TrapValue, agent_address, decode_notification
from collectors.trap_spec import TrapReceiverSpec, TrapV3User, engine_id_bytes

logger = logging.getLogger(__name__)

RECEIVE_BUFFER_BYTES = 1 << 20
"""A bigger socket buffer so a trap storm (a whole room losing mains at once) is not dropped."""

_AUTH = {
    "none": config.USM_AUTH_NONE,
    "MD5": config.USM_AUTH_HMAC96_MD5,
    "SHA": config.USM_AUTH_HMAC96_SHA,
    "SHA-224": config.USM_AUTH_HMAC128_SHA224,
    "SHA-256": config.USM_AUTH_HMAC192_SHA256,
    "SHA-384": config.USM_AUTH_HMAC256_SHA384,
    "SHA-512": config.USM_AUTH_HMAC384_SHA512,
}
_PRIV = {
    "none": config.USM_PRIV_NONE,
    "DES": config.USM_PRIV_CBC56_DES,
    "3DES": config.USM_PRIV_CBC168_3DES,
    "AES-128": config.USM_PRIV_CFB128_AES,
    "AES-192": config.USM_PRIV_CFB192_AES_BLUMENTHAL,
    "AES-256": config.USM_PRIV_CFB256_AES_BLUMENTHAL,
    "AES-192-C": config.USM_PRIV_CFB192_AES,
    "AES-256-C": config.USM_PRIV_CFB256_AES,
}


def plain_value(value: Any) -> TrapValue:
    """A pysnmp varbind value as int, dotted text (OIDs, IP addresses) or raw bytes."""
    if isinstance(value, univ.Integer):
        return int(value)
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, univ.OctetString):
        if isinstance(value, IpAddress):
            return str(value.prettyPrint())
        return bytes(value.asOctets())
    return str(value.prettyPrint())


def _add_user(snmp_engine: Any, user: TrapV3User, engine_id: bytes | None) -> None:
    config.add_v3_user(
        snmp_engine,
        user.user,
        _AUTH[user.auth_protocol],
        user.auth_key or None,
        _PRIV[user.priv_protocol],
        user.priv_key or None,
        securityEngineId=engine_id,
    )


class ListenError(OSError):
    """A listener could not bind its address (in use, or a privileged port): one line naming both."""

    def __init__(self, listener: str, address: str, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error))
        self.listener = listener
        self.address = address

    def __str__(self) -> str:
        return f"{self.listener} cannot listen on {self.address}: {self.strerror}"


class TrapReceiver:
    """Listens on one UDP address; `start` returns the bound (host, port)."""

    def __init__(
        self, spec: TrapReceiverSpec, sink: ResultSink, *, wall_clock: Callable[[], float] = time.time
    ) -> None:
        self.spec = spec
        self._sink = sink
        self._wall_clock = wall_clock
        self._engine: Any = None
        self._receiver: Any = None
        self.address: tuple[str, int] | None = None
        self.received_count = 0

    async def start(self) -> tuple[str, int]:
        """Bind the socket and start receiving; ListenError (an OSError naming the address) when it cannot bind."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
            sock.bind((self.spec.listen_host, self.spec.listen_port))
            sock.setblocking(False)
        except OSError as error:
            sock.close()
            raise ListenError("trap receiver", f"udp {self.spec.listen_host}:{self.spec.listen_port}", error) from error
        snmp_engine = engine.SnmpEngine()
        transport = udp.UdpAsyncioTransport().open_server_mode(sock=sock)
        config.add_transport(snmp_engine, udp.DOMAIN_NAME, transport)
        for index, community in enumerate(self.spec.communities):
            config.add_v1_system(snmp_engine, f"community-{index}", community)
        for user in self.spec.v3_users:
            _add_user(snmp_engine, user, None)  # INFORMs: this engine is authoritative
            for engine_id in user.sender_engine_ids:
                _add_user(snmp_engine, user, engine_id_bytes(engine_id))
        self._receiver = ntfrcv.NotificationReceiver(snmp_engine, self._on_notification)
        self._engine = snmp_engine
        for _ in range(100):  # the datagram endpoint attaches on a later loop iteration
            if transport.transport is not None:
                break
            await asyncio.sleep(0.01)
        host, port = sock.getsockname()[:2]
        self.address = (str(host), int(port))
        logger.info("trap receiver listening on %s:%d", host, port)
        return self.address

    async def aclose(self) -> None:
        snmp_engine, self._engine = self._engine, None
        if snmp_engine is None:
            return
        if self._receiver is not None:
            self._receiver.close(snmp_engine)
            self._receiver = None
        snmp_engine.close_dispatcher()
        await asyncio.sleep(0)  # let the transport finish closing

    def target_for(self, source_ip: str, varbinds: list[tuple[str, TrapValue]]) -> str | None:
        mapping = self.spec.targets_by_source
        if source_ip in mapping:
            return mapping[source_ip]
        address = agent_address(varbinds)
        return mapping.get(address) if address is not None else None

    def _on_notification(
        self, snmp_engine: Any, state_reference: Any, context_engine_id: Any, context_name: Any,
        var_binds: Any, callback_context: Any,
    ) -> None:  # fmt: skip
        try:
            request = snmp_engine.observer.get_execution_context("rfc3412.receiveMessage:request")
            source_ip = str(request["transportAddress"][0])
            varbinds = [(str(name), plain_value(value)) for name, value in var_binds]
            target = self.target_for(source_ip, varbinds)
            at = self._wall_clock()
            result = decode_notification(varbinds, source_ip, target, self.spec.unmapped_target, at)
            self.received_count += 1
            self._sink(result)
        except Exception as exc:  # never let one odd notification stop the receiver
            logger.error("trap handling failed with %s", type(exc).__name__)
