"""A small, strict BER codec for SNMP messages: requests out, responses in.

Only what a poller needs: GET/GETNEXT/GETBULK requests and Response PDUs with the SMIv2 value types. The
v1/v2c message wrapper is here; the SNMPv3 wrapper (collectors/snmp/usm.py) reuses the PDU codec and Reader.
Decoding checks every length against the bytes actually there; anything malformed raises BerError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from collectors.snmp.oids import Oid
from collectors.snmp.values import Kind, SnmpValue

SEQUENCE = 0x30
INTEGER, OCTETS, NULL, OID_TAG = 0x02, 0x04, 0x05, 0x06
GET, GETNEXT, RESPONSE, GETBULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA5, 0xA8
_VALUE_KINDS = {
    INTEGER: Kind.INTEGER, OCTETS: Kind.OCTETS, NULL: Kind.NULL, OID_TAG: Kind.OID,
    0x40: Kind.IP_ADDRESS, 0x41: Kind.COUNTER32, 0x42: Kind.GAUGE32, 0x43: Kind.TIMETICKS, 0x44: Kind.OPAQUE,
    0x46: Kind.COUNTER64, 0x80: Kind.NO_SUCH_OBJECT, 0x81: Kind.NO_SUCH_INSTANCE, 0x82: Kind.END_OF_MIB_VIEW,
}  # fmt: skip
_UNSIGNED_BYTES = {Kind.COUNTER32: 5, Kind.GAUGE32: 5, Kind.TIMETICKS: 5, Kind.COUNTER64: 9}
MAX_SUBIDS = 128


class BerError(ValueError):
    """The bytes are not a well-formed SNMP message of the kind expected."""


@dataclass(frozen=True, slots=True)
class Message:
    version: int
    community: bytes
    pdu_type: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: tuple[tuple[Oid, SnmpValue], ...]


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + _length(len(body)) + body


def integer_tlv(value: int) -> bytes:
    return tlv(INTEGER, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def encode_oid(oid: Oid) -> bytes:
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] >= 40):
        raise BerError("OID cannot be encoded")
    body = bytearray()
    for sub in (oid[0] * 40 + oid[1], *oid[2:]):
        chunk = [sub & 0x7F]
        sub >>= 7
        while sub:
            chunk.append(0x80 | (sub & 0x7F))
            sub >>= 7
        body.extend(reversed(chunk))
    return tlv(OID_TAG, bytes(body))


def encode_request(
    version: int,
    community: bytes,
    pdu_type: int,
    request_id: int,
    oids: Sequence[Oid],
    repeat: tuple[int, int] = (0, 0),
) -> bytes:
    """A GET/GETNEXT (repeat unused) or GETBULK (repeat = non-repeaters, max-repetitions) request."""
    pdu = encode_pdu(pdu_type, request_id, oids, repeat)
    return tlv(SEQUENCE, integer_tlv(version) + tlv(OCTETS, community) + pdu)


def encode_pdu(pdu_type: int, request_id: int, oids: Sequence[Oid], repeat: tuple[int, int] = (0, 0)) -> bytes:
    """One request PDU with NULL values, whatever message carries it."""
    varbinds = b"".join(tlv(SEQUENCE, encode_oid(oid) + b"\x05\x00") for oid in oids)
    body = integer_tlv(request_id) + integer_tlv(repeat[0]) + integer_tlv(repeat[1]) + tlv(SEQUENCE, varbinds)
    return tlv(pdu_type, body)


class Reader:
    __slots__ = ("data", "end", "position")

    def __init__(self, data: bytes, position: int = 0, end: int | None = None) -> None:
        self.data, self.position, self.end = data, position, len(data) if end is None else end

    def tlv(self) -> tuple[int, int, int]:
        """(tag, start, end) of the next element; the reader moves past it."""
        if self.position + 2 > self.end:
            raise BerError("truncated")
        tag, first = self.data[self.position], self.data[self.position + 1]
        position = self.position + 2
        if first & 0x80:
            count = first & 0x7F
            if count == 0 or count > 4 or position + count > self.end:
                raise BerError("bad length")
            length = int.from_bytes(self.data[position : position + count], "big")
            position += count
        else:
            length = first
        if position + length > self.end:
            raise BerError("truncated")
        self.position = position + length
        return tag, position, position + length

    def expect(self, tag: int) -> Reader:
        found, start, end = self.tlv()
        if found != tag:
            raise BerError(f"expected tag 0x{tag:02x}, got 0x{found:02x}")
        return Reader(self.data, start, end)

    def integer(self) -> int:
        found, start, end = self.tlv()
        if found != INTEGER or not 0 < end - start <= 9:
            raise BerError("bad integer")
        return int.from_bytes(self.data[start:end], "big", signed=True)

    @property
    def done(self) -> bool:
        return self.position >= self.end


def decode_oid(body: bytes) -> Oid:
    if not body or body[-1] & 0x80:
        raise BerError("bad OID")
    subs: list[int] = []
    value = 0
    for byte in body:
        value = (value << 7) | (byte & 0x7F)
        if value >= 2**32 and subs:
            raise BerError("OID sub-identifier too large")
        if not byte & 0x80:
            subs.append(value)
            value = 0
    if len(subs) >= MAX_SUBIDS:
        raise BerError("OID too long")
    first = subs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return (*head, *subs[1:])


def _value(tag: int, body: bytes) -> SnmpValue:
    kind = _VALUE_KINDS.get(tag)
    if kind is None:
        return SnmpValue(Kind.OPAQUE, body)  # an unknown type is kept as bytes, never guessed at
    if kind in (Kind.NULL, Kind.NO_SUCH_OBJECT, Kind.NO_SUCH_INSTANCE, Kind.END_OF_MIB_VIEW):
        return SnmpValue(kind)
    if kind in (Kind.OCTETS, Kind.OPAQUE):
        return SnmpValue(kind, body)
    if kind == Kind.OID:
        return SnmpValue(kind, ".".join(map(str, decode_oid(body))))
    if kind == Kind.IP_ADDRESS:
        if len(body) != 4:
            raise BerError("bad IpAddress")
        return SnmpValue(kind, ".".join(map(str, body)))
    if not body:
        raise BerError("empty integer")
    if kind == Kind.INTEGER:
        if len(body) > 9:
            raise BerError("integer too long")
        return SnmpValue(kind, int.from_bytes(body, "big", signed=True))
    number = int.from_bytes(body, "big")  # unsigned: some agents drop the leading zero byte
    if len(body) > _UNSIGNED_BYTES[kind] or number >= 2 ** (8 * _UNSIGNED_BYTES[kind] - 8):
        raise BerError(f"{kind.value} out of range")
    return SnmpValue(kind, number)


def decode_message(data: bytes) -> Message:
    """A v1/v2c Response (or Report) message; BerError for anything else or anything malformed."""
    outer = Reader(data)
    message = outer.expect(SEQUENCE)
    if not outer.done:
        raise BerError("trailing bytes")
    version = message.integer()
    found, start, end = message.tlv()
    if found != OCTETS:
        raise BerError("bad community")
    community = data[start:end]
    pdu_type, start, end = message.tlv()
    if not message.done:
        raise BerError("trailing bytes")
    return decode_pdu(data, pdu_type, start, end, version, community)


@dataclass(frozen=True, slots=True)
class Pdu:
    """A Response or Report PDU, whatever message carried it."""

    pdu_type: int
    request_id: int
    error_status: int
    error_index: int
    varbinds: tuple[tuple[Oid, SnmpValue], ...]


def read_pdu(data: bytes, pdu_type: int, start: int, end: int, accepted: tuple[int, ...] = (RESPONSE, REPORT)) -> Pdu:
    """The PDU whose body is data[start:end]; BerError if malformed or not one of `accepted`."""
    if pdu_type not in accepted:
        raise BerError("not a response")
    pdu = Reader(data, start, end)
    request_id, error_status, error_index = pdu.integer(), pdu.integer(), pdu.integer()
    varbinds = []
    listing = pdu.expect(SEQUENCE)
    while not listing.done:
        pair = listing.expect(SEQUENCE)
        name = pair.expect(OID_TAG)
        oid = decode_oid(data[name.position : name.end])
        tag, value_start, value_end = pair.tlv()
        if not pair.done:
            raise BerError("bad varbind")
        varbinds.append((oid, _value(tag, data[value_start:value_end])))
    if not pdu.done:
        raise BerError("trailing bytes in PDU")
    return Pdu(pdu_type, request_id, error_status, error_index, tuple(varbinds))


def decode_pdu(data: bytes, pdu_type: int, start: int, end: int, version: int, community: bytes) -> Message:
    pdu = read_pdu(data, pdu_type, start, end)
    return Message(version, community, pdu.pdu_type, pdu.request_id, pdu.error_status, pdu.error_index, pdu.varbinds)
