"""pysnmp <-> dutyroom: protocol objects for a spec, and pysnmp values as `SnmpValue`s."""

from __future__ import annotations

import hashlib
from typing import Any

from pyasn1.type import univ
from pysnmp.hlapi.v3arch.asyncio import CommunityData, UsmUserData, auth
from pysnmp.proto import rfc1902, rfc1905

from collectors.snmp.spec import SnmpTargetSpec
from collectors.snmp.values import Kind, SnmpValue

AUTH = {
    "MD5": auth.USM_AUTH_HMAC96_MD5,
    "SHA": auth.USM_AUTH_HMAC96_SHA,
    "SHA-1": auth.USM_AUTH_HMAC96_SHA,
    "SHA-224": auth.USM_AUTH_HMAC128_SHA224,
    "SHA-256": auth.USM_AUTH_HMAC192_SHA256,
    "SHA-384": auth.USM_AUTH_HMAC256_SHA384,
    "SHA-512": auth.USM_AUTH_HMAC384_SHA512,
}
PRIV = {
    "DES": auth.USM_PRIV_CBC56_DES,
    "3DES": auth.USM_PRIV_CBC168_3DES,
    "AES": auth.USM_PRIV_CFB128_AES,
    "AES-128": auth.USM_PRIV_CFB128_AES,
    "AES-192": auth.USM_PRIV_CFB192_AES_BLUMENTHAL,
    "AES-256": auth.USM_PRIV_CFB256_AES_BLUMENTHAL,
    "AES-192C": auth.USM_PRIV_CFB192_AES,
    "AES-256C": auth.USM_PRIV_CFB256_AES,
}
_ORDERED_TYPES: tuple[tuple[type, Kind], ...] = (
    (rfc1905.NoSuchObject, Kind.NO_SUCH_OBJECT),
    (rfc1905.NoSuchInstance, Kind.NO_SUCH_INSTANCE),
    (rfc1905.EndOfMibView, Kind.END_OF_MIB_VIEW),
    (univ.Null, Kind.NULL),
    (rfc1902.Counter64, Kind.COUNTER64),
    (rfc1902.Counter32, Kind.COUNTER32),
    (rfc1902.TimeTicks, Kind.TIMETICKS),
    (rfc1902.Gauge32, Kind.GAUGE32),
    (rfc1902.Unsigned32, Kind.GAUGE32),
    (univ.Integer, Kind.INTEGER),
    (rfc1902.IpAddress, Kind.IP_ADDRESS),
    (rfc1902.Opaque, Kind.OPAQUE),
    (univ.OctetString, Kind.OCTETS),
    (univ.ObjectIdentifier, Kind.OID),
)


def auth_data(spec: SnmpTargetSpec) -> Any:
    if spec.version != "3":
        return CommunityData(spec.community, mpModel=0 if spec.version == "1" else 1)
    auth_protocol = AUTH.get(spec.auth_protocol.upper()) if spec.auth_protocol else None
    priv_protocol = PRIV.get(spec.priv_protocol.upper()) if spec.priv_protocol else None
    return UsmUserData(
        spec.v3_user,
        authKey=spec.auth_key if auth_protocol else None,
        privKey=spec.priv_key if priv_protocol else None,
        authProtocol=auth_protocol,
        privProtocol=priv_protocol,
    )


def credential_fingerprint(spec: SnmpTargetSpec) -> str:
    """Tells two sets of v3 keys apart without keeping the keys around in another form."""
    parts = (spec.auth_protocol.upper(), spec.auth_key, spec.priv_protocol.upper(), spec.priv_key)
    material = "\0".join(parts)
    return hashlib.sha256(material.encode()).hexdigest()


def to_value(value: Any) -> SnmpValue:
    for cls, kind in _ORDERED_TYPES:
        if isinstance(value, cls):
            return SnmpValue(kind, _payload(kind, value))
    return SnmpValue(Kind.OPAQUE, b"")


def _payload(kind: Kind, value: Any) -> int | bytes | str | None:
    if kind in (Kind.NO_SUCH_OBJECT, Kind.NO_SUCH_INSTANCE, Kind.END_OF_MIB_VIEW, Kind.NULL):
        return None
    if kind in (Kind.OCTETS, Kind.OPAQUE):
        return bytes(value.asOctets())
    if kind == Kind.IP_ADDRESS:
        return ".".join(str(byte) for byte in value.asOctets())
    if kind == Kind.OID:
        return str(value)
    return int(value)
