"""What the SNMP trap receiver listens for: address, v1/v2c communities, v3 users, sources -> targets.

Communities and v3 keys are secrets handed in by the config layer: they stay out of reprs, reasons and logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

AUTH_PROTOCOLS = ("none", "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512")
PRIV_PROTOCOLS = ("none", "DES", "3DES", "AES-128", "AES-192", "AES-256", "AES-192-C", "AES-256-C")
"""AES-192/256 extend keys as net-snmp does (Blumenthal); the -C forms as Cisco does (Reeder)."""

DEFAULT_UNMAPPED_TARGET = "snmp-traps"


def engine_id_bytes(text: str) -> bytes:
    """`0x8000000001020304` or `8000000001020304` -> bytes; ValueError when not 5-32 bytes of hex."""
    try:
        value = bytes.fromhex(text.removeprefix("0x").removeprefix("0X"))
    except ValueError:
        raise ValueError("engine id must be hexadecimal") from None
    if not 5 <= len(value) <= 32:
        raise ValueError("engine id must be 5 to 32 bytes")
    return value


@dataclass(frozen=True, slots=True)
class TrapV3User:
    """A USM user allowed to send notifications.

    INFORMs are accepted with the receiver's own engine id; v3 TRAPs are authenticated against the
    sender's engine id, so every sending device's engine id must be listed (as net-snmp's snmptrapd requires).
    """

    user: str
    auth_protocol: str = "SHA-256"
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = "AES-128"
    priv_key: str = field(default="", repr=False)
    sender_engine_ids: tuple[str, ...] = ()
    """Hex engine ids of the devices that send v3 TRAPs as this user."""

    def __post_init__(self) -> None:
        if self.auth_protocol not in AUTH_PROTOCOLS:
            raise ValueError(f"v3 user {self.user}: unknown auth protocol {self.auth_protocol!r}")
        if self.priv_protocol not in PRIV_PROTOCOLS:
            raise ValueError(f"v3 user {self.user}: unknown privacy protocol {self.priv_protocol!r}")
        if self.priv_protocol != "none" and self.auth_protocol == "none":
            raise ValueError(f"v3 user {self.user}: privacy needs authentication")
        if self.auth_protocol != "none" and len(self.auth_key) < 8:
            raise ValueError(f"v3 user {self.user}: the auth key must be at least 8 characters")
        if self.priv_protocol != "none" and len(self.priv_key) < 8:
            raise ValueError(f"v3 user {self.user}: the privacy key must be at least 8 characters")
        object.__setattr__(self, "sender_engine_ids", tuple(self.sender_engine_ids))
        for engine_id in self.sender_engine_ids:
            engine_id_bytes(engine_id)


@dataclass(frozen=True, slots=True)
class TrapReceiverSpec:
    listen_host: str = "0.0.0.0"
    listen_port: int = 162
    """0 picks a free port (tests)."""
    communities: tuple[str, ...] = field(default=(), repr=False)
    """v1/v2c community strings accepted; a trap with any other community is dropped by the engine."""
    v3_users: tuple[TrapV3User, ...] = ()
    targets_by_source: Mapping[str, str] = field(default_factory=dict)
    """Source IP address -> target id; traps from other sources become events of `unmapped_target`."""
    unmapped_target: str = DEFAULT_UNMAPPED_TARGET

    def __post_init__(self) -> None:
        object.__setattr__(self, "communities", tuple(self.communities))
        object.__setattr__(self, "v3_users", tuple(self.v3_users))
        object.__setattr__(self, "targets_by_source", MappingProxyType(dict(self.targets_by_source)))
        if not 0 <= self.listen_port < 65536:
            raise ValueError("trap listen port must be 0-65535")
        if not self.communities and not self.v3_users:
            raise ValueError("the trap receiver needs at least one community or v3 user")
