"""The small BER codec, checked against pysnmp's own encoder/decoder and fed 20,000 mangled messages."""

from __future__ import annotations

import random

import pytest
from pyasn1.codec.ber import decoder, encoder
from pyasn1.type import univ
from pysnmp.proto import api, rfc1902, rfc1905

from collectors.snmp.ber import GET, GETBULK, GETNEXT, BerError, decode_message, decode_oid, encode_oid, encode_request
from collectors.snmp.oids import parse_oid
from collectors.snmp.pysnmp_values import to_value

VALUES = [
    rfc1902.Integer32(0),
    rfc1902.Integer32(-1),
    rfc1902.Integer32(-(2**31)),
    rfc1902.Integer32(2**31 - 1),
    rfc1902.OctetString(b""),
    rfc1902.OctetString("Gi0/0/1 上行".encode()),
    rfc1902.OctetString(b"\x00\xff" * 300),
    rfc1902.ObjectIdentifier("1.3.6.1.4.1.2011.2.224.62"),
    rfc1902.ObjectIdentifier("2.999.4294967295"),
    rfc1902.IpAddress("192.168.250.1"),
    rfc1902.Counter32(0),
    rfc1902.Counter32(2**32 - 1),
    rfc1902.Gauge32(4294967295),
    rfc1902.TimeTicks(1230825985),
    rfc1902.Counter64(2**64 - 1),
    rfc1902.Counter64(60957920391),
    rfc1902.Opaque(b"\x9f\x78\x04\x41\x20\x00\x00"),
    univ.Null(""),
    rfc1905.NoSuchObject(""),
    rfc1905.NoSuchInstance(""),
    rfc1905.EndOfMibView(""),
]


def pysnmp_response(version: int, values: list[object], request_id: int = 4242) -> bytes:
    module = api.PROTOCOL_MODULES[version]
    message = module.Message()
    module.apiMessage.set_defaults(message)
    module.apiMessage.set_community(message, "public")
    pdu = module.GetResponsePDU()
    module.apiPDU.set_defaults(pdu)
    module.apiPDU.set_request_id(pdu, request_id)
    module.apiPDU.set_varbinds(pdu, [(f"1.3.6.1.4.1.99999.{n}.0", value) for n, value in enumerate(values)])
    module.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


def test_responses_decode_like_pysnmp() -> None:
    v2_only = rfc1902.Counter64 | rfc1905.NoSuchObject | rfc1905.NoSuchInstance | rfc1905.EndOfMibView
    values = [value for value in VALUES if not isinstance(value, v2_only)]
    for version, sample in ((0, values), (1, VALUES)):
        message = decode_message(pysnmp_response(version, sample))
        assert (message.version, message.community, message.request_id) == (version, b"public", 4242)
        assert [value for _, value in message.varbinds] == [to_value(value) for value in sample]
        assert message.varbinds[3][0] == parse_oid("1.3.6.1.4.1.99999.3.0")


@pytest.mark.parametrize(("pdu_type", "repeat"), [(GET, (0, 0)), (GETNEXT, (0, 0)), (GETBULK, (0, 25))])
def test_requests_decode_in_pysnmp(pdu_type: int, repeat: tuple[int, int]) -> None:
    oids = [parse_oid("1.3.6.1.2.1.1.3.0"), parse_oid("1.3.6.1.2.1.31.1.1.1.6"), parse_oid("1.3.6.1.4.1.2021.4.5.0")]
    data = encode_request(1, b"s3cret", pdu_type, 2**31 - 1, oids, repeat)
    module = api.PROTOCOL_MODULES[1]
    message, rest = decoder.decode(data, asn1Spec=module.Message())
    assert rest == b""
    pdu = module.apiMessage.get_pdu(message)
    assert str(module.apiMessage.get_community(message)) == "s3cret"
    assert int(module.apiPDU.get_request_id(pdu)) == 2**31 - 1
    assert [tuple(name) for name, _ in module.apiPDU.get_varbinds(pdu)] == oids
    if pdu_type == GETBULK:
        assert int(pdu[2]) == 25  # max-repetitions


def test_oid_round_trip_and_limits() -> None:
    for text in ("0.0", "1.3.6.1", "2.999.4294967295", "1.3.6.1.4.1.318.1.1.27.1.4.1.2.1.3.1.9"):
        oid = parse_oid(text)
        assert decode_oid(encode_oid(oid)[2:]) == oid
    with pytest.raises(BerError):
        decode_oid(b"\x2b\x86")  # ends inside a sub-identifier
    with pytest.raises(BerError):
        decode_oid(b"\x2b" + b"\xff" * 6 + b"\x7f")  # sub-identifier over 2^32


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30",
        b"\x30\x84\xff\xff\xff\xff",
        b"\x30\x03\x02\x01\x01",
        pysnmp_response(1, [rfc1902.Integer32(1)]) + b"\x00",
        pysnmp_response(1, [rfc1902.Integer32(1)])[:-1],
    ],
)
def test_malformed_messages_raise_ber_error(data: bytes) -> None:
    with pytest.raises(BerError):
        decode_message(data)


def test_twenty_thousand_mangled_messages_raise_nothing_but_ber_error() -> None:
    rng = random.Random(99)
    seeds = [pysnmp_response(1, [rng.choice(VALUES) for _ in range(rng.randint(1, 6))]) for _ in range(50)]
    decoded = 0
    for _ in range(20_000):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 3)):
            operation = rng.randrange(4)
            if operation == 0 and data:
                data[rng.randrange(len(data))] = rng.randrange(256)
            elif operation == 1:
                del data[rng.randrange(len(data) + 1) :]
            elif operation == 2:
                data[rng.randrange(len(data) + 1) : 0] = rng.randbytes(rng.randint(1, 5))
            else:
                data = bytearray(rng.randbytes(rng.randint(0, 64)))
        try:
            message = decode_message(bytes(data))
        except BerError:
            continue
        decoded += 1
        for oid, value in message.varbinds:
            assert all(0 <= sub < 2**32 for sub in oid)
            value.text()
            value.number()
    assert decoded > 0
