"""What one SNMP target is: the plain, validated spec the config layer builds for `SnmpCollector`."""

from __future__ import annotations

from dataclasses import dataclass, field

from collectors.snmp.profile_model import Profile, empty_profile

AUTH_PROTOCOLS = ("MD5", "SHA", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512")
"""SNMPv3 authentication protocols (names as net-snmp's `-a`); SHA and SHA-1 are the same."""
PRIV_PROTOCOLS = ("DES", "3DES", "AES", "AES-128", "AES-192", "AES-256", "AES-192C", "AES-256C")
"""SNMPv3 privacy protocols (names as net-snmp's `-x`): AES-192/256 localise keys as draft-blumenthal
(net-snmp's default); AES-192C/256C as draft-reeder, which Cisco and many other vendors use."""
VERSIONS = ("1", "2c", "3")
DEFAULT_TIMEOUT_S = 2.0
DEFAULT_RETRIES = 1


@dataclass(frozen=True, slots=True)
class SnmpTargetSpec:
    """One SNMP agent and what to fetch. Secrets are plain values that never reach a repr or reason."""

    target_id: str
    host: str
    port: int = 161
    version: str = "2c"
    """"1", "2c" or "3"."""
    community: str = field(default="public", repr=False)
    v3_user: str = ""
    auth_protocol: str = ""
    """One of AUTH_PROTOCOLS, or "" for noAuthNoPriv."""
    auth_key: str = field(default="", repr=False)
    priv_protocol: str = ""
    """One of PRIV_PROTOCOLS, or "" for no privacy."""
    priv_key: str = field(default="", repr=False)
    context: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    """Per attempt."""
    retries: int = DEFAULT_RETRIES
    interval_s: float = 10.0
    profile: Profile = field(default_factory=empty_profile)
    interfaces: tuple[str, ...] = ()
    """Rows to keep by the profile's `select_by` column (ifName for if-mib); empty keeps every row."""
    max_repetitions: int = 25
    """GETBULK max-repetitions per table walk request (shared among the columns walked together)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "interfaces", tuple(self.interfaces))
        problem = self.problem()
        if problem:
            raise ValueError(f"{self.target_id}: {problem}")

    @property
    def attempts(self) -> int:
        return self.retries + 1

    @property
    def security_level(self) -> str:
        if self.version != "3":
            return "community"
        if not self.auth_protocol:
            return "noAuthNoPriv"
        return "authPriv" if self.priv_protocol else "authNoPriv"

    def problem(self) -> str:
        """The first thing wrong with this spec, or "" (messages never include secrets)."""
        if self.version not in VERSIONS:
            return f"SNMP version must be one of {', '.join(VERSIONS)}"
        if not self.host or not 0 < self.port < 65536:
            return "needs a host and a port in 1..65535"
        if self.timeout_s <= 0 or self.retries < 0 or self.interval_s <= 0:
            return "timeout and interval must be positive, retries zero or more"
        if self.timeout_s * self.attempts >= self.interval_s:
            return "timeout x attempts must be below the interval"
        if self.version != "3":
            return "" if self.community else "needs a community"
        return self._v3_problem()

    def _v3_problem(self) -> str:
        if not self.v3_user:
            return "SNMPv3 needs a user"
        if self.auth_protocol and self.auth_protocol.upper() not in AUTH_PROTOCOLS:
            return f"unknown SNMPv3 auth protocol (one of {', '.join(AUTH_PROTOCOLS)})"
        if self.priv_protocol and self.priv_protocol.upper() not in PRIV_PROTOCOLS:
            return f"unknown SNMPv3 privacy protocol (one of {', '.join(PRIV_PROTOCOLS)})"
        if self.priv_protocol and not self.auth_protocol:
            return "SNMPv3 privacy needs authentication too"
        if self.auth_protocol and len(self.auth_key) < 8:
            return "SNMPv3 auth key must be at least 8 characters"
        if self.priv_protocol and len(self.priv_key) < 8:
            return "SNMPv3 privacy key must be at least 8 characters"
        return ""
