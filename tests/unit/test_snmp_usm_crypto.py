"""USM primitives against RFC 3414 A.3's vectors and, for everything the RFCs give no vector for, pysnmp's."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from pyasn1.type import univ
from pysnmp.proto.secmod.rfc3414 import localkey  # first: pysnmp's own import order avoids a cycle

from pysnmp.proto.secmod.eso.priv import aes192, aes256  # isort: skip
from pysnmp.proto.secmod.rfc3414.auth import hmacmd5, hmacsha
from pysnmp.proto.secmod.rfc3414.priv import des
from pysnmp.proto.secmod.rfc3826.priv import aes
from pysnmp.proto.secmod.rfc7860.auth import hmacsha2

from collectors.snmp.usm_crypto import AUTH, PRIV, Authenticator, Privacy, localized_key, password_to_key, privacy_key

ENGINE = bytes.fromhex("000000000000000000000002")
PYSNMP_AUTH = {
    "MD5": hmacmd5.HmacMd5.SERVICE_ID,
    "SHA": hmacsha.HmacSha.SERVICE_ID,
    "SHA-224": hmacsha2.HmacSha2.SHA224_SERVICE_ID,
    "SHA-256": hmacsha2.HmacSha2.SHA256_SERVICE_ID,
    "SHA-384": hmacsha2.HmacSha2.SAH384_SERVICE_ID,
    "SHA-512": hmacsha2.HmacSha2.SHA512_SERVICE_ID,
}
PYSNMP_PRIV = {
    "DES": des.Des(),
    "AES-128": aes.Aes(),
    "AES-192": aes192.AesBlumenthal192(),
    "AES-256": aes256.AesBlumenthal256(),
    "AES-192C": aes192.Aes192(),
    "AES-256C": aes256.Aes256(),
}


def test_rfc3414_a3_key_localisation_vectors() -> None:
    assert password_to_key(b"maplesyrup", "md5").hex() == "9faf3283884e92834ebc9847d8edd963"
    assert localized_key(b"maplesyrup", ENGINE, "md5").hex() == "526f5eed9fcce26f8964c2930787d82b"
    assert password_to_key(b"maplesyrup", "sha1").hex() == "9fb5cc0381497b3793528939ff788d5d79145211"
    assert localized_key(b"maplesyrup", ENGINE, "sha1").hex() == "6695febc9288e36282235fc7151f128497b38f3f"


@pytest.mark.parametrize("auth", PYSNMP_AUTH)
def test_auth_key_localisation_matches_pysnmp(auth: str) -> None:
    hash_name = AUTH[auth].hash_name
    theirs = localkey.password_to_key(b"a pass phrase", univ.OctetString(ENGINE), getattr(hashlib, hash_name))
    assert localized_key(b"a pass phrase", ENGINE, hash_name) == bytes(theirs)


@pytest.mark.parametrize("auth", ["MD5", "SHA", "SHA-512"])  # shorter and longer than every key: pysnmp is slow
@pytest.mark.parametrize("priv", PYSNMP_PRIV)
def test_privacy_key_localisation_matches_pysnmp(auth: str, priv: str) -> None:
    service = PYSNMP_PRIV[priv]
    ku = service.hash_passphrase(PYSNMP_AUTH[auth], b"priv pass phrase")
    theirs = bytes(service.localize_key(PYSNMP_AUTH[auth], ku, univ.OctetString(ENGINE)))
    ours = privacy_key(b"priv pass phrase", ENGINE, AUTH[auth], PRIV[priv])
    assert ours == theirs[: len(ours)]
    assert len(ours) == (16 if priv == "DES" else PRIV[priv].key_bytes)


@pytest.mark.parametrize("priv", PYSNMP_PRIV)
def test_pysnmp_decrypts_what_we_encrypt(priv: str) -> None:
    key = privacy_key(b"priv pass phrase", ENGINE, AUTH["SHA-256"], PRIV[priv])
    salt = (7).to_bytes(4, "big") + bytes.fromhex("01020304")
    plain = bytes(range(50))
    ciphertext = Privacy(PRIV[priv], key).encrypt(plain, salt, 7, 12345)
    theirs = PYSNMP_PRIV[priv].decrypt_data(
        univ.OctetString(key), (7, 12345, univ.OctetString(salt)), univ.OctetString(ciphertext)
    )
    assert bytes(theirs)[: len(plain)] == plain
    assert Privacy(PRIV[priv], key).decrypt(ciphertext, salt, 7, 12345)[: len(plain)] == plain


def test_des_rejects_a_partial_block_and_a_bad_salt() -> None:
    privacy = Privacy(PRIV["DES"], bytes(16))
    with pytest.raises(ValueError, match="blocks"):
        privacy.decrypt(bytes(12), bytes(8), 1, 1)
    with pytest.raises(ValueError, match="privacy parameters"):
        privacy.decrypt(bytes(16), bytes(4), 1, 1)


@pytest.mark.parametrize("auth", PYSNMP_AUTH)
def test_digest_is_truncated_hmac(auth: str) -> None:
    protocol = AUTH[auth]
    key = localized_key(b"auth pass phrase", ENGINE, protocol.hash_name)
    expected = hmac.new(key, b"message", protocol.hash_name).digest()[: protocol.digest_bytes]
    authenticator = Authenticator.create(protocol, key)
    assert authenticator.digest(b"message") == expected
    assert authenticator.verify(b"message", expected)
    assert not authenticator.verify(b"messagE", expected)
    assert "auth pass" not in repr(authenticator)
    assert key.hex() not in repr(authenticator)
