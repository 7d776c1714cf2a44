"""The SNMPv3 message and its User-based Security Model, for the fast path (RFC 3412, RFC 3414).

Three jobs that only make sense together: the v3 message wrapper around the BER PDU codec, what we know of
an authoritative engine (ID, boots, time and the 150 s timeliness window, section 3.2 step 7b), and what a
REPORT says went wrong. The crypto primitives live in usm_crypto.py; sending and retrying in usm_transport.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from collectors.snmp.ber import OCTETS, REPORT, RESPONSE, SEQUENCE, BerError, Pdu, Reader, integer_tlv, read_pdu, tlv
from collectors.snmp.oids import Oid
from collectors.snmp.usm_crypto import AUTH, PRIV, Authenticator, Privacy, localized_key, privacy_key

VERSION_3 = 3
USM = 3
FLAG_AUTH, FLAG_PRIV, FLAG_REPORTABLE = 0x01, 0x02, 0x04
MAX_MESSAGE_SIZE = 65507
TIME_WINDOW_S = 150
MAX_BOOTS = 2**31 - 1

USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
REPORT_REASONS: dict[Oid, str] = {
    (*USM_STATS, 1, 0): "security level not supported for this user",
    (*USM_STATS, 2, 0): "not in time window",
    (*USM_STATS, 3, 0): "unknown user name",
    (*USM_STATS, 4, 0): "unknown engine ID",
    (*USM_STATS, 5, 0): "wrong digest: check the auth key and protocol",
    (*USM_STATS, 6, 0): "decryption failed: check the privacy key and protocol",
}
NOT_IN_TIME_WINDOW = (*USM_STATS, 2, 0)
UNKNOWN_ENGINE_ID = (*USM_STATS, 4, 0)


class UsmError(ValueError):
    """A message that must be dropped: malformed, forged, replayed or not ours. `kind` says which."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Credentials:
    """One user's keys localised to one engine (key localisation costs a hash: done once per engine)."""

    user: bytes
    authenticator: Authenticator | None
    privacy: Privacy | None

    @property
    def flags(self) -> int:
        return (FLAG_AUTH if self.authenticator else 0) | (FLAG_PRIV if self.privacy else 0)

    @classmethod
    def localise(
        cls, user: str, engine_id: bytes, auth: tuple[str, str] = ("", ""), priv: tuple[str, str] = ("", "")
    ) -> Credentials:
        """`auth` and `priv` are (protocol, passphrase) as in the target spec; ("", "") for none."""
        if not auth[0]:
            return cls(user.encode(), None, None)
        auth_protocol = AUTH[auth[0].upper()]
        auth_key = localized_key(auth[1].encode(), engine_id, auth_protocol.hash_name)
        authenticator = Authenticator.create(auth_protocol, auth_key)
        if not priv[0]:
            return cls(user.encode(), authenticator, None)
        priv_protocol = PRIV[priv[0].upper()]
        key = privacy_key(priv[1].encode(), engine_id, auth_protocol, priv_protocol)
        return cls(user.encode(), authenticator, Privacy(priv_protocol, key))


@dataclass(slots=True)
class EngineClock:
    """The authoritative engine as last seen: its ID, boots and time (anchored to our monotonic clock)."""

    engine_id: bytes
    boots: int
    time_at_anchor: int
    anchor: float
    monotonic: Callable[[], float] = time.monotonic

    @classmethod
    def seen(cls, engine_id: bytes, boots: int, engine_time: int, monotonic: Callable[[], float]) -> EngineClock:
        return cls(engine_id, boots, engine_time, monotonic(), monotonic)

    def now(self) -> tuple[int, int]:
        """(boots, time) to put in an outgoing message."""
        return self.boots, min(MAX_BOOTS, self.time_at_anchor + int(self.monotonic() - self.anchor))

    def accept(self, boots: int, engine_time: int) -> None:
        """RFC 3414 3.2 step 7b: update from an authentic message, or raise UsmError if outside the window."""
        latest_boots, latest_time = self.now()
        if (
            boots == MAX_BOOTS
            or boots < latest_boots
            or (boots == latest_boots and engine_time < latest_time - TIME_WINDOW_S)
        ):
            raise UsmError("not in time window")
        if boots > latest_boots or engine_time > latest_time:
            self.boots, self.time_at_anchor, self.anchor = boots, engine_time, self.monotonic()

    def resync(self, boots: int, engine_time: int) -> None:
        """Take the engine's word (an authentic notInTimeWindow REPORT), even backwards within one boot."""
        self.boots, self.time_at_anchor, self.anchor = boots, engine_time, self.monotonic()


@dataclass(frozen=True, slots=True)
class Incoming:
    """A v3 message as received, before authentication: enough to find its request and check it."""

    data: bytes
    msg_id: int
    flags: int
    engine_id: bytes
    boots: int
    engine_time: int
    user: bytes
    auth_params: tuple[int, int]
    """Where msgAuthenticationParameters sits in `data` (start, end)."""
    priv_params: bytes
    payload: tuple[int, int, int]
    """The msgData element: (tag, start, end) in `data`."""

    def authenticated_bytes(self) -> bytes:
        start, end = self.auth_params
        return self.data[:start] + b"\0" * (end - start) + self.data[end:]


def peek_msg_id(data: bytes) -> int:
    """The msgID of what looks like a v3 message, cheaply (no security parameters parsed)."""
    message = Reader(data).expect(SEQUENCE)
    if message.integer() != VERSION_3:
        raise BerError("not SNMPv3")
    return message.expect(SEQUENCE).integer()


