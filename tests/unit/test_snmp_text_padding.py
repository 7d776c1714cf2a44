"""Device text: the NUL padding of a fixed-size buffer is dropped, a NUL inside the text stays visible."""

from __future__ import annotations

from collectors.snmp.values import Kind, SnmpValue


def test_trailing_nul_padding_is_not_part_of_the_name() -> None:
    # socomec.snmprec ifDescr.1: "lo" in a 16-byte buffer (LibreNMS shows it as "lo..............")
    assert SnmpValue(Kind.OCTETS, bytes.fromhex("6C6F0000000000000000000000000000")).text() == "lo"


def test_a_nul_inside_the_text_is_shown() -> None:
    assert SnmpValue(Kind.OCTETS, b"a\x00b\x00").text() == "a\\x00b"
