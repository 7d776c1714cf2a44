"""SNMP values decoupled from any SNMP library: a kind and a plain Python payload.

Transports (pysnmp, or the small BER codec) convert their objects into `SnmpValue`; profiles only see these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from dutyroom.textclean import clean_text


class Kind(StrEnum):
    INTEGER = "Integer"
    OCTETS = "OctetString"
    OID = "ObjectIdentifier"
    IP_ADDRESS = "IpAddress"
    COUNTER32 = "Counter32"
    GAUGE32 = "Gauge32"
    TIMETICKS = "TimeTicks"
    OPAQUE = "Opaque"
    COUNTER64 = "Counter64"
    NULL = "Null"
    NO_SUCH_OBJECT = "noSuchObject"
    NO_SUCH_INSTANCE = "noSuchInstance"
    END_OF_MIB_VIEW = "endOfMibView"


NUMERIC_KINDS = frozenset({Kind.INTEGER, Kind.COUNTER32, Kind.GAUGE32, Kind.TIMETICKS, Kind.COUNTER64})
ABSENT_KINDS = frozenset({Kind.NULL, Kind.NO_SUCH_OBJECT, Kind.NO_SUCH_INSTANCE, Kind.END_OF_MIB_VIEW})
COUNTER_BITS = {Kind.COUNTER32: 32, Kind.COUNTER64: 64}


@dataclass(frozen=True, slots=True)
class SnmpValue:
    """One value from an agent: an int for numeric kinds, bytes for strings, text for OIDs and IPs."""

    kind: Kind
    payload: int | bytes | str | None = None

    @property
    def absent(self) -> bool:
        """noSuchObject, noSuchInstance, endOfMibView or Null: the agent has no such value."""
        return self.kind in ABSENT_KINDS

    def number(self) -> float | None:
        """The value as a number, or None when it is not one (numeric text in an OctetString counts)."""
        if self.kind in NUMERIC_KINDS and isinstance(self.payload, int):
            return float(self.payload)
        if self.kind == Kind.OCTETS and isinstance(self.payload, bytes) and len(self.payload) <= 32:
            try:
                number = float(self.payload.decode("ascii").strip())
            except (UnicodeDecodeError, ValueError):
                return None
            return number if math.isfinite(number) else None
        return None

    def text(self, limit: int = 200) -> str:
        """The value as clean display text (device text is hostile: see `clean_text`)."""
        if isinstance(self.payload, bytes):  # trailing NULs: a fixed-size C buffer's padding (Socomec ifDescr)
            return clean_text(self.payload.rstrip(b"\x00"), limit)
        if self.payload is None:
            return ""
        return clean_text(str(self.payload), limit)

    def describe(self) -> str:
        """Short, clean description for a reason: `OctetString "abc"`, `noSuchObject`."""
        if self.absent:
            return self.kind.value
        return f'{self.kind.value} "{self.text(24)}"'
