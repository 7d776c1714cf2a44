"""The SNMPv3 USM primitives: key localisation, HMAC digests and DES/AES privacy, via `cryptography`.

RFC 3414 (MD5, SHA-1, DES), RFC 7860 (HMAC-SHA-2), RFC 3826 (AES-128 CFB) and the two AES-192/256 key
extensions in use: draft-blumenthal (net-snmp's default, `AES-192`/`AES-256`) and draft-reeder (Cisco and most
vendors, `AES-192C`/`AES-256C`). Pure functions and small immutable objects; the message layer is usm.py.
Keys are bytes that never reach a repr, a reason or a log.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass, field

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PASSWORD_BYTES = 1_048_576
"""RFC 3414 A.2: the password is repeated to one megabyte before hashing."""


@dataclass(frozen=True, slots=True)
class AuthProtocol:
    """An HMAC authentication protocol: its hash and how many digest bytes travel in the message."""

    name: str
    hash_name: str
    digest_bytes: int


AUTH = {
    "MD5": AuthProtocol("MD5", "md5", 12),
    "SHA": AuthProtocol("SHA", "sha1", 12),
    "SHA-1": AuthProtocol("SHA", "sha1", 12),
    "SHA-224": AuthProtocol("SHA-224", "sha224", 16),
    "SHA-256": AuthProtocol("SHA-256", "sha256", 24),
    "SHA-384": AuthProtocol("SHA-384", "sha384", 32),
    "SHA-512": AuthProtocol("SHA-512", "sha512", 48),
}


@dataclass(frozen=True, slots=True)
class PrivProtocol:
    """A privacy protocol: cipher, key length and how a short localised key is extended."""

    name: str
    cipher: str
    """"des" or "aes"."""
    key_bytes: int
    extension: str = ""
    """"blumenthal", "reeder" or "" (no extension needed)."""


PRIV = {
    "DES": PrivProtocol("DES", "des", 8),
    "AES": PrivProtocol("AES-128", "aes", 16),
    "AES-128": PrivProtocol("AES-128", "aes", 16),
    "AES-192": PrivProtocol("AES-192", "aes", 24, "blumenthal"),
    "AES-256": PrivProtocol("AES-256", "aes", 32, "blumenthal"),
    "AES-192C": PrivProtocol("AES-192C", "aes", 24, "reeder"),
    "AES-256C": PrivProtocol("AES-256C", "aes", 32, "reeder"),
}
"""3DES (draft-reeder 3DES-EDE) is not here: such targets stay on pysnmp."""


@functools.lru_cache(maxsize=256)
def password_to_key(password: bytes, hash_name: str) -> bytes:
    """Ku: the hash of the password repeated to one megabyte (RFC 3414 A.2.1, RFC 7860 9.3).

    Cached: Ku does not depend on the engine, and a room shares a few passwords across 2,000 targets."""
    if not password:
        raise ValueError("empty password")
    repeated = password * (PASSWORD_BYTES // len(password) + 1)
    return hashlib.new(hash_name, memoryview(repeated)[:PASSWORD_BYTES]).digest()


def localize(key: bytes, engine_id: bytes, hash_name: str) -> bytes:
    """Kul = H(Ku || engineID || Ku) (RFC 3414 A.2.2)."""
    return hashlib.new(hash_name, key + engine_id + key).digest()


def localized_key(password: bytes, engine_id: bytes, hash_name: str) -> bytes:
    return localize(password_to_key(password, hash_name), engine_id, hash_name)


def privacy_key(password: bytes, engine_id: bytes, auth: AuthProtocol, priv: PrivProtocol) -> bytes:
    """The localised privacy key, extended to the cipher's needs and cut to its length (plus DES's pre-IV)."""
    key = localized_key(password, engine_id, auth.hash_name)
    needed = 16 if priv.cipher == "des" else priv.key_bytes
    for _ in range(8):  # each round adds at least 16 bytes: 8 rounds are more than any cipher here needs
        if len(key) >= needed:
            break
        if priv.extension == "reeder":
            key += localized_key(key, engine_id, auth.hash_name)
        else:
            key += hashlib.new(auth.hash_name, key).digest()
    return key[:needed]


@dataclass(frozen=True, slots=True)
class Authenticator:
    """HMAC over whole messages with one localised key; the keyed state is made once and copied."""

    protocol: AuthProtocol
    _keyed: hmac.HMAC = field(repr=False)

    @classmethod
    def create(cls, protocol: AuthProtocol, key: bytes) -> Authenticator:
        return cls(protocol, hmac.new(key, digestmod=protocol.hash_name))

    def digest(self, message: bytes) -> bytes:
        mac = self._keyed.copy()
        mac.update(message)
        return mac.digest()[: self.protocol.digest_bytes]

    def verify(self, message: bytes, digest: bytes) -> bool:
        return hmac.compare_digest(self.digest(message), digest)


@dataclass(frozen=True, slots=True)
class Privacy:
    """Encrypts and decrypts scoped PDUs; `salt` is the 8 bytes sent as msgPrivacyParameters."""

    protocol: PrivProtocol
    _key: bytes = field(repr=False)

    def encrypt(self, plain: bytes, salt: bytes, boots: int, time: int) -> bytes:
        if self.protocol.cipher == "des":
            padded = plain + b"\0" * (-len(plain) % 8)
            encryptor = _des(self._key, salt).encryptor()
            return encryptor.update(padded) + encryptor.finalize()
        encryptor = _aes(self._key, salt, boots, time).encryptor()
        return encryptor.update(plain) + encryptor.finalize()

    def decrypt(self, data: bytes, salt: bytes, boots: int, time: int) -> bytes:
        """Plain bytes (with DES padding, which the BER reader ignores); ValueError if it cannot be."""
        if len(salt) != 8:
            raise ValueError("bad privacy parameters")
        if self.protocol.cipher == "des":
            if len(data) % 8:
                raise ValueError("DES ciphertext is not a whole number of blocks")
            decryptor = _des(self._key, salt).decryptor()
        else:
            decryptor = _aes(self._key, salt, boots, time).decryptor()
        return decryptor.update(data) + decryptor.finalize()


def _des(key: bytes, salt: bytes) -> Cipher[modes.CBC]:
    iv = bytes(a ^ b for a, b in zip(key[8:16], salt, strict=True))
    return Cipher(TripleDES(key[:8] * 3), modes.CBC(iv))  # EDE with one key three times is single DES


def _aes(key: bytes, salt: bytes, boots: int, time: int) -> Cipher[CFB]:
    iv = boots.to_bytes(4, "big") + time.to_bytes(4, "big") + salt
    return Cipher(algorithms.AES(key), CFB(iv))