def parse(data: bytes) -> Incoming:
    """The outer v3 message; BerError if malformed or not USM."""
    outer = Reader(data)
    message = outer.expect(SEQUENCE)
    if not outer.done or message.integer() != VERSION_3:
        raise BerError("not an SNMPv3 message")
    header = message.expect(SEQUENCE)
    msg_id, _max_size = header.integer(), header.integer()
    flags_at = header.expect(OCTETS)
    if flags_at.end - flags_at.position != 1 or header.integer() != USM or not header.done:
        raise BerError("bad v3 header")
    flags = data[flags_at.position]
    security = message.expect(OCTETS).expect(SEQUENCE)
    engine_id = _octets(security)
    boots, engine_time = security.integer(), security.integer()
    user = _octets(security)
    auth_at = security.expect(OCTETS)
    priv_params = _octets(security)
    if not security.done or boots < 0 or engine_time < 0:
        raise BerError("bad security parameters")
    payload = message.tlv()
    if not message.done:
        raise BerError("trailing bytes")
    auth_params = (auth_at.position, auth_at.end)
    return Incoming(data, msg_id, flags, engine_id, boots, engine_time, user, auth_params, priv_params, payload)


def _octets(reader: Reader) -> bytes:
    inner = reader.expect(OCTETS)
    return inner.data[inner.position : inner.end]


def open_pdu(
    incoming: Incoming, credentials: Credentials | None, accepted: tuple[int, ...] = (RESPONSE, REPORT)
) -> Pdu:
    """The PDU of a message whose digest (if any) was checked: decrypt if needed, then decode.

    UsmError("decryption") if the ciphertext does not decrypt to a scoped PDU."""
    tag, start, end = incoming.payload
    data = incoming.data
    if incoming.flags & FLAG_PRIV:
        if credentials is None or credentials.privacy is None or tag != OCTETS:
            raise UsmError("unexpected encryption")
        try:
            data = credentials.privacy.decrypt(
                data[start:end], incoming.priv_params, incoming.boots, incoming.engine_time
            )
            scoped = Reader(data)
            tag, start, end = scoped.tlv()
        except (ValueError, BerError):
            raise UsmError("decryption") from None
    if tag != SEQUENCE:
        raise UsmError("decryption" if incoming.flags & FLAG_PRIV else "malformed")
    try:
        scoped_pdu = Reader(data, start, end)
        scoped_pdu.expect(OCTETS)  # contextEngineID
        scoped_pdu.expect(OCTETS)  # contextName
        pdu_type, pdu_start, pdu_end = scoped_pdu.tlv()
        return read_pdu(data, pdu_type, pdu_start, pdu_end, accepted)
    except BerError:
        raise UsmError("decryption" if incoming.flags & FLAG_PRIV else "malformed") from None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything a request message needs besides its PDU."""

    msg_id: int
    engine_id: bytes
    boots: int
    engine_time: int
    context: bytes = b""


def encode(outgoing: Outgoing, pdu: bytes, credentials: Credentials | None, salt: bytes = b"") -> bytes:
    """A reportable v3 request: discovery (no credentials, empty engine ID) or authenticated with `credentials`."""
    scoped = tlv(SEQUENCE, tlv(OCTETS, outgoing.engine_id) + tlv(OCTETS, outgoing.context) + pdu)
    flags, user, auth_length, priv_params = FLAG_REPORTABLE, b"", 0, b""
    if credentials is not None:
        flags |= credentials.flags
        user = credentials.user
        if credentials.authenticator is not None:
            auth_length = credentials.authenticator.protocol.digest_bytes
        if credentials.privacy is not None:
            priv_params = salt
            scoped = tlv(OCTETS, credentials.privacy.encrypt(scoped, salt, outgoing.boots, outgoing.engine_time))
    header = tlv(
        SEQUENCE,
        integer_tlv(outgoing.msg_id) + integer_tlv(MAX_MESSAGE_SIZE) + tlv(OCTETS, bytes((flags,))) + integer_tlv(USM),
    )
    before_digest = (
        tlv(OCTETS, outgoing.engine_id)
        + integer_tlv(outgoing.boots)
        + integer_tlv(outgoing.engine_time)
        + tlv(OCTETS, user)
    )
    fields = before_digest + tlv(OCTETS, b"\0" * auth_length) + tlv(OCTETS, priv_params)
    security = tlv(OCTETS, tlv(SEQUENCE, fields))
    body = integer_tlv(VERSION_3) + header + security + scoped
    message = tlv(SEQUENCE, body)
    if credentials is None or credentials.authenticator is None:
        return message
    # the digest's place: the message header, what precedes the security parameters, their two headers,
    # the fields before it and its own OCTET STRING header (one length byte: digests are under 128 bytes)
    at = len(message) - len(body) + len(integer_tlv(VERSION_3)) + len(header)
    at += len(security) - len(fields) + len(before_digest) + 2
    digest = credentials.authenticator.digest(message)
    return message[:at] + digest + message[at + auth_length :]


def report_reason(pdu: Pdu) -> str:
    """What a REPORT says, in words fit for the screen."""
    for oid, _value in pdu.varbinds:
        reason = REPORT_REASONS.get(oid)
        if reason:
            return reason
    if pdu.varbinds:
        return "agent reported " + ".".join(map(str, pdu.varbinds[0][0]))
    return "agent sent an empty report"
