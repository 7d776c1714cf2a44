"""SNMP on pysnmp 7.1's v3arch asyncio API: numeric OIDs, lookupMib=False, one engine per loop."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    ContextData,
    ObjectIdentity,
    ObjectType,
    Udp6TransportTarget,
    UdpTransportTarget,
    bulk_cmd,
    get_cmd,
    next_cmd,
)
from pysnmp.hlapi.v3arch.asyncio.cmdgen import LCD, VB_PROCESSOR
from pysnmp.proto import errind

from collectors.snmp.errors import SnmpAuthError, SnmpProtocolError, SnmpTimeoutError, SnmpUnreachableError
from collectors.snmp.oids import SYS_UPTIME, Oid
from collectors.snmp.pysnmp_values import auth_data, credential_fingerprint, to_value
from collectors.snmp.runtime import SnmpRuntime
from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.transport import PduKind, Response

PYSNMP_TIMEOUT_SLACK_S = 1.0
"""pysnmp's own timer fires after ours, so the attempt deadline is exactly `timeout_s`."""
_AUTH_FAILURES: dict[type[errind.ErrorIndication], str] = {
    errind.WrongDigest: "wrong digest: check the auth key and protocol",
    errind.UnknownUserName: "unknown user name",
    errind.UnsupportedSecurityLevel: "security level not supported for this user",
    errind.DecryptionError: "decryption failed: check the privacy key and protocol",
    errind.AuthenticationFailure: "reply failed authentication",
    errind.AuthenticationError: "authentication error",
    errind.UnknownSecurityName: "unknown security name",
    errind.NotInTimeWindow: "not in time window",
    errind.UnknownEngineID: "engine ID discovery failed",
}


class PysnmpTransport:
    """One target's requests through the loop's shared SnmpEngine."""

    def __init__(self, spec: SnmpTargetSpec, runtime: SnmpRuntime) -> None:
        self._spec = spec
        self._auth = auth_data(spec)
        user = spec.v3_user if spec.version == "3" else ""
        self._engine = runtime.engine_for(user, credential_fingerprint(spec) if user else "")
        self._context = ContextData(contextName=spec.context.encode())
        self._target: Any = None
        self._object_types: dict[Oid, Any] = {}

    async def prepare(self) -> None:
        """Resolve the address and set the target up in the engine, ahead of the first poll.

        pysnmp writes a target's address, parameters and community (or user) into the engine, and indexes the
        engine's MIB view, on its first request: tens of ms idle, hundreds on a loaded host. Done here, outside
        any attempt's deadline, it no longer eats the margin of a reply that comes just before the timeout.
        """
        if self._target is not None:
            return
        factory = Udp6TransportTarget if ":" in self._spec.host else UdpTransportTarget
        # pysnmp must not time out first: it would retry on its own and its timer ticks every 0.1 s.
        timeout = self._spec.timeout_s + PYSNMP_TIMEOUT_SLACK_S
        try:
            address = (self._spec.host, self._spec.port)
            target = await factory.create(address, timeout=timeout, retries=0)
            LCD.configure(self._engine, self._auth, target, self._context.contextName)
            VB_PROCESSOR.make_varbinds(self._engine.cache, (self._object_type(SYS_UPTIME),))
        except PySnmpError:
            raise SnmpUnreachableError(f"cannot resolve host {self._spec.host}") from None
        self._target = target

    async def request(
        self, kind: PduKind, oids: Sequence[Oid], *, timeout_s: float, max_repetitions: int = 0
    ) -> Response:
        await self.prepare()
        object_types = [self._object_type(oid) for oid in oids]
        try:
            async with asyncio.timeout(timeout_s):
                indication, status, index, varbinds = await self._send(kind, object_types, max_repetitions)
        except TimeoutError:
            self._forget_peer_engine()
            raise SnmpTimeoutError("timeout") from None
        except (PySnmpError, ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
            raise SnmpProtocolError(f"bad reply ({type(error).__name__})") from None
        if indication:
            if isinstance(indication, errind.RequestTimedOut):
                self._forget_peer_engine()
            raise _indication_error(indication)
        return Response(int(status or 0), int(index or 0), tuple(_varbinds(varbinds)))

    async def _send(self, kind: PduKind, object_types: list[Any], max_repetitions: int) -> Any:
        common = (self._engine, self._auth, self._target, self._context)
        if kind == PduKind.GET:
            return await get_cmd(*common, *object_types, lookupMib=False)
        if kind == PduKind.GETNEXT:
            return await next_cmd(*common, *object_types, lookupMib=False)
        return await bulk_cmd(*common, 0, max_repetitions, *object_types, lookupMib=False)

    def _forget_peer_engine(self) -> None:
        """After a v3 request goes unanswered, make the next one discover the agent's engine again.

        pysnmp keeps each peer's engine ID for 300 s. A replaced card (same address, a new engine ID) answers the
        old ID with reports pysnmp drops, so every poll timed out ("no reply") for five minutes; forgetting the
        peer costs one discovery round trip on a timeout, which a dead agent spends waiting anyway."""
        if self._spec.version != "3":
            return
        address = (self._spec.host, self._spec.port)
        for model in self._engine.message_processing_subsystems.values():
            cache = getattr(model, "_SnmpV3MessageProcessingModel__engineIdCache", None)  # pysnmp 7.1: no public way
            if isinstance(cache, dict):
                for key in [key for key in cache if tuple(key[1])[:2] == address]:
                    del cache[key]

    def _object_type(self, oid: Oid) -> Any:
        object_type = self._object_types.get(oid)
        if object_type is None:
            object_type = ObjectType(ObjectIdentity(oid))
            if len(self._object_types) < 4096:
                self._object_types[oid] = object_type
        return object_type

    async def aclose(self) -> None:
        self._object_types.clear()


def _varbinds(varbinds: Any) -> list[tuple[Oid, Any]]:
    result = []
    for name, value in varbinds:
        result.append((tuple(name), to_value(value)))
    return result


def _indication_error(indication: Any) -> Exception:
    if isinstance(indication, errind.RequestTimedOut):
        return SnmpTimeoutError("timeout")
    for cls, words in _AUTH_FAILURES.items():
        if isinstance(indication, cls):
            return SnmpAuthError(f"SNMPv3 authentication failed ({words})")
    if isinstance(indication, errind.UnknownCommunityName):
        return SnmpAuthError("community rejected")
    return SnmpProtocolError(f"SNMP error: {indication}")
