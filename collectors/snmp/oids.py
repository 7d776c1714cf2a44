"""Numeric object identifiers as tuples of ints: parsed once from text, compared and sliced cheaply."""

from __future__ import annotations

Oid = tuple[int, ...]
"""A numeric OID, e.g. `(1, 3, 6, 1, 2, 1, 1, 3, 0)` for sysUpTime.0."""

MAX_SUBID = 2**32 - 1


def parse_oid(text: str) -> Oid:
    """`"1.3.6.1.2.1.1.3.0"` (a leading dot is allowed) -> a tuple; ValueError for anything else."""
    body = text.strip()
    if body.startswith("."):
        body = body[1:]
    parts = body.split(".")
    if len(parts) < 2 or not all(part.isdigit() and part.isascii() for part in parts):
        raise ValueError(f"not a numeric OID: {text!r}")
    oid = tuple(int(part) for part in parts)
    if oid[0] > 2 or any(sub > MAX_SUBID for sub in oid):
        raise ValueError(f"OID out of range: {text!r}")
    return oid


def format_oid(oid: Oid) -> str:
    return ".".join(str(sub) for sub in oid)


def starts_with(oid: Oid, prefix: Oid) -> bool:
    return oid[: len(prefix)] == prefix


SYS_DESCR = parse_oid("1.3.6.1.2.1.1.1.0")
SYS_OBJECT_ID = parse_oid("1.3.6.1.2.1.1.2.0")
SYS_UPTIME = parse_oid("1.3.6.1.2.1.1.3.0")
SYS_NAME = parse_oid("1.3.6.1.2.1.1.5.0")
SNMP_ENGINE_BOOTS = parse_oid("1.3.6.1.6.3.10.2.1.2.0")
SNMP_ENGINE_TIME = parse_oid("1.3.6.1.6.3.10.2.1.3.0")
